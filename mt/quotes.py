"""Which quotation marks of a paragraph open a quotation, which close one, and which opener each
closer closes. A pure function of str; it imports nothing of the project.

« ‹ always open and » › always close. Straight quotes and curly ones (which scraped Arabic text
often types the wrong way round) are told apart by what flanks them, as CommonMark tells its
emphasis delimiters apart: a mark glued to the word after it and not to the one before opens
(` "لن`), one glued to the word or mark before it and not to the one after closes (`المعبر."`).
Only a mark glued on both sides, or on neither, is settled by whether a quotation of its family
is open. So a quote that is never closed leaves the marks after it correctly read, instead of
shifting every later pair by one as pairing in order would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FAMILY = {'"': '"', "“": "“", "”": "“", "„": "“", "«": "«", "»": "«", "‹": "‹", "›": "‹"}
_MARKS = re.compile("[" + "".join(_FAMILY) + "]")
_ALWAYS_OPENS = "«‹"
_ALWAYS_CLOSES = "»›"
# A quote right after one of these (or a space) opens; right before one of these (or a space)
# it closes.
_OPEN_CONTEXT = "([{«‹“„:،,;؛"
_CLOSE_CONTEXT = ".,،;؛:!?؟…)]}»›"


@dataclass(frozen=True)
class QuoteMarks:
    openers: frozenset[int]  # positions of the marks that open
    closers: dict[int, int | None]  # position of a closing mark -> its opener (None: unopened)


def quote_marks(text: str) -> QuoteMarks:
    open_at: dict[str, list[int]] = {family: [] for family in set(_FAMILY.values())}
    openers: set[int] = set()
    closers: dict[int, int | None] = {}
    for match in _MARKS.finditer(text):
        i, stack = match.start(), open_at[_FAMILY[match.group()]]
        if _opens(text, i, quotation_open=bool(stack)):
            openers.add(i)
            stack.append(i)
        else:
            closers[i] = stack.pop() if stack else None
    return QuoteMarks(frozenset(openers), closers)


def _opens(text: str, i: int, quotation_open: bool) -> bool:
    mark = text[i]
    if mark in _ALWAYS_OPENS or mark in _ALWAYS_CLOSES:
        return mark in _ALWAYS_OPENS
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    can_open = not after.isspace() and after not in _CLOSE_CONTEXT
    can_close = not before.isspace() and before not in _OPEN_CONTEXT
    if can_open != can_close:
        return can_open
    return not quotation_open
