"""The words a fuzzy match compares: the glossary's folded Arabic (glossary.normalize: no
diacritics, tatweel or invisible marks; alef, yeh and hamza forms made one; ة as ه), digits of
either script as Western ones, and a number with its separators (1,500 or ١٫٥) as one word.
Punctuation is not a word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from glossary.normalize import fold, fold_ta, fold_with_offsets

# Arabic-Indic and Persian digits, and the Arabic decimal and thousands separators; one
# character in, one out, so folded offsets still map back.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


def is_number(word: str) -> bool:
    return word[0].isdigit()


def _folded(text: str) -> str:
    return fold_ta(text).translate(_DIGITS)


def folded_words(text: str) -> list[str]:
    """The words of `text` as a fuzzy match compares them. No fold reaches across whitespace,
    so each whitespace-separated chunk is folded on its own, and once: a memory of 100,000
    sentences repeats its chunks (the same as `words_with_spans(text).words`, tested)."""
    return [word for chunk in text.split() for word in _chunk_words(chunk)]


@lru_cache(maxsize=1 << 18)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_folded(fold(chunk))))


@dataclass(frozen=True)
class Words:
    """The compared words of a text, with where each stands in it."""

    text: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # offsets of each word in `text`, marks included


def words_with_spans(text: str) -> Words:
    folded = fold_with_offsets(text)
    tokens = list(_TOKEN.finditer(_folded(folded.text)))
    return Words(
        text,
        tuple(token.group() for token in tokens),
        tuple(folded.original_span(*token.span()) for token in tokens),
    )
