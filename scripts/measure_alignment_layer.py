"""Which cross-attention layer and head of a Marian model aligns words best?

Force-decodes the hand-aligned pairs of tests/data/gold_alignment.tsv (20 Arabic-English news
sentences, word-level Pharaoh links written by hand), turns every layer's and head's attention
(and each layer's head average) into word links the way jisr does (aligned.word_alignment), and
prints the alignment error rate (AER) of each, best first, with the default marked. Names are
jisr's (mt/engines/alignment_attention.py): `head0` and `mean` are the last layer's, the two
choices calibration offers; `layer-2-mean` is the mean of the last layer but one.

The figure means something only for a trained model:

    python scripts/measure_alignment_layer.py --model /path/to/opus-mt-ar-en
    python scripts/measure_alignment_layer.py --model MINI --gold MINI/heldout.tsv --engine both

The gold file has `source`, `target` (or `reference`, as a trained mini model's heldout.tsv)
and `alignment` columns. CTranslate2 returns the attention of one layer, its first N heads
averaged, chosen when the model is converted: `--engine ctranslate2` converts the model once per
layer with head 0 and with all heads (in a temporary directory) and measures those.

On a randomly initialised test model (scripts/make_tiny_model.py) it runs, but every AER is
noise. To store a model's choice, calibrate it with gold alignments
(scripts/calibrate_model.py MODEL REFERENCE --gold GOLD; docs/quality-and-alignment.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from aligned.attention_choice import attention_aers, corpus_aer, links_of, read_gold
from mt.engines.alignment_attention import DEFAULT_ATTENTION, AttentionChoice

REPO = Path(__file__).resolve().parent.parent

GOLD = REPO / "tests" / "data" / "gold_alignment.tsv"


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
        for head in (0, None):
            with tempfile.TemporaryDirectory() as work:
                aligned_converter(model, layer, head).convert(f"{work}/m", quantization="int8")
                translator = ctranslate2.Translator(f"{work}/m", device="cpu")
                results = translator.translate_batch(
                    sources, target_prefix=targets, beam_size=1, return_attention=True,
                    max_decoding_length=max(map(len, targets)) + 1, max_input_length=0)
            name = AttentionChoice(layer - layers, head).name
            for source, target, result in zip(sources, targets, results, strict=True):
                matrix = np.asarray(result.attention[0])[: len(target), : len(source) - 1]
                links.setdefault(name, []).append(links_of(matrix, source[:-1], target))
    return sorted((corpus_aer(found, [g[2] for g in gold]), name)
                  for name, found in links.items())


def measure(model: str, gold_path: Path) -> list[tuple[float, str]]:
    return sorted((aer, name) for name, aer in attention_aers(model, read_gold(gold_path)).items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="A Marian model directory or hub id.")
    parser.add_argument("--gold", type=Path, default=GOLD, help="source, target, alignment TSV.")
    parser.add_argument("--engine", choices=["transformers", "ctranslate2", "both"],
                        default="transformers")
    args = parser.parse_args()
    default = DEFAULT_ATTENTION.name
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
