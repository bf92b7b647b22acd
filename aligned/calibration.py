"""Calibrate the model signals of one model on its own distribution.

The model translates a reference text in its domain (Arabic sentences; with their English, the
forced log-probability is measured on that English, else on the model's own translations) and
each model signal's raw value is collected. Its ceiling (full marks) is the 10th percentile of
those values and its floor (0) lies three times as far below the 1st percentile as that is
below the median: 90% of intact pairs get full marks, the 1st percentile at least three
quarters (a signal of weight 1 alone then leaves it ok), and a pair the model reads as it reads
no good translation gets 0. (Twice as far flagged 1.5% of the mini model's intact pairs.)
The bounds are saved beside the converted model (mt/engines/calibration.py), and every later
run with the model uses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligned.signals import SIGNALS, Pair
from mt.engines.base import DecodeOptions, Engine
from mt.engines.calibration import Bounds, calibration_path, save_calibration

CEILING_PERCENTILE = 10
TAIL_PERCENTILE = 1
FLOOR_SPREADS = 3.0  # the floor: this many (median - tail) below the tail percentile
MIN_SENTENCES = 50  # fewer cannot give a 1st percentile worth the name


def bounds_of(values: Sequence[float]) -> tuple[float, float]:
    """(floor, ceiling) from one signal's raw values on intact pairs."""
    ceiling, tail, median = np.percentile(values, [CEILING_PERCENTILE, TAIL_PERCENTILE, 50])
    spread = max(median - tail, 1e-3)
    return float(tail - FLOOR_SPREADS * spread), float(max(ceiling, tail + 1e-3))


def raw_values(
    engine: Engine, sources: Sequence[str], targets: Sequence[str] | None = None
) -> dict[str, list[float]]:
    """Each model signal's raw value over the reference pairs, as jisr reads them: the model's
    own translations for the signals of its output, forced decoding for forced_logprob."""
    own = engine.translate(list(sources), DecodeOptions())
    forced = engine.score(list(sources), list(targets) if targets else [h.text for h in own])
    pairs = [Pair(s, h.text, h) for s, h in zip(sources, own, strict=True)]
    pairs += [Pair(s, h.text, h, forced=True) for s, h in zip(sources, forced, strict=True)]
    values: dict[str, list[float]] = {}
    for name, cls in SIGNALS.items():
        if not cls.needs_model:
            continue
        signal = cls()
        applies = [p for p, v in zip(pairs, signal.score(pairs), strict=True) if v is not None]
        values[name] = [signal.raw(p) for p in applies]
    return values


def calibrate(
    engine: Engine, sources: Sequence[str], targets: Sequence[str] | None = None
) -> tuple[Path, Bounds]:
    """Measure and save the bounds of `engine`'s model; returns where they went and them."""
    if len(sources) < MIN_SENTENCES:
        raise ValueError(f"calibration needs at least {MIN_SENTENCES} sentences, "
                         f"not {len(sources)}")
    bounds = {name: bounds_of(values) for name, values in raw_values(engine, sources,
                                                                      targets).items() if values}
    path = calibration_path(engine.model_id, engine.revision, engine.name)
    about = {"sentences": len(sources), "forced_on": "given English" if targets else "own output",
             "rule": f"ceiling p{CEILING_PERCENTILE}; floor p{TAIL_PERCENTILE} - "
                     f"{FLOOR_SPREADS} x (median - p{TAIL_PERCENTILE})"}
    save_calibration(path, bounds, about)
    engine.calibration = bounds
    return path, bounds
