"""Orthographic folding of Arabic for term matching, with a map back to original offsets.

Matching folds what real news text writes in more than one way for the same word, and nothing
else. Each rule below is one kind of variation seen in wire copy and web pages:

- diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks), tatweel and invisible
  format characters (ZWNJ, RLM, ...) are dropped: they are optional in print;
- hamza on alef and wasla (أ إ آ ٱ) fold to bare alef ا, which most writers use;
- hamza on waw or yeh (ؤ ئ) fold to ء (مسؤول / مسئول);
- alef maqsura ى folds to ي (Egyptian and Iraqi print swap them at word end);
- Persian keheh and farsi yeh (ک ی) fold to ك ي (keyboards of Iran and Iraq emit them);
- presentation forms (ligatures such as ﻻ) fold to their letters (NFKC);
- Latin letters fold to lower case;
- the loanword spelling with an inserted waw folds to the plain one (ديموقراطية / ديمقراطية).

Ta marbuta ة is kept apart from ه here, because whether they are the same letter depends on the
entry (a term base may forbid it); `fold_ta` applies that last fold.

This module is a leaf: it imports nothing of the project.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_DROPPED = {chr(c) for c in range(0x064B, 0x0660)}  # harakat, tanwin, shadda, sukun, maddah...
_DROPPED |= {chr(c) for c in range(0x0610, 0x061B)}  # honorific and Quranic signs
_DROPPED |= {chr(c) for c in range(0x06D6, 0x06EE)}  # Quranic annotation marks
_DROPPED |= {"\u0670", "\u0640"}  # dagger alef, tatweel

_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "ء",
        "ئ": "ء",
        "ى": "ي",
        "ی": "ي",  # farsi yeh
        "ک": "ك",  # keheh
        "ە": "ه",  # ae, Kurdish keyboards
    }
)

# Whole-substring spelling variants, applied after the letter folds: (variant, canonical).
# Only same-length-or-shorter rewrites inside a word, so offsets stay mappable.
SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ديموقراط", "ديمقراط"),  # الديموقراطية, ديموقراطي
    ("بيروقراط", "بيرقراط"),
    ("اوتوقراط", "اوتقراط"),
)

TA_MARBUTA, HA = "ة", "ه"


def _is_presentation_form(char: str) -> bool:
    code = ord(char)
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _fold_char(char: str) -> str:
    """The folded form of one character: '' when it is dropped, maybe several letters."""
    if char in _DROPPED or unicodedata.category(char) == "Cf":
        return ""
    if _is_presentation_form(char):
        return "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", char))
    folded = char.translate(_LETTER_FOLDS)
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


@dataclass(frozen=True)
class FoldedText:
    """`text` folded, and for each folded character the span of original text it came from.

    Dropped characters (a shadda, a tatweel) belong to the span of the letter before them, so a
    folded word maps back to the whole written word, marks included.
    """

    original: str
    text: str
    spans: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded range [start, end) (end > start)."""
        return self.spans[start][0], self.spans[end - 1][1]


def fold_with_offsets(text: str) -> FoldedText:
    """Fold `text` (see the module docstring), keeping ة, with an offset map to the original."""
    chars: list[str] = []
    spans: list[list[int]] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded:
            if spans and spans[-1][1] == index:  # a mark on the previous letter
                spans[-1][1] = index + 1
            continue
        for piece in folded:
            chars.append(piece)
            spans.append([index, index + 1])
    folded_text, folded_spans = _apply_spelling_variants("".join(chars), spans)
    return FoldedText(text, folded_text, tuple((s, e) for s, e in folded_spans))


def _apply_spelling_variants(
    text: str, spans: list[list[int]]
) -> tuple[str, list[list[int]]]:
    for variant, canonical in SPELLING_VARIANTS:
        start = text.find(variant)
        while start != -1:
            end = start + len(variant)
            # Inner letters' spans are approximate; the first and last keep the written word's
            # bounds, which is all that matching maps back.
            merged = [spans[start][0], spans[end - 1][1]]
            new_spans = [list(s) for s in spans[start : start + len(canonical)]]
            new_spans[0][0], new_spans[-1][1] = merged
            text = text[:start] + canonical + text[end:]
            spans = spans[:start] + new_spans + spans[end:]
            start = text.find(variant, start + len(canonical))
    return text, spans


def fold(text: str) -> str:
    """`text` folded (ة kept); the string form of `fold_with_offsets`."""
    return fold_with_offsets(text).text


def fold_ta(text: str) -> str:
    """Fold ta marbuta into ha: the last, entry-dependent fold (الرقة / الرقه)."""
    return text.replace(TA_MARBUTA, HA)


def is_word_char(char: str) -> bool:
    """A character of a word in folded text: a letter or a digit of any script."""
    return char.isalnum()
