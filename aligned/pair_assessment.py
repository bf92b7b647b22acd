"""A translated pair's assessment: its `score`, `flag` and `reasons` from its quality signals.
What those columns mean is defined here, in one place, as vecalign's process_scores does.

- Every signal gives a value in [0, 1]: 1 when it sees no problem (aligned/signals/base.py).
- `score` is the product of the values of the signals that apply, each raised to its WEIGHT:
  1.0 when no signal sees a problem; each problem multiplies the score down by its severity, so
  one clear failure (a loop, a lost half, a changed number) is enough to pull a pair down however
  good the rest is. It ranks pairs; it is not a calibrated probability.
- `flag`: ok from OK_FROM up, bad below BAD_BELOW, review in between. Boilerplate that was not
  translated is `skipped` with no score. A content segment with no English is bad with score 0.
- `reasons`: every signal below REASON_BELOW says what it sees, in words, worst first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping

from aligned.signals import SIGNALS, Pair, Signal
from mt.document import GlossaryUse, Segment
from mt.engines.base import Hypothesis

log = logging.getLogger(__name__)

OK_FROM = 0.7
BAD_BELOW = 0.4
REASON_BELOW = 0.85
SCORE_DECIMALS = 4  # every output shows the same rounded value

# How much each signal counts. A weight of 1 lets the signal alone decide the flag; signals that
# are noisy on good pairs (brackets, the model's confidence) count less.
WEIGHTS: dict[str, float] = {
    "length_ratio": 1.0,
    "numbers": 1.0,
    "arabic_script": 1.0,
    "repetition": 1.0,
    "brackets": 0.5,
    "latin_names": 0.5,
    "glossary_compliance": 0.5,
    "mean_logprob": 0.5,
    "min_logprob": 0.25,
    "forced_logprob": 0.5,
    "coverage": 1.0,
}
if set(WEIGHTS) != set(SIGNALS):
    raise RuntimeError("every registered signal needs a weight in aligned/pair_assessment.py")

NO_TRANSLATION = "there is no English for this sentence"
_SIGNALS: dict[str, Signal] = {name: cls() for name, cls in SIGNALS.items()}


def combine(values: Mapping[str, float | None]) -> float:
    """The score of a pair from its signal values (None: the signal did not apply)."""
    unknown = set(values) - set(WEIGHTS)
    if unknown:
        raise ValueError(f"no weight for signals: {', '.join(sorted(unknown))}")
    score = math.prod(
        value ** WEIGHTS[name] for name, value in values.items() if value is not None
    )
    return round(score, SCORE_DECIMALS)


def flag_for(score: float) -> str:
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"a score is in [0, 1], not {score}")
    if score >= OK_FROM:
        return "ok"
    return "review" if score >= BAD_BELOW else "bad"


def scoring_signature() -> str:
    """What turns signals into `score`, `flag` and `reasons`, for output signatures: a hash
    of WEIGHTS and the three thresholds."""
    weights = hashlib.sha256(json.dumps(WEIGHTS, sort_keys=True).encode()).hexdigest()[:8]
    return f"weights:{weights}|ok:{OK_FROM}|bad:{BAD_BELOW}|reasons:{REASON_BELOW}"


def signal_values(pair: Pair, names: tuple[str, ...] | None = None) -> dict[str, float]:
    """The value of every signal (or of `names`) that applies to `pair`, rounded."""
    values = {}
    for name in names or tuple(_SIGNALS):
        value = _SIGNALS[name].score([pair])[0]
        if value is not None:
            values[name] = round(value, SCORE_DECIMALS)
    return values


def reasons_for(pair: Pair, values: Mapping[str, float]) -> list[str]:
    low = sorted((value, name) for name, value in values.items() if value < REASON_BELOW)
    return [_SIGNALS[name].describe(pair) for _, name in low]


def planned_terms(segment: Segment) -> tuple[str, ...]:
    """The renderings the English must hold: one per glossary use (glossary.enforce.TermUse:
    `form`, and `covered_by` when another use's rendering already holds it)."""
    return tuple(use.form for use in _rendering_uses(segment))


def planned_term_sources(segment: Segment) -> tuple[str, ...]:
    """The Arabic each of planned_terms renders: its use's words and those of the uses its
    rendering covers."""
    covered: dict[int, list[str]] = {}
    for use in segment.matches:
        if use.covered_by is not None:
            covered.setdefault(id(use.covered_by), []).append(use.match.surface)
    return tuple(" ".join([use.match.surface, *covered.get(id(use), [])])
                 for use in _rendering_uses(segment))


def _rendering_uses(segment: Segment) -> list[GlossaryUse]:
    return [use for use in segment.matches if use.covered_by is None and use.form]


def assess(
    segment: Segment, hypothesis: Hypothesis | None = None, *, forced: bool = False,
    signals: tuple[str, ...] | None = None,
) -> Segment:
    """Fill segment.score, .flag, .signals and .reasons. `hypothesis` is the model's reading of
    segment.target: its own output, or (forced=True) forced decoding of a given target. A
    hypothesis of some other text is ignored rather than trusted."""
    if segment.kind == "boilerplate" and not segment.target:
        segment.score, segment.flag, segment.signals, segment.reasons = None, "skipped", {}, []
        return segment
    if not segment.target.strip():
        segment.score, segment.flag, segment.signals = 0.0, "bad", {}
        segment.reasons = [NO_TRANSLATION]
        return segment
    if hypothesis is not None and hypothesis.text.strip() != segment.target.strip():
        log.debug("segment %s: hypothesis is of another text; model signals left out", segment.seg)
        hypothesis = None
    pair = Pair(segment.source, segment.target, hypothesis, forced=forced,
                terms=planned_terms(segment), term_sources=planned_term_sources(segment))
    segment.signals = signal_values(pair, signals)
    segment.score = combine(segment.signals)
    segment.flag = flag_for(segment.score)
    segment.reasons = reasons_for(pair, segment.signals)
    return segment
