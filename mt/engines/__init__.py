"""Engines behind one small interface. The registry builds the CLI's --engine choices; engine
modules are imported only when chosen, so `jisr segment` never imports torch."""

from __future__ import annotations

import importlib
import logging

from mt.engines.base import DEFAULT_MODEL, DecodeOptions, Engine, Hypothesis
from mt.engines.calibration import load_calibration
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
) -> Engine:
    """Load `model` with the named engine; "auto" takes the first engine that loads. The
    engine carries the model's calibration of the quality signals when one was measured."""
    engine = _load(name, model, revision, device, threads)
    engine.calibration = load_calibration(model, revision, engine.name)
    return engine


def _load(
    name: str, model: str, revision: str | None, device: str | None, threads: int | None
) -> Engine:
    if name != "auto":
        return engine_class(name)(model, revision=revision, device=device, threads=threads)
    # A model that is missing or incomplete fails the same way in every engine: say it once.
    resolve_model_dir(model, revision)
    reason = "No engine could load."
    for candidate in ENGINES:
        try:
            return engine_class(candidate)(
                model, revision=revision, device=device, threads=threads
            )
        except (ImportError, ModelError) as error:  # ImportError: the library is not installed
            reason = str(error)
            if candidate != list(ENGINES)[-1]:
                logger.warning("The %s engine could not load (%s); falling back to the next.",
                               candidate, reason)
    raise ModelError(reason)


__all__ = [
    "DEFAULT_MODEL",
    "ENGINES",
    "ENGINE_CHOICES",
    "DecodeOptions",
    "Engine",
    "Hypothesis",
    "load_engine",
]
