"""`jisr glossary check`: every problem of a term base, each with file and line.

Errors make the file unusable or its output unpredictable; warnings point at house-style
inconsistencies that a terminologist should look at but that the matcher resolves
deterministically.

Errors:
- a cell that cannot be read: wrong cell count, empty source or target, bad fold_ta value;
- broken encoding: U+FFFD replacement characters, or mojibake (UTF-8 Arabic that was read as
  Windows-1252 or Latin-1 and saved again, such as "Ù‚Ø³Ø¯" for "قسد"), or control characters;
- two entries for the same term (same folded source or variant) with different targets: only the
  later one would ever be used, silently.

Warnings:
- the same term twice with the same target (redundant);
- a source without Arabic letters, or a target with Arabic letters (columns swapped?);
- a first mention that does not contain the target, so later short mentions are never introduced;
- a conflicting sub-term. Entry A's words occur inside entry B's source (الحشد الشعبي inside
  قوات الحشد الشعبي). Matching takes the longest entry, so inside B's span B's target is used and
  A's is not: the output is deterministic. The two conflict when B's rendering (target or first
  mention) contains neither A's target nor A's first mention, compared case-insensitively: the
  name then reads one way alone and another way inside the longer name (تنظيم الدولة الإسلامية ->
  "ISIS" but الدولة الإسلامية -> "Islamic State"). Sub-terms are compared as whole folded words,
  because matching never finds a term inside a longer word. It is a warning because a body named
  after another can rightly be rendered apart (هيئة الحشد الشعبي, the PMF's commission).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from glossary.normalize import fold, fold_ta
from glossary.termbase import (
    Entry,
    entry_of,
    format_of,
    header_of,
    parse_tbx,
    read_rows,
    termbase_text,
)
from mt.arabic import has_arabic_letter
from mt.errors import GlossaryError
from mt.text_damage import damage

ERROR, WARNING = "error", "warning"
# UTF-8 lead bytes of Arabic (D8-DB) as Windows-1252/Latin-1 show them, then a continuation byte.
_MOJIBAKE = re.compile(r"[ØÙÚÛ][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192"
                       r"\u02C6\u02DC\u2013-\u203A\u20AC\u2122]")


@dataclass(frozen=True)
class Problem:
    level: str  # ERROR or WARNING
    where: str  # "file:line"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level == ERROR for p in problems)


def check_file(path: str | Path) -> list[Problem]:
    """Every problem found in the term base at `path`, in file order, errors and warnings."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
        text = termbase_text(raw, name)
    except (OSError, GlossaryError) as error:
        message = str(error) if isinstance(error, GlossaryError) else f"cannot read: {error}"
        return [Problem(ERROR, name, message)]
    problems = list(_encoding_problems(text, name))
    entries, parse_problems = _entries(raw, text, name, format_of(path, raw))
    problems += parse_problems
    problems += _entry_problems(entries)
    problems += _duplicate_problems(entries)
    problems += _subterm_problems(entries)
    return sorted(problems, key=_file_order)


def _file_order(problem: Problem) -> tuple[int, str]:
    line = problem.where.rsplit(":", 1)[-1]
    return (int(line) if line.isdigit() else 0, problem.message)


def _encoding_problems(text: str, name: str) -> Iterable[Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        for problem in damage(line):
            yield Problem(ERROR, f"{name}:{number}", problem)


def _entries(raw: bytes, text: str, name: str, fmt: str) -> tuple[list[Entry], list[Problem]]:
    """The entries that parse, and a problem for each row (or file) that does not."""
    if fmt == "tbx":
        try:
            return parse_tbx(raw, name), []
        except GlossaryError as error:
            return [], [_problem_of(error, name)]
    rows = read_rows(text, fmt)
    if not rows:
        return [], [Problem(ERROR, name, "no entries")]
    try:
        header = header_of(rows[0][1], name)
    except GlossaryError as error:
        return [], [_problem_of(error, name)]
    if header is None:
        header = ["source", "target"]
    else:
        rows = rows[1:]
    entries, problems = [], []
    for line, cells in rows:
        try:
            entries.append(entry_of(header, cells, f"{name}:{line}"))
        except GlossaryError as error:
            problems.append(_problem_of(error, name))
    return entries, problems


def _problem_of(error: GlossaryError, name: str) -> Problem:
    """A Problem from a loader error, whose message starts with "file:line: " or "file: "."""
    where, _, rest = str(error).partition(": ")
    if where.startswith(name) and rest:
        return Problem(ERROR, where, rest.rstrip("."))
    return Problem(ERROR, name, str(error))


def _entry_problems(entries: list[Entry]) -> Iterable[Problem]:
    for entry in entries:
        if not any(has_arabic_letter(s) for s in entry.sources):
            yield Problem(WARNING, entry.origin, f"source {entry.source!r} has no Arabic letters")
        if has_arabic_letter(entry.target) or has_arabic_letter(entry.first_mention):
            yield Problem(WARNING, entry.origin, f"target {entry.target!r} has Arabic letters")
        if entry.first_mention and entry.target.lower() not in entry.first_mention.lower():
            yield Problem(
                WARNING,
                entry.origin,
                f"first mention {entry.first_mention!r} never introduces {entry.target!r}",
            )


def _spelling_key(spelling: str, entry: Entry) -> str:
    folded = " ".join(fold(spelling).split())
    return fold_ta(folded) if entry.fold_ta else folded


def _duplicate_problems(entries: list[Entry]) -> Iterable[Problem]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        for spelling in dict.fromkeys(entry.sources):
            key = _spelling_key(spelling, entry)
            earlier = seen.get(key)
            seen[key] = entry
            if earlier is None or earlier is entry:
                continue
            if (earlier.target, earlier.first_mention) != (entry.target, entry.first_mention):
                yield Problem(
                    ERROR,
                    entry.origin,
                    f"{spelling!r} is already at {earlier.origin} with target "
                    f"{earlier.target!r}; here {entry.target!r} (only this one would be used)",
                )
            else:
                yield Problem(WARNING, entry.origin, f"{spelling!r} repeats {earlier.origin}")


def _renderings(entry: Entry) -> tuple[str, ...]:
    return tuple(r.lower() for r in (entry.target, entry.first_mention) if r)


def _subterm_problems(entries: list[Entry]) -> Iterable[Problem]:
    """Conflicting sub-terms (see the module docstring), found through an index of word runs."""
    by_words: dict[tuple[str, ...], Entry] = {}
    for entry in entries:
        for spelling in entry.sources:
            by_words.setdefault(tuple(_spelling_key(spelling, entry).split()), entry)
    for longer in entries:
        longer_text = " ".join(_renderings(longer))
        reported: set[int] = set()
        for spelling in longer.sources:
            words = tuple(_spelling_key(spelling, longer).split())
            for size in range(1, len(words)):
                for start in range(len(words) - size + 1):
                    shorter = by_words.get(words[start : start + size])
                    if shorter is None or shorter is longer or id(shorter) in reported:
                        continue
                    if any(r in longer_text for r in _renderings(shorter)):
                        continue
                    reported.add(id(shorter))
                    yield Problem(
                        WARNING,
                        longer.origin,
                        f"{longer.source!r} -> {longer.target!r} contains the term "
                        f"{shorter.source!r} ({shorter.origin}), whose rendering "
                        f"{shorter.target!r} it does not use",
                    )
