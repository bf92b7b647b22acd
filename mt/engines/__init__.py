"""Engines behind one small interface. The registry builds the CLI's --engine choices; engine
modules are imported only when chosen, so `jisr segment` never imports torch."""

from __future__ import annotations

import importlib
import logging

from mt.engines.alignment_attention import DEFAULT_ATTENTION, AttentionChoice, explicit_attention
from mt.engines.base import DEFAULT_MODEL, DecodeOptions, Engine, Hypothesis
from mt.engines.calibration import bounds_under, load_calibration
from mt.engines.model_source import resolve_model_dir
from mt.errors import ConfigurationError, ModelError

# name -> "module:Class"; "auto" tries them in this order.
ENGINES: dict[str, str] = {
    "ctranslate2": "mt.engines.ctranslate2_engine:CTranslate2Engine",
    "transformers": "mt.engines.transformers_engine:TransformersEngine",
}
ENGINE_CHOICES = ("auto", *ENGINES)

logger = logging.getLogger(__name__)


def engine_class(name: str) -> type[Engine]:
    if name not in ENGINES:
        raise ConfigurationError(
            f"Unknown engine {name!r}; choose one of: {', '.join(ENGINE_CHOICES)}."
        )
    module_name, class_name = ENGINES[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def load_engine(
    name: str,
    model: str = DEFAULT_MODEL,
    *,
    revision: str | None = None,
    device: str | None = None,
    threads: int | None = None,
    attention: str | None = None,
) -> Engine:
    """Load `model` with the named engine; "auto" takes the first engine that loads. The
    engine carries the model's calibration (the quality signals' bounds) when one was measured,
    and returns the alignment attention the calibration chose, unless `attention` (a name of
    mt.engines.alignment_attention, else $JISR_ATTENTION) chooses another."""
    explicit = explicit_attention(attention)
    if name != "auto":
        return _load(name, model, revision, device, threads, explicit)
    # A model that is missing or incomplete fails the same way in every engine: say it once.
    resolve_model_dir(model, revision)
    reason = "No engine could load."
    for candidate in ENGINES:
        try:
            return _load(candidate, model, revision, device, threads, explicit)
        except (ImportError, ModelError) as error:  # ImportError: the library is not installed
            reason = str(error)
            if candidate != list(ENGINES)[-1]:
                logger.warning("The %s engine could not load (%s); falling back to the next.",
                               candidate, reason)
    raise ModelError(reason)


def _load(
    name: str, model: str, revision: str | None, device: str | None, threads: int | None,
    explicit: AttentionChoice | None,
) -> Engine:
    cls = engine_class(name)
    stored = load_calibration(model, revision, cls.name)
    attention = explicit or (stored.attention if stored else DEFAULT_ATTENTION)
    engine = cls(model, revision=revision, device=device, threads=threads, attention=attention)
    engine.calibration = bounds_under(stored, attention)
    if stored and attention != stored.attention:
        logger.warning("Alignment attention %s, not the %s the model was calibrated with: "
                       "the coverage signal takes its built-in bounds.", attention.name,
                       stored.attention.name)
    return engine


__all__ = [
    "DEFAULT_MODEL",
    "ENGINES",
    "ENGINE_CHOICES",
    "DecodeOptions",
    "Engine",
    "Hypothesis",
    "load_engine",
]
