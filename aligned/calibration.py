"""Calibrate the model signals of one model on its own distribution.

The model's readings of a reference text in its domain are collected (the pairs come from
mt/app/calibrate.py: the model's own translations, made as `jisr translate` makes them, glossary
on, and forced decoding of the given English or of those translations), and each model signal's
raw value is read from them, the glossary's renderings left out as the signals leave them out.
Its ceiling (full marks) is the 10th percentile of those values and its floor (0) lies three
times as far below the 1st percentile as that is below the median: 90% of intact pairs get full
marks, the 1st percentile at least three quarters (a signal of weight 1 alone then leaves it
ok), and a pair the model reads as it reads no good translation gets 0. (Twice as far flagged
1.5% of the mini model's intact pairs.) The bounds are saved beside the converted model
(mt/engines/calibration.py), and every later run with the model uses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligned.signals import SIGNALS, Pair
from mt.engines.base import TranslationEngine
from mt.engines.calibration import Bounds, Calibration, calibration_path, save_calibration

CEILING_PERCENTILE = 10
TAIL_PERCENTILE = 1
FLOOR_SPREADS = 3.0  # the floor: this many (median - tail) below the tail percentile
MIN_SENTENCES = 50  # fewer cannot give a 1st percentile worth the name


def bounds_of(values: Sequence[float]) -> tuple[float, float]:
    """(floor, ceiling) from one signal's raw values on intact pairs."""
    ceiling, tail, median = np.percentile(values, [CEILING_PERCENTILE, TAIL_PERCENTILE, 50])
    spread = max(median - tail, 1e-3)
    return float(tail - FLOOR_SPREADS * spread), float(max(ceiling, tail + 1e-3))


def raw_values(pairs: Sequence[Pair]) -> dict[str, list[float]]:
    """Each model signal's raw value over the pairs it applies to."""
    values: dict[str, list[float]] = {}
    for name, cls in SIGNALS.items():
        if not cls.needs_model:
            continue
        signal = cls()
        applies = [p for p, v in zip(pairs, signal.score(pairs), strict=True) if v is not None]
        values[name] = [signal.raw(p) for p in applies]
    return values


def calibrate(engine: TranslationEngine, pairs: Sequence[Pair], about: dict) -> tuple[Path, Bounds]:
    """Measure and save the bounds of `engine`'s model from its readings of reference `pairs`
    (hypotheses of the model's own translations, and forced ones); `about` says how they were
    made, for the file. Returns where the bounds went and them."""
    own = sum(1 for p in pairs if not p.forced)
    if own < MIN_SENTENCES:
        raise ValueError(f"calibration needs at least {MIN_SENTENCES} sentences, not {own}")
    bounds = {name: bounds_of(values) for name, values in raw_values(pairs).items() if values}
    path = calibration_path(engine.model_id, engine.revision, engine.name)
    rule = (f"ceiling p{CEILING_PERCENTILE}; floor p{TAIL_PERCENTILE} - "
            f"{FLOOR_SPREADS} x (median - p{TAIL_PERCENTILE})")
    save_calibration(path, Calibration(bounds, engine.attention), {**about, "rule": rule})
    engine.calibration = bounds
    return path, bounds
