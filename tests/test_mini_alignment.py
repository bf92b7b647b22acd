"""Word alignment from cross-attention on a model that translates (the trained mini model):
AER against the gold alignments of its held-out sentences, every layer and head, both engines
(scripts/measure_alignment_layer.py; figures in the README)."""

from __future__ import annotations

import pytest

from measure_alignment_layer import measure, measure_ctranslate2
from mt.engines.alignment_attention import ATTENTION_HEAD, ATTENTION_LAYER

DEFAULT = f"layer {ATTENTION_LAYER} " + (
    "mean" if ATTENTION_HEAD is None else f"head {ATTENTION_HEAD}")


@pytest.fixture(scope="module")
def aer(mini_model_dir) -> dict[str, dict[str, float]]:
    gold = mini_model_dir / "heldout.tsv"
    return {
        "transformers": {name: value for value, name in measure(str(mini_model_dir), gold)},
        "ctranslate2": {name: value
                        for value, name in measure_ctranslate2(str(mini_model_dir), gold)},
    }


def test_attention_aligns_words(aer):
    """Far better than chance (a random Arabic word for each English word would get about one
    link in twelve right on these sentences), the default included."""
    for found in aer.values():
        assert min(found.values()) < 0.5
        assert found[DEFAULT] < 0.65


def test_engines_measure_alike(aer):
    for name, value in aer["ctranslate2"].items():
        assert value == pytest.approx(aer["transformers"][name], abs=0.02), name


def test_default_is_the_best_both_engines_can_return(aer):
    """The default was chosen by this measurement: no choice CTranslate2 can make (a layer's
    head 0 or its mean) aligns better on either engine."""
    for found in aer.values():
        best = min(value for name, value in found.items() if name.endswith(("head 0", "mean")))
        assert found[DEFAULT] <= best + 0.01, (found[DEFAULT], best)
