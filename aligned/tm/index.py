"""An index of the translation memory's sources for fuzzy lookup.

The percentage is the word-level similarity of two sources' folded words (aligned.tm.words):
100 x (1 - word edit distance / the longer one's word count), rounded down, as CAT tools count
it. Only an exact match is 100, and that one is served, not offered: a source whose folded words
are all the same but whose text differs (diacritics, alef forms) is 99.

Scoring every entry would cost ~100 ms a sentence in a memory of 100,000. So candidates come
from an inverted index of words, probed with the sentence's rarest words only: a source that
shares fewer than threshold x length words with the sentence cannot reach the threshold, and one
that shares that many shares at least one of the words left after taking out the most frequent
ones (prefix filtering). Candidates of a length too far off are dropped before rapidfuzz scores
the rest.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from aligned.tm.words import folded_words
from mt.arabic import has_arabic_letter
from mt.human_memory import HumanTranslation

EXACT = 100
# Each distinct word is one character from here on (past the surrogates), so that rapidfuzz
# compares word sequences as strings, its fastest path.
_FIRST_CHAR = 0x10000


@dataclass(frozen=True)
class Candidate:
    percent: int
    translation: HumanTranslation


def percent(similarity: float) -> int:
    """A similarity in [0, 1] as a whole percentage, rounded down; 100 only when identical."""
    return min(EXACT - 1, math.floor(similarity * EXACT + 1e-9))


class FuzzyIndex:
    """The Arabic sources of human translations, by their folded words. A source without an
    Arabic letter is not indexed, and a sentence without one finds nothing: matches never cross
    the source language."""

    def __init__(self, translations: Iterable[HumanTranslation]):
        self._vocabulary: dict[str, str] = {}
        self._entries: list[HumanTranslation] = []
        self._words: list[str] = []  # each entry's words, one character a word
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for translation in translations:
            if not has_arabic_letter(translation.source):
                continue
            words = "".join(self._character(word) for word in folded_words(translation.source))
            if not words:
                continue
            for word in set(words):
                postings[word].append(len(self._entries))
            self._entries.append(translation)
            self._words.append(words)
        self._postings = {word: np.array(numbers, dtype=np.int32)
                          for word, numbers in postings.items()}
        self._lengths = np.array([len(words) for words in self._words], dtype=np.int32)

    def _character(self, word: str) -> str:
        return self._vocabulary.setdefault(word, chr(_FIRST_CHAR + len(self._vocabulary)))

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, source: str, threshold: int, limit: int) -> list[Candidate]:
        """The `limit` closest sources at `threshold` percent or more, best first (ties by
        source, so that the order is the same in every run)."""
        if not self._entries or limit < 1 or not has_arabic_letter(source):
            return []
        # A word the memory lacks matches nothing: each gets a character of its own.
        unknown = iter(range(_FIRST_CHAR + len(self._vocabulary), 0x10FFFF))
        query = "".join(self._vocabulary.get(word) or chr(next(unknown))
                        for word in folded_words(source))
        if not query:
            return []
        found = self._score(query, self._candidates(query, threshold), threshold)
        found.sort(key=lambda c: (-c.percent, c.translation.source))
        return found[:limit]

    def _candidates(self, query: str, threshold: int) -> np.ndarray:
        """Entries that share a word with the query among its rarest ones (see the module), of
        a length that can reach the threshold: each word more or less is one edit at least."""
        ratio = threshold / EXACT
        needed = math.ceil(ratio * len(query) - 1e-9)
        counts = Counter(word for word in query if word in self._postings)
        left = sum(counts.values())  # shared words the unprobed ones could still give
        probed = []
        for word in sorted(counts, key=lambda w: (len(self._postings[w]), w)):
            if left < needed:
                break
            probed.append(self._postings[word])
            left -= counts[word]
        if not probed:
            return np.empty(0, dtype=np.int32)
        found = np.unique(np.concatenate(probed))
        lengths = self._lengths[found]
        return found[(lengths >= ratio * len(query) - 1e-9)
                     & (lengths * ratio <= len(query) + 1e-9)]

    def _score(self, query: str, candidates: np.ndarray, threshold: int) -> list[Candidate]:
        numbers = candidates.tolist()
        scored = process.extract(
            query, [self._words[number] for number in numbers],
            scorer=Levenshtein.normalized_similarity, score_cutoff=threshold / EXACT - 1e-9,
            limit=None,
        )
        found = (Candidate(percent(similarity), self._entries[numbers[position]])
                 for _, similarity, position in scored)
        return [candidate for candidate in found if candidate.percent >= threshold]
