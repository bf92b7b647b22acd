"""Anchors: things a translation keeps, so a sentence and its translation share them.

Each sentence becomes a multiset of anchor keys; a key found on both sides is evidence that two
sentences belong together:
- numbers, by value ("n:1500"), whatever digits or words wrote them (aligned.numbers);
- Latin-script tokens inside the Arabic ("l:nato" matches "NATO");
- glossary terms, by English rendering ("g:hezbollah" where the Arabic term is found, and where
  the English contains the rendering);
- names, by consonant skeleton ("s:ktr" from قطر and "Qatar"; see aligned.transliterate).

Keys are weighted by rarity in the document pair: a key in one sentence a side is worth 1, a key
in k sentences 1/k, and a key in more than MAX_SENTENCES sentences is ignored (a country name on
every line tells nothing about which line goes where).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from aligned.bead_costs import PairBand
from aligned.numbers import NumberMention, arabic_numbers, english_numbers
from aligned.transliterate import MIN_SKELETON, arabic_skeletons, english_skeleton
from mt.arabic import ARABIC_WORD

if TYPE_CHECKING:
    from glossary.match import Matcher
    from glossary.termbase import TermBase

MAX_SENTENCES = 12
# Names are matched by skeleton, so they collide more often than numbers or Latin tokens.
KIND_WEIGHTS = {"n": 1.0, "l": 1.0, "g": 1.0, "s": 0.6}

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.'][A-Za-z0-9]+)*")
# Capitalised English words that are not names: sentence openers, days and months.
_NOT_NAMES = frozenset("""
a an the this that these those it its he she they we i in on at of for from to by with and but
or as after before during while when where if since until however meanwhile also according
said says monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december mr mrs ms dr
""".split())



def _number_keys(mentions: list[NumberMention]) -> list[str]:
    return [f"n:{mention.value:g}" for mention in mentions]


@dataclass(frozen=True)
class AnchorReader:
    """Turns sentences into anchor keys. Without a glossary no term anchors are made."""

    terms: Matcher | None = None  # finds entries in Arabic, clitic- and spelling-aware
    targets: tuple[str, ...] = ()  # every entry's English rendering, lower-cased

    @classmethod
    def with_glossary(cls, termbase: TermBase) -> AnchorReader:
        from glossary.match import Matcher

        targets = tuple(sorted({entry.target.lower() for entry in termbase.entries}))
        return cls(Matcher(termbase), targets)

    def arabic(self, text: str) -> Counter[str]:
        keys = _number_keys(arabic_numbers(text))
        keys += [f"l:{token.lower()}" for token in _LATIN.findall(text)]
        if self.terms is not None:
            keys += [f"g:{match.entry.target.lower()}" for match in self.terms.find(text)]
        for word in ARABIC_WORD.findall(text):
            keys += [f"s:{skeleton}" for skeleton in arabic_skeletons(word)]
        return Counter(keys)

    def english(self, text: str) -> Counter[str]:
        keys = _number_keys(english_numbers(text))
        tokens = _LATIN.findall(text)
        keys += [f"l:{token.lower()}" for token in tokens]
        if self.terms is not None:
            lowered = text.lower()
            keys += [f"g:{target}" for target in self.targets if target in lowered]
        for token in tokens:
            for part in token.split("-"):
                if part[:1].isupper() and part.lower() not in _NOT_NAMES:
                    skeleton = english_skeleton(part)
                    if len(skeleton) >= MIN_SKELETON:
                        keys.append(f"s:{skeleton}")
        return Counter(keys)


@dataclass(frozen=True)
class AnchorMatches:
    """Shared anchor weight of every sentence pair in a band, and each sentence's own weight
    (of keys that occur on both sides at all: the most it could share)."""

    shared: PairBand
    src_mass: np.ndarray
    tgt_mass: np.ndarray


def match_anchors(
    src_keys: Sequence[Counter[str]],
    tgt_keys: Sequence[Counter[str]],
    pairs: PairBand,
    kinds: str = "".join(KIND_WEIGHTS),
    weighted: bool = True,
) -> AnchorMatches:
    """Fill `pairs` with the anchor overlap min(count_src, count_tgt) of each pair, for keys of
    the given kinds; `weighted` applies the kind and rarity weights (else every key counts 1)."""
    src_where = _occurrences(src_keys, kinds)
    tgt_where = _occurrences(tgt_keys, kinds)
    src_mass = np.zeros(len(src_keys))
    tgt_mass = np.zeros(len(tgt_keys))
    rows, cols, weights = [], [], []
    for key in src_where.keys() & tgt_where.keys():
        src_at, tgt_at = src_where[key], tgt_where[key]
        if weighted and max(len(src_at), len(tgt_at)) > MAX_SENTENCES:
            continue
        weight = KIND_WEIGHTS[key[0]] / max(len(src_at), len(tgt_at)) if weighted else 1.0
        src_rows = np.array([r for r, _ in src_at])
        src_counts = np.array([count for _, count in src_at], dtype=float)
        tgt_rows = np.array([c for c, _ in tgt_at])
        tgt_counts = np.array([count for _, count in tgt_at], dtype=float)
        np.add.at(src_mass, src_rows, weight * src_counts)
        np.add.at(tgt_mass, tgt_rows, weight * tgt_counts)
        rows.append(np.repeat(src_rows, len(tgt_rows)))
        cols.append(np.tile(tgt_rows, len(src_rows)))
        weights.append(weight * np.minimum.outer(src_counts, tgt_counts).ravel())
    if rows:
        pairs.add(np.concatenate(rows), np.concatenate(cols), np.concatenate(weights))
    return AnchorMatches(pairs, src_mass, tgt_mass)


def count_kind(keys: Counter[str], kind: str) -> int:
    return sum(count for key, count in keys.items() if key[0] == kind)


def _occurrences(keys: Sequence[Counter[str]], kinds: str) -> dict[str, list[tuple[int, int]]]:
    where: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, counter in enumerate(keys):
        for key, count in counter.items():
            if key[0] in kinds:
                where[key].append((index, count))
    return where
