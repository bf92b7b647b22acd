"""Which cross-attention both engines return as the word alignment: one choice per model, one home.

Two choices are offered, the two that both engines can return: head 0 of the last decoder layer
(the head that Marian's guided alignment trains in opus-mt's `transformer-align` models) and
the mean of that layer's heads. The transformers engine picks the attention of a pass by it;
the CTranslate2 engine cannot choose at run time (it returns one layer, its first N heads
averaged, fixed in the converted model), so the conversion writes it into the model and its
cache key holds it. The machine-translation cache (which stores the attention) is keyed by it too.

The choice is the model's: calibration (scripts/calibrate_model.py) stores it with the model's
bounds, chosen by word-alignment error on gold alignments where the user has them
(aligned/attention_choice.py), and every later run reads it from there. An explicit choice
(load_engine's `attention`, or $JISR_ATTENTION) overrides it. A model never calibrated gets
DEFAULT_ATTENTION, the measured best on the one trained model this project has, the mini model
of scripts/train_mini_model.py (docs/quality-and-alignment.md).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from mt.errors import ConfigurationError

ATTENTION_ENV = "JISR_ATTENTION"


@dataclass(frozen=True)
class AttentionChoice:
    layer: int = -1  # the decoder layer, Python-indexed
    head: int | None = None  # None: the mean of the layer's heads

    @property
    def name(self) -> str:
        """A short name, for cache keys, files and the command line: 'mean', 'head0', or
        'layer0-mean' for another layer."""
        what = "mean" if self.head is None else f"head{self.head}"
        return what if self.layer == -1 else f"layer{self.layer}-{what}"

    @property
    def key(self) -> str:
        """The name in cache keys ('layer-1-mean'), in the form it had before the choice was the
        model's, so that conversions and memory entries made since still hit."""
        return f"layer{self.layer}-" + ("mean" if self.head is None else f"head{self.head}")


DEFAULT_ATTENTION = AttentionChoice(-1, None)
# What calibration measures and the command line offers: what both engines can return.
CHOICES = (AttentionChoice(-1, 0), AttentionChoice(-1, None))
_NAME = re.compile(r"(?:layer(-?\d+)-)?(?:(mean)|head(\d+))")


def parse_attention(name: str) -> AttentionChoice:
    """The choice a name (AttentionChoice.name) stands for."""
    found = _NAME.fullmatch(name.strip())
    if not found:
        raise ConfigurationError(
            f"Unknown alignment attention {name!r}; choose one of: "
            f"{', '.join(c.name for c in CHOICES)}.")
    layer, _, head = found.groups()
    return AttentionChoice(int(layer) if layer else -1, None if head is None else int(head))


def explicit_attention(attention: str | None = None) -> AttentionChoice | None:
    """The choice the caller or $JISR_ATTENTION makes, if any (it overrides the model's)."""
    name = attention or os.environ.get(ATTENTION_ENV)
    return parse_attention(name) if name else None


def ctranslate2_heads(head: int | None, num_heads: int) -> int:
    """CTranslate2's `alignment_heads` (its first N heads averaged) for a head choice."""
    if head is None:
        return num_heads
    if head == 0:
        return 1
    raise ValueError(f"CTranslate2 can return head 0 or the mean of the heads, not head {head}")
