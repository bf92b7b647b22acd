"""Calibrate jisr's model quality signals for one Marian model, on text of its domain.

    python scripts/calibrate_model.py MODEL REFERENCE [--engine all|ctranslate2|transformers]
                                      [--glossary FILE]... [--no-default-glossary]
                                      [--gold GOLD.tsv | --attention head0|mean]

REFERENCE is a TSV with a `source` column (and, best, the English in `target` or `reference`),
or a text file of Arabic sentences, one per line; at least 50 sentences, a few hundred better.
The model translates REFERENCE as `jisr translate` does, with the default glossary and the
--glossary files (give those you translate with), and its signals are read on what it wrote
(mt/app/calibrate.py). The bounds are kept beside the converted model in jisr's cache, one file
per engine, and every later `jisr translate`, `score` or `align` with this model uses them
(aligned/calibration.py).

The calibration also fixes which cross-attention the model's word alignment reads (head 0 of
the last decoder layer, or the mean of its heads): the one with the lower alignment error on
gold alignments (--gold, a TSV with `source`, `target` or `reference`, and `alignment`; a
REFERENCE with an `alignment` column serves as its own), else --attention, else the default
(mt/engines/alignment_attention.py).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from aligned.attention_choice import choose_attention, read_gold
from mt.app.calibrate import calibrate_model
from mt.engines import ENGINES, load_engine
from mt.engines.alignment_attention import CHOICES, DEFAULT_ATTENTION


def read_reference(path: Path) -> tuple[list[str], list[str] | None]:
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".tsv":
        return [line.strip() for line in text.splitlines() if line.strip()], None
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    column = next((c for c in ("target", "reference") if rows and c in rows[0]), None)
    return [r["source"] for r in rows], [r[column] for r in rows] if column else None


def has_alignments(path: Path) -> bool:
    if path.suffix != ".tsv":
        return False
    with path.open(encoding="utf-8") as handle:
        return "alignment" in handle.readline().rstrip("\n").split("\t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="A Marian model directory or hub id.")
    parser.add_argument("reference", type=Path, help="TSV of pairs, or text of Arabic lines.")
    parser.add_argument("--engine", default="all", choices=["all", *ENGINES])
    parser.add_argument("--glossary", action="append", default=[],
                        help="A term base translations use, after the default one.")
    parser.add_argument("--no-default-glossary", action="store_true",
                        help="Translate without the shipped glossary.")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--gold", type=Path, help="Gold word alignments to choose the attention.")
    choice.add_argument("--attention", choices=[c.name for c in CHOICES],
                        help="The alignment attention, when no gold alignments are at hand.")
    args = parser.parse_args()
    sources, targets = read_reference(args.reference)
    attention = args.attention or DEFAULT_ATTENTION.name
    gold = args.gold or (args.reference if has_alignments(args.reference) else None)
    if gold:
        best, aers = choose_attention(args.model, read_gold(gold))
        print(f"alignment attention: AER on {gold.name} " + ", ".join(
            f"{name} {aer:.3f}" for name, aer in aers.items()) + f"; chosen: {best.name}")
        attention = best.name
    for name in ENGINES if args.engine == "all" else [args.engine]:
        engine = load_engine(name, args.model, attention=attention)
        path, bounds = calibrate_model(
            engine, sources, targets, glossaries=tuple(args.glossary),
            default_glossary=not args.no_default_glossary)
        print(f"{name}: {path} (alignment attention {engine.attention.name})")
        for signal, (floor, ceiling) in bounds.items():
            print(f"  {signal}: 0 at {floor:.3f}, 1 from {ceiling:.3f}")


if __name__ == "__main__":
    main()
