"""The one interface of every quality signal (after OpusFilter's FilterABC and sacrebleu's
metrics): a short `name`, a public `score(pairs)` that checks its arguments, and private hooks
that do the work on one pair.

A signal's value is in [0, 1]: 1 means the signal sees no problem, lower values a worse one.
None means the signal does not apply to the pair (a model signal without a model, the forced
log-probability of the model's own output). How values combine is the business of
aligned/pair_assessment.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from mt.engines.base import Hypothesis


@dataclass(frozen=True)
class Pair:
    """What a signal sees of one segment."""

    source: str  # Arabic
    target: str  # English
    hypothesis: Hypothesis | None = None  # the model's reading of `target`
    forced: bool = False  # hypothesis came from forced decoding of a target the model did not write
    terms: tuple[str, ...] = ()  # glossary targets the English must contain
    # The Arabic each of `terms` renders, in the same order (empty: not known).
    term_sources: tuple[str, ...] = ()


class Signal(ABC):
    name: ClassVar[str]
    needs_model: ClassVar[bool] = False
    problem: ClassVar[str]  # the reason in words when the value is low

    def score(self, pairs: Sequence[Pair]) -> list[float | None]:
        """One value per pair, in [0, 1] or None where the signal does not apply."""
        if isinstance(pairs, Pair | str) or not all(isinstance(p, Pair) for p in pairs):
            raise TypeError(f"{self.name}: score() takes a sequence of Pair")
        values = []
        for pair in pairs:
            value = self._score(pair) if self._applies(pair) else None
            values.append(None if value is None else min(1.0, max(0.0, value)))
        return values

    def describe(self, pair: Pair) -> str:
        """The problem with this pair in words, for a reviewer, with details where there are any."""
        if not isinstance(pair, Pair):
            raise TypeError(f"{self.name}: describe() takes a Pair")
        return self._describe(pair)

    def _applies(self, pair: Pair) -> bool:
        return not self.needs_model or pair.hypothesis is not None

    def _describe(self, pair: Pair) -> str:
        return self.problem

    @abstractmethod
    def _score(self, pair: Pair) -> float:
        """The value for one pair to which the signal applies."""
