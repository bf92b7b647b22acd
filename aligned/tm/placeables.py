"""Placeables, as CAT tools call them: the numbers and names a fuzzy match may differ in while
its translation still holds once they are replaced.

The two sources are compared as units: a glossary name (glossary.match, whatever its words) is
one unit, a number one, any other word one. When every difference is a number for a number or a
name for a name, the memory's target is adapted: the old number (found by its value, written
with or without thousands separators) becomes the new one in the target's style, and the old
name's glossary rendering becomes the new name's. Anything else, or a placeable that the
target does not hold exactly once, and nothing is adapted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from aligned.tm.words import Words, is_number
from glossary.match import Matcher
from glossary.termbase import Entry

_ENGLISH_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]|\.\d)"
                             r"|(?<![\w.,])\d+(?:\.\d+)?(?![\w,]|\.\d)")
Unit = str | Entry  # a folded word or number, or a glossary entry


def _value(number: str) -> float:
    return float(number.replace(",", ""))


def units(words: Words, matcher: Matcher | None) -> list[Unit]:
    """The words of a text with each glossary name made one unit (its entry)."""
    names = matcher.find(words.text) if matcher is not None else []
    found: list[Unit] = []
    for word, (start, _) in zip(words.words, words.spans, strict=True):
        entry = next((m.entry for m in names if m.start <= start < m.end), None)
        if entry is None:
            found.append(word)
        elif not found or found[-1] is not entry:
            found.append(entry)
    return found


def _key(unit: Unit) -> str:
    return unit if isinstance(unit, str) else "\x00" + unit.key


def adapt(sentence: Words, memory: Words, target: str, matcher: Matcher | None) -> str:
    """`target` (the translation of `memory`) made the translation of `sentence`, or "" (see the
    module)."""
    old, new = units(memory, matcher), units(sentence, matcher)
    edits = [op for op in Levenshtein.opcodes([_key(u) for u in old], [_key(u) for u in new])
             if op.tag != "equal"]
    if not edits or any(op.tag != "replace" or op.src_end - op.src_start !=
                        op.dest_end - op.dest_start for op in edits):
        return ""
    spans: list[tuple[int, int, str]] = []
    for op in edits:
        for before, after in zip(old[op.src_start:op.src_end], new[op.dest_start:op.dest_end],
                                 strict=True):
            replaced = _replacement(before, after, target)
            if replaced is None:
                return ""
            spans.append(replaced)
    return _apply(target, spans)


def _replacement(before: Unit, after: Unit, target: str) -> tuple[int, int, str] | None:
    if isinstance(before, str) and isinstance(after, str):
        if not (is_number(before) and is_number(after)):
            return None
        found = [m for m in _ENGLISH_NUMBER.finditer(target) if _value(m.group()) == _value(before)]
        if len(found) != 1:
            return None
        written = found[0].group()
        plain = after.replace(",", "")
        if "," in written and "." not in plain:
            plain = f"{int(plain):,}"
        return found[0].start(), found[0].end(), plain
    if isinstance(before, Entry) and isinstance(after, Entry):
        # The human translation's long form (a first mention) gets the new name's long form,
        # its short form the short one.
        long_form = after.first_mention or after.target
        short_form = after.target if before.first_mention else long_form
        for form, new_form in ((before.first_mention, long_form), (before.target, short_form)):
            found = list(re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", target)) if form else []
            if len(found) == 1:
                return found[0].start(), found[0].end(), new_form
        return None
    return None


def _apply(target: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """`target` with each span replaced; "" when two overlap (one occurrence, two numbers)."""
    ordered = sorted(spans)
    if any(a[1] > b[0] for a, b in zip(ordered, ordered[1:], strict=False)):
        return ""
    for start, end, text in reversed(ordered):
        target = target[:start] + text + target[end:]
    return target
