"""Find term-base entries in Arabic text: fold-aware, clitic-aware, longest match first.

How a written word matches an entry's word (rules applied to folded text, see
glossary.normalize):

- Words are maximal runs of letters and digits; a match covers whole words only, and the words of
  a multi-word term must follow one another with only spaces between them. So a term never
  matches inside a longer word, and never across punctuation.
- The first word may carry the proclitics that attach to nouns in writing: a conjunction و or ف,
  then a preposition ب ك or ل (وب، فل، ...), and ل + ال contracts to لل (للحشد الشعبي).
  The stem left after a proclitic must keep at least two letters.
- The definite article ال may be added to or dropped from the first word of a multi-word term
  (الحشد الشعبي / حشد الشعبي is not a real variant, but قوات الحشد ... / الكتائب ... are).
  Single-word terms match with their own article only: dropping or adding it turns names into
  ordinary words (الرقة / رقة "thinness", بدر / البدر "the full moon").
- No suffixes: an inflected form (العراقي "Iraqi", الدواعش "ISIS members") is another word with
  another English rendering, and needs its own entry.
- ة and ه are the same letter unless the entry says otherwise (Entry.fold_ta).

Lookup walks a trie keyed by folded words, so the cost is proportional to the text's length times
the longest term's word count, whatever the number of entries. At each word the longest entry
wins; the scan continues after it (leftmost-longest, like Aho-Corasick's longest-match mode).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from glossary.normalize import FoldedText, fold, fold_ta, fold_with_offsets
from glossary.termbase import Entry, TermBase

ARTICLE = "ال"
CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ك", "ل")
MIN_STEM_LETTERS = 2
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script (folded text has no marks)
_TERMINAL = ""  # trie key under which a node stores the entries ending there (no word is empty)


@dataclass(frozen=True)
class Match:
    """One occurrence of an entry in a text; start/end are offsets into that text."""

    start: int
    end: int
    surface: str  # text[start:end]: the whole written words, proclitics included
    prefix: str  # the proclitics as written ('' when none), a prefix of surface
    entry: Entry
    matched: str  # which of the entry's spellings (source or a variant) matched


@dataclass(frozen=True)
class _Word:
    start: int  # offsets in the folded text
    end: int
    text: str


@dataclass(frozen=True)
class _Terminal:
    entry: Entry
    spelling: str
    words: tuple[str, ...]  # folded words with ة kept, to check entries that keep ة apart
    gaps: tuple[str, ...] = ()  # what separates the words: " " for spaces, else the marks


def _words(folded: str) -> list[_Word]:
    return [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]


@lru_cache(maxsize=1 << 16)  # news repeats its words: most lookups are hits
def _clitic_splits(word: str) -> tuple[tuple[int, str], ...]:
    """(letters of proclitic, stem) readings of a written word, shortest proclitic first."""
    splits = [(0, word)]
    for conjunction in CONJUNCTIONS:
        for preposition in PREPOSITIONS:
            prefix = conjunction + preposition
            if prefix and word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM_LETTERS:
                splits.append((len(prefix), word[len(prefix) :]))
        contracted = conjunction + "لل"
        if word.startswith(contracted) and len(word) - len(contracted) >= MIN_STEM_LETTERS:
            # The preposition is the first ل; the second is the article's, whose alef is elided.
            splits.append((len(conjunction) + 1, ARTICLE + word[len(contracted) :]))
    return tuple(sorted(splits, key=lambda split: split[0]))  # stable: ties keep this order


def _article_toggled(words: tuple[str, ...]) -> tuple[str, ...]:
    first = words[0]
    if first.startswith(ARTICLE) and len(first) - len(ARTICLE) >= MIN_STEM_LETTERS:
        return (first[len(ARTICLE) :], *words[1:])
    return (ARTICLE + first, *words[1:])


class Matcher:
    """An index of a term base's entries; `find` lists their occurrences in a text."""

    def __init__(self, termbase: TermBase):
        self.termbase = termbase
        self._root: dict = {}
        for entry in termbase.entries:
            for spelling in entry.sources:
                # Cut the term into words as the text is cut, so that a term written with
                # marks between its letters (سي.آي.إيه) is found, the marks themselves kept.
                folded = fold(spelling)
                tokens = _words(folded)
                words = tuple(token.text for token in tokens)
                if not words:
                    continue
                gaps = tuple(_gap(folded, a, b) for a, b in zip(tokens, tokens[1:], strict=False))
                self._insert(words, _Terminal(entry, spelling, words, gaps))
                if len(words) > 1:
                    toggled = _article_toggled(words)
                    self._insert(toggled, _Terminal(entry, spelling, toggled, gaps))

    def _insert(self, words: tuple[str, ...], terminal: _Terminal) -> None:
        node = self._root
        for word in words:
            node = node.setdefault(fold_ta(word), {})
        node[_TERMINAL] = terminal  # a later entry overrides an earlier one with the same words

    def find(self, text: str) -> list[Match]:
        folded = fold_with_offsets(text)
        words = _words(folded.text)
        matches: list[Match] = []
        index = 0
        while index < len(words):
            best = self._longest_at(folded.text, words, index)
            if best is None:
                index += 1
                continue
            count, prefix_letters, terminal = best
            matches.append(self._match(folded, words, index, count, prefix_letters, terminal))
            index += count
        return matches

    def _longest_at(
        self, folded: str, words: list[_Word], index: int
    ) -> tuple[int, int, _Terminal] | None:
        """(word count, proclitic letters, terminal) of the longest entry starting at `index`;
        among equally long ones the reading with the shortest proclitic."""
        best = None
        for prefix_letters, stem in _clitic_splits(words[index].text):
            node = self._root.get(fold_ta(stem))
            written = [stem]
            gaps: list[str] = []
            position = index + 1
            while node is not None:
                terminal = node.get(_TERMINAL)
                if terminal and self._agrees(terminal, written) and tuple(gaps) == terminal.gaps:
                    count = position - index
                    if best is None or count > best[0]:
                        best = (count, prefix_letters, terminal)
                if position >= len(words):
                    break
                gaps.append(_gap(folded, words[position - 1], words[position]))
                written.append(words[position].text)
                node = node.get(fold_ta(words[position].text))
                position += 1
        return best

    @staticmethod
    def _agrees(terminal: _Terminal, written: list[str]) -> bool:
        return terminal.entry.fold_ta or tuple(written) == terminal.words

    @staticmethod
    def _match(
        folded: FoldedText,
        words: list[_Word],
        index: int,
        count: int,
        prefix_letters: int,
        terminal: _Terminal,
    ) -> Match:
        first, last = words[index], words[index + count - 1]
        start, end = folded.original_span(first.start, last.end)
        stem_start = folded.positions[first.start + prefix_letters] if prefix_letters else start
        text = folded.original
        return Match(
            start=start,
            end=end,
            surface=text[start:end],
            prefix=text[start:stem_start],
            entry=terminal.entry,
            matched=terminal.spelling,
        )


def _gap(folded: str, before: _Word, after: _Word) -> str:
    """What lies between two words: " " for any run of spaces, else the marks as written."""
    gap = folded[before.end : after.start]
    return " " if gap.isspace() else gap
