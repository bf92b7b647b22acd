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

# Whole-substring spelling variants, applied after the letter folds: (variant, canonical), the
# canonical form being the variant with letters left out, so offsets stay mappable.
SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ديموقراط", "ديمقراط"),  # الديموقراطية, ديموقراطي
    ("بيروقراط", "بيرقراط"),
    ("اوتوقراط", "اوتقراط"),
)

TA_MARBUTA, HA = "ة", "ه"


def _left_out(variant: str, canonical: str) -> tuple[int, ...]:
    """Indices of the letters of `variant` that `canonical` leaves out."""
    dropped, position = [], 0
    for index, char in enumerate(variant):
        if position < len(canonical) and canonical[position] == char:
            position += 1
        else:
            dropped.append(index)
    if position != len(canonical):
        raise ValueError(f"{canonical!r} is not {variant!r} with letters left out")
    return tuple(dropped)


_VARIANT_DROPS = tuple((variant, _left_out(variant, canonical)) for variant, canonical in
                       SPELLING_VARIANTS)


@dataclass(frozen=True)
class FoldedText:
    """`text` folded, and for each folded character the offset in the original it came from.

    Dropped characters (a shadda, a tatweel) belong to the letter before them, so a folded word
    maps back to the whole written word, marks included.
    """

    original: str
    text: str
    positions: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded range [start, end) (end > start)."""
        stop = self.positions[end] if end < len(self.positions) else len(self.original)
        return self.positions[start], stop


def fold_with_offsets(text: str) -> FoldedText:
    """Fold `text` (see the module docstring), keeping ة, with an offset map to the original.

    Built on mt.arabic.matching_form (marks dropped, alef and yeh variants folded), which maps
    each kept character to its origin.
    """
    key, positions = matching_form(text)
    key = key.translate(_MORE_LETTER_FOLDS)
    lowered = key.lower()
    # A few letters lower-case to two (İ): keep those as they are, so offsets stay one to one.
    key = lowered if len(lowered) == len(key) else "".join(_lower(c) for c in key)
    dropped = {
        start + offset
        for variant, offsets in _VARIANT_DROPS
        for start in _occurrences(key, variant)
        for offset in offsets
    }
    if dropped:
        kept = [i for i in range(len(key)) if i not in dropped]
        key = "".join(key[i] for i in kept)
        positions = [positions[i] for i in kept]
    return FoldedText(text, key, tuple(positions))


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def _occurrences(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start != -1:
        found.append(start)
        start = text.find(part, start + len(part))
    return found


def fold(text: str) -> str:
    """`text` folded (ة kept); the string form of `fold_with_offsets`."""
    return fold_with_offsets(text).text


def fold_ta(text: str) -> str:
    """Fold ta marbuta into ha: the last, entry-dependent fold (الرقة / الرقه)."""
    return text.replace(TA_MARBUTA, HA)
