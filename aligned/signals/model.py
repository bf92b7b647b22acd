"""Signals read from the model: its confidence in the English, and how much of the Arabic it
looked at. They apply when a Hypothesis is at hand (translate, or score with a model)."""

from __future__ import annotations

import math
from abc import abstractmethod

import numpy as np

from aligned.signals.base import Pair, Signal
from aligned.signals.renderings import rendering_tokens
from aligned.word_alignment import source_coverage
from mt.engines.calibration import CALIBRATION_KEY


class _ModelSignal(Signal):
    """A raw value read from the model, mapped linearly to [0, 1] between a floor (0) and a
    ceiling (1). The bounds are the model's own (measured by aligned/calibration.py and carried
    by the hypothesis) when it was calibrated; else FLOOR and CEILING, the usual ranges of
    opus-mt models, which suit no other model."""

    needs_model = True
    FLOOR: float
    CEILING: float

    @abstractmethod
    def raw(self, pair: Pair) -> float:
        """The value this signal reads from the hypothesis."""

    def bounds(self, pair: Pair) -> tuple[float, float]:
        calibration = pair.hypothesis.extra.get(CALIBRATION_KEY) or {}
        floor, ceiling = calibration.get(self.name, (self.FLOOR, self.CEILING))
        return floor, ceiling

    def _score(self, pair: Pair) -> float:
        floor, ceiling = self.bounds(pair)
        return (self.raw(pair) - floor) / (ceiling - floor)


class _LogProbSignal(_ModelSignal):
    """A log-probability signal. The tokens of a glossary rendering are left out: the model
    rarely writes the house's rendering itself, and its surprise at a word the glossary put
    there is not doubt about its translation (the </s> and every other token still count)."""

    for_forced: bool = False  # model's own output, or forced decoding of a given target

    def _applies(self, pair: Pair) -> bool:
        return pair.hypothesis is not None and pair.forced == self.for_forced

    @staticmethod
    def logprobs(pair: Pair) -> list[float]:
        """The hypothesis's token log-probs, </s> last, without those of rendering tokens."""
        logprobs = pair.hypothesis.token_logprobs
        # A segment translated in pieces has one </s> per piece, and no record of where its
        # pieces meet: its tokens cannot be matched to their log-probs, and all count.
        if not pair.terms or len(logprobs) != len(pair.hypothesis.tokens) + 1:
            return list(logprobs)
        glossary = [*rendering_tokens(pair), False]
        return [lp for lp, skip in zip(logprobs, glossary, strict=True) if not skip]

    def _describe(self, pair: Pair) -> str:
        return f"{self.problem} (log-probability {self.raw(pair):.2f})"


class MeanLogProb(_LogProbSignal):
    """Mean token log-probability of the model's own output: low on hallucinations."""

    name = "mean_logprob"
    problem = "the model is unsure of this translation"
    FLOOR, CEILING = -3.0, -0.8

    def raw(self, pair: Pair) -> float:
        return _mean(self.logprobs(pair))


class MinLogProb(_LogProbSignal):
    """The least likely token of the model's own output: one word the model barely chose."""

    name = "min_logprob"
    problem = "the model barely chose one of the words"
    FLOOR, CEILING = -9.0, -4.0

    def raw(self, pair: Pair) -> float:
        logprobs = self.logprobs(pair)
        return float(np.min(logprobs)) if logprobs else -math.inf


class ForcedLogProb(_LogProbSignal):
    """Mean log-probability the model gives a target it did not write (a human translation, a
    corrected file, the other side of an aligned pair); lower bounds, as a model rarely
    predicts another writer's wording."""

    name = "forced_logprob"
    problem = "the model finds this English an unlikely translation of the Arabic"
    FLOOR, CEILING = -5.0, -1.5
    for_forced = True

    def raw(self, pair: Pair) -> float:
        return _mean(self.logprobs(pair))


class AttentionCoverage(_ModelSignal):
    """Share of the Arabic words the model attended to while writing the English: a dropped
    half of the sentence is hardly attended at all."""

    name = "coverage"
    problem = "part of the Arabic seems untranslated (the model hardly attended to it)"
    # At this coverage and below the value is 0; from the ceiling up, full marks.
    FLOOR, CEILING = 0.4, 0.9

    def _applies(self, pair: Pair) -> bool:
        hyp = pair.hypothesis
        return hyp is not None and hyp.attention is not None and np.size(hyp.attention) > 0

    def raw(self, pair: Pair) -> float:
        hyp = pair.hypothesis
        return source_coverage(hyp.attention, hyp.source_tokens, hyp.tokens)

    def _describe(self, pair: Pair) -> str:
        return f"{self.problem}: {self.raw(pair):.0%} of the Arabic words attended"


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else -math.inf
