"""Signals read from the model: its confidence in the English, and how much of the Arabic it
looked at. They apply when a Hypothesis is at hand (translate, or score with a model)."""

from __future__ import annotations

from abc import abstractmethod

import numpy as np

from aligned.signals.base import Pair, Signal
from aligned.word_alignment import source_coverage


class _LogProbSignal(Signal):
    """A log-probability mapped linearly to [0, 1] between FLOOR (0) and CEILING (1).

    The bounds are set from the opus-mt literature's usual ranges, not measured here: a real
    model is needed to calibrate them (see README, "Scores").
    """

    needs_model = True
    FLOOR: float
    CEILING: float
    for_forced: bool = False  # model's own output, or forced decoding of a given target

    def _applies(self, pair: Pair) -> bool:
        return pair.hypothesis is not None and pair.forced == self.for_forced

    @abstractmethod
    def _value(self, pair: Pair) -> float:
        """The log-probability this signal reads from the hypothesis."""

    def _score(self, pair: Pair) -> float:
        return (self._value(pair) - self.FLOOR) / (self.CEILING - self.FLOOR)

    def _describe(self, pair: Pair) -> str:
        return f"{self.problem} (log-probability {self._value(pair):.2f})"


class MeanLogProb(_LogProbSignal):
    """Mean token log-probability of the model's own output: low on hallucinations."""

    name = "mean_logprob"
    problem = "the model is unsure of this translation"
    FLOOR, CEILING = -3.0, -0.8

    def _value(self, pair: Pair) -> float:
        return pair.hypothesis.mean_logprob


class MinLogProb(_LogProbSignal):
    """The least likely token of the model's own output: one word the model barely chose."""

    name = "min_logprob"
    problem = "the model barely chose one of the words"
    FLOOR, CEILING = -9.0, -4.0

    def _value(self, pair: Pair) -> float:
        return pair.hypothesis.min_logprob


class ForcedLogProb(_LogProbSignal):
    """Mean log-probability the model gives a target it did not write (a human translation, a
    corrected file, the other side of an aligned pair); lower bounds, as a model rarely
    predicts another writer's wording."""

    name = "forced_logprob"
    problem = "the model finds this English an unlikely translation of the Arabic"
    FLOOR, CEILING = -5.0, -1.5
    for_forced = True

    def _value(self, pair: Pair) -> float:
        return pair.hypothesis.mean_logprob


class AttentionCoverage(Signal):
    """Share of the Arabic words the model attended to while writing the English: a dropped
    half of the sentence is hardly attended at all."""

    name = "coverage"
    problem = "part of the Arabic seems untranslated (the model hardly attended to it)"
    needs_model = True
    FULL = 0.9  # coverage from here up is full marks
    NONE = 0.4  # ... and at this coverage and below the value is 0

    def _applies(self, pair: Pair) -> bool:
        hyp = pair.hypothesis
        return hyp is not None and hyp.attention is not None and np.size(hyp.attention) > 0

    def coverage(self, pair: Pair) -> float:
        hyp = pair.hypothesis
        return source_coverage(hyp.attention, hyp.source_tokens, hyp.tokens)

    def _score(self, pair: Pair) -> float:
        return (self.coverage(pair) - self.NONE) / (self.FULL - self.NONE)

    def _describe(self, pair: Pair) -> str:
        return f"{self.problem}: {self.coverage(pair):.0%} of the Arabic words attended"
