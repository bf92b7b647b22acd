"""What a pair's `score` and `flag` mean, defined in one place.

score: the model's length-normalised log-probability mapped into [0, 1] as exp(mean token
log-prob), i.e. the geometric mean of the token probabilities. flag: ok at or above
OK_THRESHOLD, review at or above REVIEW_THRESHOLD, bad below; skipped for untranslated
boilerplate (score empty).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mt.document import Segment

OK_THRESHOLD = 0.5
REVIEW_THRESHOLD = 0.2


def model_confidence(logprobs: Sequence[float]) -> float:
    """exp(mean log-prob), clamped into [0, 1]."""
    if not logprobs:
        return 0.0
    return min(1.0, max(0.0, math.exp(sum(logprobs) / len(logprobs))))


def flag_for(score: float) -> str:
    if score >= OK_THRESHOLD:
        return "ok"
    return "review" if score >= REVIEW_THRESHOLD else "bad"


def assess(segment: Segment, logprobs: Sequence[float]) -> None:
    """Fill the segment's score, flag and reasons from the model's token log-probs."""
    segment.score = model_confidence(logprobs)
    segment.signals["mean_logprob"] = sum(logprobs) / len(logprobs) if logprobs else -99.0
    segment.flag = flag_for(segment.score)
    if segment.flag != "ok":
        segment.reasons.append("the model is unsure of this translation")


def mark_skipped(segment: Segment) -> None:
    segment.score = None
    segment.flag = "skipped"
