"""The alignment attention is the model's: calibration stores it, every engine loaded for the
model returns it, and an explicit choice overrides it (tiny random model: what the pipeline
guarantees, not which choice aligns better)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mt.engines import load_engine
from mt.engines.alignment_attention import (
    ATTENTION_ENV,
    CHOICES,
    DEFAULT_ATTENTION,
    AttentionChoice,
    parse_attention,
)
from mt.engines.calibration import Calibration, calibration_path, save_calibration
from mt.errors import ConfigurationError

pytestmark = pytest.mark.slow

SOURCES = ["وصل الرئيس إلى بغداد.", "قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل."]
HEAD0 = AttentionChoice(-1, 0)
BOUNDS = {"coverage": (0.2, 0.8), "mean_logprob": (-6.0, -2.0)}


@pytest.fixture
def own_cache(own_cache_dir, monkeypatch):
    """A cache of the test's own (its calibration is seen by no other test), with no attention
    chosen in the environment."""
    monkeypatch.delenv(ATTENTION_ENV, raising=False)
    return own_cache_dir


def _calibrate(model: Path, engine: str, attention: AttentionChoice) -> None:
    save_calibration(calibration_path(str(model), None, engine), Calibration(BOUNDS, attention),
                     {"sentences": 0})


@pytest.mark.parametrize("choice", [*CHOICES, AttentionChoice(-2, None), AttentionChoice(0, 0)])
def test_names_read_back(choice):
    assert parse_attention(choice.name) == choice


def test_an_unknown_name_lists_the_choices():
    with pytest.raises(ConfigurationError, match="head0, mean"):
        parse_attention("head zero")


def test_an_uncalibrated_model_gets_the_default(tiny_model_dir, own_cache):
    engine = load_engine("transformers", str(tiny_model_dir), threads=1)
    assert engine.attention == DEFAULT_ATTENTION and engine.calibration is None
    assert "attn:" not in engine.signature()


def test_the_calibrated_choice_is_what_the_transformers_engine_returns(tiny_model_dir, own_cache):
    from mt.engines.transformers_engine import TransformersEngine

    _calibrate(tiny_model_dir, "transformers", HEAD0)
    engine = load_engine("transformers", str(tiny_model_dir), threads=1)
    assert engine.attention == HEAD0 and engine.calibration == BOUNDS
    assert engine.signature().endswith("|attn:head0")
    full = TransformersEngine(str(tiny_model_dir), threads=1, keep_full_attention=True)
    for ours, reference in zip(engine.score(SOURCES, ["The president arrived.", "Talks."]),
                               full.score(SOURCES, ["The president arrived.", "Talks."]),
                               strict=True):
        head = reference.extra["cross_attention"][-1, 0, : len(ours.tokens),
                                                  : len(ours.source_tokens)]
        np.testing.assert_allclose(ours.attention, head / head.sum(axis=1, keepdims=True),
                                   atol=1e-5)
        assert not np.allclose(ours.attention, reference.attention, atol=1e-3)  # not the mean


def test_the_calibrated_choice_picks_the_ctranslate2_conversion(tiny_model_dir, own_cache):
    from mt.engines.ct2_conversion import converted_model_dir

    _calibrate(tiny_model_dir, "ctranslate2", HEAD0)
    engine = load_engine("ctranslate2", str(tiny_model_dir), threads=1)
    assert engine.attention == HEAD0
    assert converted_model_dir(str(tiny_model_dir), None, HEAD0) != converted_model_dir(
        str(tiny_model_dir), None, DEFAULT_ATTENTION)
    mean = load_engine("ctranslate2", str(tiny_model_dir), threads=1, attention="mean")
    ours, theirs = engine.translate(SOURCES[:1])[0], mean.translate(SOURCES[:1])[0]
    assert ours.text == theirs.text  # the attention is another, the translation the same
    assert not np.allclose(ours.attention, theirs.attention, atol=1e-3)


def test_an_explicit_choice_overrides_the_model_and_drops_the_coverage_bound(
    tiny_model_dir, own_cache, monkeypatch
):
    _calibrate(tiny_model_dir, "transformers", HEAD0)
    engine = load_engine("transformers", str(tiny_model_dir), threads=1, attention="mean")
    assert engine.attention == DEFAULT_ATTENTION
    assert engine.calibration == {"mean_logprob": BOUNDS["mean_logprob"]}
    monkeypatch.setenv(ATTENTION_ENV, "mean")
    assert load_engine("transformers", str(tiny_model_dir), threads=1).attention == (
        DEFAULT_ATTENTION)
