"""One side of an alignment: its sentences, with the paragraph and kind of each. Below both the
aligner (aligned.sentence_align) and the scoring of its beads (aligned.bead_assessment)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True)
class Side:
    """One side's sentences with the paragraph index and kind (content, heading, boilerplate)
    of each."""

    texts: list[str]
    paras: list[int]
    kinds: list[str]

    @classmethod
    def of(
        cls,
        texts: Sequence[str],
        paras: Sequence[int] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> Side:
        count = len(texts)
        paras = list(paras) if paras is not None else [0] * count
        kinds = list(kinds) if kinds is not None else ["content"] * count
        if len(paras) != count or len(kinds) != count:
            raise ValueError("paras and kinds need one entry per sentence")
        return cls(list(texts), paras, kinds)

    def __len__(self) -> int:
        return len(self.texts)

    def lengths(self) -> np.ndarray:
        return np.array([len(text) for text in self.texts], dtype=float)

    def para_starts(self) -> np.ndarray:
        paras = np.asarray(self.paras)
        return np.r_[True, paras[1:] != paras[:-1]] if len(paras) else np.zeros(0, bool)

    def para_ends(self) -> np.ndarray:
        paras = np.asarray(self.paras)
        return np.r_[paras[1:] != paras[:-1], True] if len(paras) else np.zeros(0, bool)

    def paragraph_side(self) -> tuple[Side, np.ndarray]:
        """One 'sentence' per paragraph (its sentences joined), and each sentence's position
        in that list."""
        starts = np.flatnonzero(self.para_starts())
        of = np.cumsum(self.para_starts()) - 1
        bounds = [*starts.tolist(), len(self.texts)]
        texts = [" ".join(self.texts[first:stop]) for first, stop in pairwise(bounds)]
        kinds = [self.kinds[start] for start in starts]
        return Side.of(texts, list(range(len(starts))), kinds), of

    def is_kind(self, kind: str) -> np.ndarray:
        return np.array([k == kind for k in self.kinds], dtype=bool)
