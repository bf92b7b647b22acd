"""Engines behind one small interface. The registry builds the CLI's --engine choices; engine
modules are imported only when chosen, so `jisr segment` never imports torch."""

from __future__ import annotations

import importlib

from mt.engines.base import DEFAULT_MODEL, DecodeOptions, Engine, Hypothesis
from mt.errors import ConfigurationError, ModelError

# name -> "module:Class"; "auto" tries them in this order.
ENGINES: dict[str, str] = {
    "ctranslate2": "mt.engines.ctranslate2_engine:CTranslate2Engine",
    "transformers": "mt.engines.transformers_engine:TransformersEngine",
}
ENGINE_CHOICES = ("auto", *ENGINES)


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
    """Load `model` with the named engine; "auto" takes the first engine that loads."""
    if name != "auto":
        return engine_class(name)(model, revision=revision, device=device, threads=threads)
    failures = []
    for candidate in ENGINES:
        try:
            cls = engine_class(candidate)
        except ImportError as error:  # the engine's library is not installed
            failures.append(f"{candidate}: {error}")
            continue
        try:
            return cls(model, revision=revision, device=device, threads=threads)
        except ModelError as error:
            failures.append(f"{candidate}: {error}")
    raise ModelError(failures[-1].split(": ", 1)[1] if failures else "No engine could load.")


__all__ = [
    "DEFAULT_MODEL",
    "ENGINES",
    "ENGINE_CHOICES",
    "DecodeOptions",
    "Engine",
    "Hypothesis",
    "load_engine",
]
