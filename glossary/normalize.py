"""Orthographic folding of Arabic for term matching, with a map back to original offsets.

Matching folds what real news text writes in more than one way for the same word, and nothing
else. Each rule below is one kind of variation seen in wire copy and web pages:

- diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks), tatweel and invisible
  format characters (ZWNJ, RLM, ...) are dropped: they are optional in print;
- hamza on alef and wasla (أ إ آ ٱ) fold to bare alef ا, which most writers use;
- alef maqsura ى folds to ي (Egyptian and Iraqi print swap them at word end);
  (these first three are mt.arabic's matching form);
- hamza on waw or yeh (ؤ ئ) fold to ء (مسؤول / مسئول);
- Persian keheh and farsi yeh (ک ی) fold to ك ي (keyboards of Iran and Iraq emit them);
- Latin letters fold to lower case;
- the loanword spelling with an inserted waw folds to the plain one (ديموقراطية / ديمقراطية).

Ta marbuta ة is kept apart from ه here, because whether they are the same letter depends on the
entry (a term base may forbid it); `fold_ta` applies that last fold.

Presentation forms (ligatures such as ﻻ) are not folded here: the model's input has them
decomposed already (mt.arabic.normalize_for_mt), and matching runs again on that input.
"""

from __future__ import annotations

from dataclasses import dataclass

from mt.arabic import matching_form

# Beyond mt.arabic's letter variants (أ إ آ ٱ -> ا, ى -> ي): one character in, one out.
_MORE_LETTER_FOLDS = str.maketrans(
    {
        "ؤ": "ء",
        "ئ": "ء",
        "ی": "ي",  # farsi yeh
        "ک": "ك",  # keheh
        "ە": "ه",  # ae, Kurdish keyboards
    }
)

# Whole-substring spelling variants, applied after the letter folds: (variant, canonical).
# Only shortening rewrites inside a word, so offsets stay mappable.
SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ديموقراط", "ديمقراط"),  # الديموقراطية, ديموقراطي
    ("بيروقراط", "بيرقراط"),
    ("اوتوقراط", "اوتقراط"),
)

TA_MARBUTA, HA = "ة", "ه"


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


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
    """Fold `text` (see the module docstring), keeping ة, with an offset map to the original.

    Built on mt.arabic.matching_form (marks dropped, alef and yeh variants folded), which maps
    each kept character to its origin; everything between two kept characters was dropped and
    belongs to the earlier one.
    """
    key, positions = matching_form(text)
    key = "".join(_lower(c) for c in key.translate(_MORE_LETTER_FOLDS))
    ends = [*positions[1:], len(text)][: len(positions)]
    spans = [[start, end] for start, end in zip(positions, ends, strict=True)]
    folded_text, folded_spans = _apply_spelling_variants(key, spans)
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
