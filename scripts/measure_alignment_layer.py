"""Which cross-attention layer and head of a Marian model aligns words best?

Force-decodes the hand-aligned pairs of tests/data/gold_alignment.tsv (20 Arabic-English news
sentences, word-level Pharaoh links written by hand), turns every layer's and head's attention
(and each layer's head average) into word links the way jisr does (aligned.word_alignment), and
prints the alignment error rate (AER) of each, best first, with the default marked.

The figure means something only for a trained model:

    python scripts/measure_alignment_layer.py --model /path/to/opus-mt-ar-en
    python scripts/measure_alignment_layer.py --model MINI --gold MINI/heldout.tsv --engine both

The gold file has `source`, `target` (or `reference`, as a trained mini model's heldout.tsv)
and `alignment` columns. CTranslate2 returns the attention of one layer, its first N heads
averaged, chosen when the model is converted: `--engine ctranslate2` converts the model once per
layer with head 0 and with all heads (in a temporary directory) and measures those.

On a randomly initialised test model (scripts/make_tiny_model.py) it runs, but every AER is
noise. The default (mt/engines/alignment_attention.py) is the best choice measured on the trained
mini model; the machines this project is built on cannot download the real model.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from aligned.word_alignment import align_words, alignment_error_rate, from_pharaoh

REPO = Path(__file__).resolve().parent.parent

GOLD = REPO / "tests" / "data" / "gold_alignment.tsv"


def read_gold(path: Path) -> list[tuple[str, str, set[tuple[int, int]]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["source"], r.get("target") or r["reference"], set(from_pharaoh(r["alignment"])))
                for r in rows]


def candidates(full: np.ndarray) -> dict[str, np.ndarray]:
    """Every (layer, head) matrix and each layer's head average, named for the table."""
    layers, heads = full.shape[:2]
    found = {}
    for layer in range(layers):
        for head in range(heads):
            found[f"layer {layer - layers} head {head}"] = full[layer, head]
        found[f"layer {layer - layers} mean"] = full[layer].mean(axis=0)
    return found


def corpus_aer(links: list[set], gold: list[set]) -> float:
    """AER over the whole set (links pooled, as in the shared tasks)."""
    predicted = {(i, s, t) for i, pairs in enumerate(links) for s, t in pairs}
    sure = {(i, s, t) for i, pairs in enumerate(gold) for s, t in pairs}
    return alignment_error_rate(predicted, sure)


def aers(links: dict[str, list[set]], gold: list) -> list[tuple[float, str]]:
    return sorted((corpus_aer(found, [g[2] for g in gold]), name) for name, found in links.items())


def add_links(links: dict[str, list[set]], name: str, matrix: np.ndarray, source_tokens,
              tokens) -> None:
    matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1e-9)
    links.setdefault(name, []).append(set(align_words(matrix, source_tokens, tokens)))


def measure_ctranslate2(model: str, gold_path: Path) -> list[tuple[float, str]]:
    """AER of what CTranslate2 can return: per decoder layer, head 0 and the mean of all heads,
    each from a conversion of its own, force-decoding the gold targets as jisr's engine does."""
    import json
    import tempfile

    import ctranslate2
    import sentencepiece as spm

    from mt.engines.ct2_conversion import aligned_converter

    gold = read_gold(gold_path)
    config = json.loads((Path(model) / "config.json").read_text())
    layers = config["decoder_layers"]
    source_spm = spm.SentencePieceProcessor(model_file=str(Path(model) / "source.spm"))
    target_spm = spm.SentencePieceProcessor(model_file=str(Path(model) / "target.spm"))
    sources = [source_spm.encode(g[0], out_type=str) + ["</s>"] for g in gold]
    targets = [target_spm.encode(g[1], out_type=str) for g in gold]
    links: dict[str, list[set]] = {}
    for layer in range(layers):
        for head, label in ((0, "head 0"), (None, "mean")):
            with tempfile.TemporaryDirectory() as work:
                aligned_converter(model, layer, head).convert(f"{work}/m", quantization="int8")
                translator = ctranslate2.Translator(f"{work}/m", device="cpu")
                results = translator.translate_batch(
                    sources, target_prefix=targets, beam_size=1, return_attention=True,
                    max_decoding_length=max(map(len, targets)) + 1, max_input_length=0)
            for source, target, result in zip(sources, targets, results, strict=True):
                matrix = np.asarray(result.attention[0])[: len(target), : len(source) - 1]
                add_links(links, f"layer {layer - layers} {label}", matrix, source[:-1], target)
    return aers(links, gold)


def measure(model: str, gold_path: Path) -> list[tuple[float, str]]:
    from mt.engines.transformers_engine import TransformersEngine

    engine = TransformersEngine(model, keep_full_attention=True)
    gold = read_gold(gold_path)
    hyps = engine.score([g[0] for g in gold], [g[1] for g in gold])
    links: dict[str, list[set]] = {}
    for hyp in hyps:
        # (layers, heads, target ids, source ids) with </s> on both: keep the pieces only.
        full = hyp.extra["cross_attention"][:, :, : len(hyp.tokens), : len(hyp.source_tokens)]
        for name, matrix in candidates(full).items():
            add_links(links, name, matrix, hyp.source_tokens, hyp.tokens)
    return aers(links, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="A Marian model directory or hub id.")
    parser.add_argument("--gold", type=Path, default=GOLD, help="source, target, alignment TSV.")
    parser.add_argument("--engine", choices=["transformers", "ctranslate2", "both"],
                        default="transformers")
    args = parser.parse_args()
    from mt.engines.alignment_attention import ATTENTION_HEAD, ATTENTION_LAYER

    head = "mean" if ATTENTION_HEAD is None else f"head {ATTENTION_HEAD}"
    default = f"layer {ATTENTION_LAYER} {head}"
    engines = ["transformers", "ctranslate2"] if args.engine == "both" else [args.engine]
    for engine in engines:
        found = (measure if engine == "transformers" else measure_ctranslate2)(args.model,
                                                                               args.gold)
        print(f"{engine}: AER of each cross-attention layer/head on {args.gold.name} "
              "(lower is better)")
        for aer, name in found:
            print(f"{aer:.3f}  {name}{'  <- default' if name == default else ''}")


if __name__ == "__main__":
    main()
