"""Where a model's calibration is kept, and reading it back.

The model signals (log-probabilities, attention coverage) have no meaning in absolute terms: a
small model trained on a narrow world is far surer of itself than opus-mt on open news. Their
bounds are therefore measured on the model's own distribution (aligned/calibration.py) and kept
in the user cache beside the converted models, keyed like them by the model files and the
engine, so that every Marian model gets its own flags. The file also holds the model's choice of
alignment attention (mt/engines/alignment_attention.py), under which the coverage bounds were
measured. No file: the signals' built-in bounds and the default attention apply.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mt.engines.alignment_attention import AttentionChoice, parse_attention
from mt.engines.model_source import model_key
from mt.errors import ConfigurationError, ModelError
from mt.userdirs import cache_dir

# Hypothesis.extra key under which an engine hands its bounds to the quality signals.
CALIBRATION_KEY = "calibration"
Bounds = dict[str, tuple[float, float]]  # signal name -> (floor, ceiling) of its raw value
# The bound that depends on the alignment attention: another choice needs another bound.
ATTENTION_BOUND = "coverage"


@dataclass(frozen=True)
class Calibration:
    """What calibration stored for one model and engine."""

    bounds: Bounds
    attention: AttentionChoice  # the alignment attention the coverage bound was measured under


def calibration_path(model: str, revision: str | None, engine: str) -> Path:
    key = hashlib.sha256(f"{model_key(model, revision)}|engine:{engine}".encode()).hexdigest()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model.rstrip("/").split("/")[-1])
    return cache_dir() / "calibration" / f"{slug}-{engine}-{key[:16]}.json"


def load_calibration(model: str, revision: str | None, engine: str) -> Calibration | None:
    path = calibration_path(model, revision, engine)
    if not path.is_file():
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        bounds = {name: (float(low), float(high)) for name, (low, high) in stored["bounds"].items()}
        attention = parse_attention(stored["attention"])
    except (ValueError, KeyError, TypeError, ConfigurationError) as error:
        raise ModelError(f"{path} is not a jisr calibration file ({error}); delete it and "
                         "calibrate again.") from error
    return Calibration(bounds, attention)


def bounds_under(calibration: Calibration | None, attention: AttentionChoice) -> Bounds | None:
    """The stored bounds that hold under `attention`: all of them under the attention they were
    measured with, all but the coverage bound under another."""
    if calibration is None:
        return None
    if attention == calibration.attention:
        return calibration.bounds
    return {k: v for k, v in calibration.bounds.items() if k != ATTENTION_BOUND} or None


def save_calibration(path: Path, calibration: Calibration, about: dict) -> None:
    """Write the bounds, the attention (and how they were measured) in one rename, never half
    a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".tmp")
    record = {"bounds": {name: list(pair) for name, pair in calibration.bounds.items()},
              "attention": calibration.attention.name, **about}
    staging.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    staging.replace(path)


def calibration_digest(bounds: Bounds | None) -> str:
    """A short name for the bounds, for output signatures ('' when uncalibrated)."""
    if not bounds:
        return ""
    return hashlib.sha256(json.dumps(sorted(bounds.items())).encode()).hexdigest()[:8]
