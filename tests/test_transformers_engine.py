"""TransformersEngine on the tiny random Marian model: what the pipeline relies on, not fluency."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from mt.engines.base import DecodeOptions
from mt.errors import ModelError

SOURCES = [
    "قال الرئيس إن الحكومة ستعلن خطة جديدة لإعادة الإعمار يوم الاثنين.",
    "مرحبا",
    "أعلنت وزارة الصحة عن حملة تطعيم واسعة في بغداد وسط مخاوف من تصعيد جديد في المنطقة.",
    "هل ستنجح المفاوضات؟",
    "ارتفعت أسعار الذهب بنسبة 2% في الأسواق العالمية.",
]
GREEDY = DecodeOptions(beam=1)


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path):
    from mt.engines.transformers_engine import TransformersEngine

    return TransformersEngine(str(tiny_model_dir), threads=1)


@pytest.mark.slow
@pytest.mark.parametrize("options", [
    pytest.param(GREEDY, id="greedy"),
    pytest.param(DecodeOptions(), id="model-beam"),
])
def test_batched_output_equals_one_by_one_in_input_order(engine, options) -> None:
    # A budget of 40 padded tokens forces several batches, sorted by length.
    batched = engine.translate(SOURCES, DecodeOptions(beam=options.beam, max_batch_tokens=40))
    alone = [engine.translate([source], options)[0] for source in SOURCES]
    assert len({hyp.text for hyp in alone}) > 1  # the random model does depend on its input
    assert [hyp.text for hyp in batched] == [hyp.text for hyp in alone]
    assert [hyp.source_tokens for hyp in batched] == [engine.encode(s)[:-1] for s in SOURCES]
    for one, other in zip(batched, alone, strict=True):
        np.testing.assert_allclose(one.token_logprobs, other.token_logprobs, atol=1e-4)


@pytest.mark.slow
def test_hypothesis_shape(engine) -> None:
    for source, hyp in zip(SOURCES, engine.translate(SOURCES), strict=True):
        assert engine.encode(source)[-1] == "</s>"
        assert hyp.source_tokens == engine.encode(source)[:-1]
        assert len(hyp.token_logprobs) == len(hyp.tokens) + 1  # </s> scored last
        assert all(lp <= 0 for lp in hyp.token_logprobs)
        assert hyp.attention.shape == (len(hyp.tokens), len(hyp.source_tokens))
        np.testing.assert_allclose(hyp.attention.sum(axis=1), 1.0, atol=1e-5)
        assert hyp.text == engine.tokenizer.decode(
            engine.tokenizer.convert_tokens_to_ids(hyp.tokens), skip_special_tokens=True)


@pytest.mark.slow
def test_deterministic_and_attention_optional(engine) -> None:
    first = engine.translate(SOURCES)
    second = engine.translate(SOURCES, DecodeOptions(with_attention=False))
    assert [h.text for h in first] == [h.text for h in second]
    assert [h.token_logprobs for h in first] == [h.token_logprobs for h in second]
    assert all(h.attention is None for h in second)


@pytest.mark.slow
def test_full_attention_is_kept_when_asked(tiny_model_dir: Path) -> None:
    from mt.engines.alignment_attention import AttentionChoice
    from mt.engines.transformers_engine import TransformersEngine

    engine = TransformersEngine(str(tiny_model_dir), attention=AttentionChoice(0),
                                keep_full_attention=True)
    hyp = engine.translate(SOURCES[:1], GREEDY)[0]
    full = hyp.extra["cross_attention"]  # (layers, heads, target incl. </s>, source incl. </s>)
    assert full.shape == (2, 2, len(hyp.tokens) + 1, len(hyp.source_tokens) + 1)
    np.testing.assert_allclose(full.sum(axis=-1), 1.0, atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("beam", [1, 4])
def test_logprobs_match_generate_scores(engine, beam) -> None:
    """The teacher-forced log-probs are the search's own: their sum is the beam score times the
    length (length_penalty 1, </s> counted)."""
    import torch
    from transformers import LogitsProcessorList

    from mt.engines.transformers_processors import SentenceLengthCap

    hyp = engine.translate(SOURCES[:1], DecodeOptions(beam=beam))[0]
    ids = torch.tensor([engine.tokenizer.convert_tokens_to_ids(engine.encode(SOURCES[0]))])
    length = len(hyp.tokens) + 1
    out = engine.model.generate(
        input_ids=ids, num_beams=beam, max_length=length + 1, length_penalty=1.0,
        forced_eos_token_id=None,
        return_dict_in_generate=True, output_logits=True, output_scores=True,
        logits_processor=LogitsProcessorList([SentenceLengthCap([length], num_beams=beam,
                                                                eos_token_id=0)]),
    )
    expected_ids = engine.tokenizer.convert_tokens_to_ids(hyp.tokens) + [0]
    assert out.sequences[0, 1:].tolist() == expected_ids
    if beam == 1:
        steps = [torch.log_softmax(logits[0], -1)[token].item()
                 for logits, token in zip(out.logits[:-1], expected_ids, strict=False)]
        np.testing.assert_allclose(hyp.token_logprobs[:-1], steps, atol=1e-4)
    else:
        assert sum(hyp.token_logprobs) == pytest.approx(
            out.sequences_scores[0].item() * length, abs=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("beam", [1, 4])
def test_a_forced_prefix_comes_back_verbatim_and_a_new_word_follows(engine, beam) -> None:
    prefixes = ["Security Council", None, "the United Nations (UN) said", "Deir ez-Zor", None]
    hyps = engine.translate(SOURCES, DecodeOptions(beam=beam), prefixes=prefixes)
    free = engine.translate(SOURCES, DecodeOptions(beam=beam))
    for hyp, free_hyp, prefix in zip(hyps, free, prefixes, strict=True):
        if prefix is None:  # a sentence without a prefix is left alone
            assert hyp.text == free_hyp.text
            continue
        assert hyp.text.startswith(prefix)
        assert _contains_as_words(hyp.text, prefix), (prefix, hyp.text)
        assert all(lp <= 0 for lp in hyp.token_logprobs)


def _contains_as_words(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


@pytest.mark.slow
def test_score_matches_decoding_of_the_same_tokens(engine) -> None:
    """Force a whole target as a prefix, decode, and score it: both give the same per-token
    log-probs."""
    targets = ["The president said the government would announce a new plan.", "Hello.",
               "Gold prices rose 2% on world markets.", "Will the talks succeed?",
               "Health ministry announces vaccination campaign in Baghdad."]
    scored = engine.score(SOURCES, targets)
    for source, target, hyp in zip(SOURCES, targets, scored, strict=True):
        assert hyp.text == target
        assert len(hyp.token_logprobs) == len(hyp.tokens) + 1
        assert all(lp <= 0 for lp in hyp.token_logprobs)
        assert hyp.attention.shape == (len(hyp.tokens), len(engine.encode(source)) - 1)
        budget = len(hyp.tokens) + 1
        decoded = engine.translate([source], DecodeOptions(beam=1, max_new_tokens=budget),
                                   prefixes=[target])[0]
        assert decoded.tokens == hyp.tokens
        np.testing.assert_allclose(decoded.token_logprobs, hyp.token_logprobs, atol=1e-4)


# -- loading errors: one sentence each ------------------------------------------------------


def _load(model: str):
    from mt.engines.transformers_engine import TransformersEngine

    return TransformersEngine(model)


def _one_sentence(message: str) -> bool:
    """One line, one full stop at its end, naming the way out."""
    return "\n" not in message and message.endswith(".") and "--model DIR" in message


@pytest.mark.slow
def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist") as caught:
        _load(str(tmp_path / "no-such-model"))
    assert _one_sentence(str(caught.value))


@pytest.mark.slow
def test_directory_without_tokenizer(tmp_path: Path, tiny_model_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "vocab.json"):
        shutil.copy(tiny_model_dir / name, tmp_path / name)
    with pytest.raises(ModelError, match=r"lacks its tokenizer files \(source.spm, target.spm\)"
                       ) as caught:
        _load(str(tmp_path))
    assert _one_sentence(str(caught.value))


@pytest.mark.slow
def test_corrupt_weights(tmp_path: Path, tiny_model_dir: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    (model / "model.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(ModelError, match="corrupt or unreadable") as caught:
        _load(str(model))
    assert _one_sentence(str(caught.value))


@pytest.mark.slow
def test_offline_hub_id_names_the_ways_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)  # read at import time
    with pytest.raises(ModelError) as caught:
        _load("jisr-tests/no-such-model")
    message = str(caught.value)
    assert "--model DIR" in message and "HF_HUB_OFFLINE" in message
    assert _one_sentence(message)
