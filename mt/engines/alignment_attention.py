"""Which cross-attention both engines return as the word alignment: one choice, one home.

The transformers engine reads it when it picks the attention of a pass; the CTranslate2 engine
cannot choose at run time (it returns one layer, its first N heads averaged, fixed in the
converted model), so the conversion writes it into the model and its cache key holds it. The
calibration of the model signals (coverage reads this attention) and the machine-translation
cache (which stores the attention) are keyed by it as well.

The default is the measured best on the one trained model this project has, the mini model of
scripts/train_mini_model.py: the mean of the last decoder layer's heads (AER figures in the
README, "Word alignment"; scripts/measure_alignment_layer.py). opus-mt models are Marian
`transformer-align` models, whose guided alignment trains the first head of the last layer;
on them head 0 may be the better choice (ATTENTION_HEAD = 0), which nobody here could measure.
"""

from __future__ import annotations

ATTENTION_LAYER = -1  # the decoder layer, Python-indexed
ATTENTION_HEAD: int | None = None  # None: the mean of the layer's heads


def attention_choice(layer: int = ATTENTION_LAYER, head: int | None = ATTENTION_HEAD) -> str:
    """A short name for the choice, for cache keys: 'layer-1-mean', 'layer-1-head0'."""
    return f"layer{layer}-" + ("mean" if head is None else f"head{head}")


def ctranslate2_heads(head: int | None, num_heads: int) -> int:
    """CTranslate2's `alignment_heads` (its first N heads averaged) for a head choice."""
    if head is None:
        return num_heads
    if head == 0:
        return 1
    raise ValueError(f"CTranslate2 can return head 0 or the mean of the heads, not head {head}")
