"""What every reader of reviewed work returns, and the checks every human target passes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aligned.formats.base import clean_field
from mt.errors import InputError
from mt.human_memory import HumanTranslation
from mt.text_damage import damage


@dataclass
class ReviewedFile:
    path: Path
    translations: list[HumanTranslation] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # why units were left out -> count

    def add(self, unit: str, source: str, target: str, where: str) -> None:
        """Keep a human translation; an empty one is skipped, a damaged one refuses the file.
        Line breaks inside a target become spaces: a translation is one TSV field."""
        for side, text in (("source", source), ("target", target)):
            problems = damage(text, allowed_controls="\t\n\r")
            if problems:
                raise InputError(f"{where}: the {side} is broken ({problems[0]}).")
        source, target = clean_field(source).strip(), clean_field(target).strip()
        if not source:
            self.skipped["no source text"] += 1
        elif not target:
            self.skipped["empty target"] += 1
        else:
            self.translations.append(
                HumanTranslation(source, target, str(self.path.resolve()), unit)
            )
