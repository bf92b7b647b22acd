"""The tiny model has the opus-mt file layout and loads with the stock Marian classes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

LAYOUT = ["config.json", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
          "generation_config.json", "model.safetensors"]


def test_layout_and_shared_vocab(tiny_model_dir: Path) -> None:
    assert all((tiny_model_dir / name).is_file() for name in LAYOUT)
    config = json.loads((tiny_model_dir / "config.json").read_text())
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    tokenizer_config = json.loads((tiny_model_dir / "tokenizer_config.json").read_text())
    assert tokenizer_config["separate_vocabs"] is False
    assert config["vocab_size"] == len(vocab)
    assert vocab["</s>"] == config["eos_token_id"] == 0
    assert vocab["<pad>"] == config["pad_token_id"] == config["decoder_start_token_id"]


@pytest.mark.slow
def test_loads_and_tokenises_arabic_without_unknowns(tiny_model_dir: Path) -> None:
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_model_dir)
    model = MarianMTModel.from_pretrained(tiny_model_dir)
    ids = tokenizer("قال وزير الخارجية إن المفاوضات ستُستأنف في الدوحة.").input_ids
    assert tokenizer.unk_token_id not in ids
    assert ids[-1] == tokenizer.eos_token_id
    assert model.config.vocab_size == len(tokenizer)


def test_build_is_deterministic(tmp_path: Path, tiny_model_dir: Path) -> None:
    from make_tiny_model import build_model

    again = build_model(tmp_path / "again", "tiny", 0)
    for name in LAYOUT:
        assert (again / name).read_bytes() == (tiny_model_dir / name).read_bytes(), name
