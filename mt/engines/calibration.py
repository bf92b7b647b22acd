"""Where a model's calibration of the quality signals is kept, and reading it back.

The model signals (log-probabilities, attention coverage) have no meaning in absolute terms: a
small model trained on a narrow world is far surer of itself than opus-mt on open news. Their
bounds are therefore measured on the model's own distribution (aligned/calibration.py) and kept
in the user cache beside the converted models, keyed like them by the model files, the engine
and the alignment attention, so that every Marian model gets its own flags. No file: the
signals' built-in bounds apply.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from mt.engines.alignment_attention import attention_choice
from mt.engines.model_source import model_key
from mt.errors import ModelError
from mt.userdirs import cache_dir

# Hypothesis.extra key under which an engine hands its bounds to the quality signals.
CALIBRATION_KEY = "calibration"
Bounds = dict[str, tuple[float, float]]  # signal name -> (floor, ceiling) of its raw value


def calibration_path(model: str, revision: str | None, engine: str) -> Path:
    # The coverage signal reads the alignment attention: another choice needs other bounds.
    settings = f"{model_key(model, revision)}|engine:{engine}|{attention_choice()}"
    key = hashlib.sha256(settings.encode()).hexdigest()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model.rstrip("/").split("/")[-1])
    return cache_dir() / "calibration" / f"{slug}-{engine}-{key[:16]}.json"


def load_calibration(model: str, revision: str | None, engine: str) -> Bounds | None:
    path = calibration_path(model, revision, engine)
    if not path.is_file():
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {name: (float(low), float(high)) for name, (low, high) in stored["bounds"].items()}
    except (ValueError, KeyError, TypeError) as error:
        raise ModelError(f"{path} is not a jisr calibration file ({error}); delete it and "
                         "calibrate again.") from error


def save_calibration(path: Path, bounds: Bounds, about: dict) -> None:
    """Write the bounds (and how they were measured) in one rename, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".tmp")
    record = {"bounds": {name: list(pair) for name, pair in bounds.items()}, **about}
    staging.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    staging.replace(path)


def calibration_digest(bounds: Bounds | None) -> str:
    """A short name for the bounds, for output signatures ('' when uncalibrated)."""
    if not bounds:
        return ""
    return hashlib.sha256(json.dumps(sorted(bounds.items())).encode()).hexdigest()[:8]
