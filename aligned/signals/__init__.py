"""The registry of quality signals: name -> class. Adding a signal means adding a class here."""

from __future__ import annotations

from aligned.signals.base import Pair, Signal
from aligned.signals.content import GlossaryCompliance, LatinNames, Numbers
from aligned.signals.model import AttentionCoverage, ForcedLogProb, MeanLogProb, MinLogProb
from aligned.signals.surface import ArabicScript, Brackets, LengthRatio, Repetition
from mt.errors import ConfigurationError

SIGNALS: dict[str, type[Signal]] = {
    cls.name: cls
    for cls in (
        LengthRatio, Numbers, ArabicScript, Repetition, Brackets, LatinNames, GlossaryCompliance,
        MeanLogProb, MinLogProb, ForcedLogProb, AttentionCoverage,
    )
}
MODEL_FREE = tuple(name for name, cls in SIGNALS.items() if not cls.needs_model)


def get_signal(name: str) -> Signal:
    if name not in SIGNALS:
        raise ConfigurationError(f"Unknown signal {name!r}; choose one of: {', '.join(SIGNALS)}.")
    return SIGNALS[name]()


__all__ = ["MODEL_FREE", "SIGNALS", "Pair", "Signal", "get_signal"]
