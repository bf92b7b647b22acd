"""`jisr tm import`: read every reviewed file, then store all their human translations in one
transaction, so that a file refused (or any failure) leaves the memory as it was. Files are
stored in the order given: where two hold the same source, the later one wins, and the report
names what it replaced."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aligned.reviewed import read_reviewed
from mt.errors import InputError
from mt.human_memory import HumanMemory, HumanTranslation

ALREADY_THERE = "already in the memory"


@dataclass
class FileReport:
    path: Path
    added: int = 0
    replaced: list[tuple[HumanTranslation, HumanTranslation]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def lines(self) -> Iterable[str]:
        """One line for the file, then one for each translation it replaced."""
        why = "; ".join(f"{count} {reason}" for reason, count in self.skipped.most_common())
        yield (f"{self.path}: {self.added} added, {len(self.replaced)} replaced, "
               f"{sum(self.skipped.values())} skipped" + (f" ({why})" if why else ""))
        for new, old in self.replaced:
            yield (f"  {new.unit} replaces the translation of {Path(old.file).name} {old.unit} "
                   f"for {_quoted(new.source)}: {_quoted(old.target)} -> {_quoted(new.target)}")


def _quoted(text: str, limit: int = 60) -> str:
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + '"'


def import_reviewed(paths: Sequence[str | Path], memory: HumanMemory) -> list[FileReport]:
    try:
        files = [read_reviewed(path) for path in paths]
    except InputError as error:
        raise InputError(f"{str(error).rstrip('.')}; nothing was imported.") from error
    outcomes = iter(memory.store(t for reviewed in files for t in reviewed.translations))
    reports = []
    for reviewed in files:
        report = FileReport(reviewed.path, skipped=Counter(reviewed.skipped))
        for _ in reviewed.translations:
            stored = next(outcomes)
            if stored.outcome == "added":
                report.added += 1
            elif stored.outcome == "replaced" and stored.previous:
                report.replaced.append((stored.translation, stored.previous))
            else:
                report.skipped[ALREADY_THERE] += 1
        reports.append(report)
    return reports
