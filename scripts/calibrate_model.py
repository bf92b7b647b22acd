"""Calibrate jisr's model quality signals for one Marian model, on text of its domain.

    python scripts/calibrate_model.py MODEL REFERENCE [--engine all|ctranslate2|transformers]

REFERENCE is a TSV with a `source` column (and, best, the English in `target` or `reference`),
or a text file of Arabic sentences, one per line; at least 50 sentences, a few hundred better.
The bounds are kept beside the converted model in jisr's cache, one file per engine, and every
later `jisr translate`, `score` or `align` with this model uses them (aligned/calibration.py).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from aligned.calibration import calibrate
from mt.engines import ENGINES, load_engine

REPO = Path(__file__).resolve().parent.parent


def read_reference(path: Path) -> tuple[list[str], list[str] | None]:
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".tsv":
        return [line.strip() for line in text.splitlines() if line.strip()], None
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    column = next((c for c in ("target", "reference") if rows and c in rows[0]), None)
    return [r["source"] for r in rows], [r[column] for r in rows] if column else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="A Marian model directory or hub id.")
    parser.add_argument("reference", type=Path, help="TSV of pairs, or text of Arabic lines.")
    parser.add_argument("--engine", default="all", choices=["all", *ENGINES])
    args = parser.parse_args()
    sources, targets = read_reference(args.reference)
    for name in ENGINES if args.engine == "all" else [args.engine]:
        path, bounds = calibrate(load_engine(name, args.model), sources, targets)
        print(f"{name}: {path}")
        for signal, (floor, ceiling) in bounds.items():
            print(f"  {signal}: 0 at {floor:.3f}, 1 from {ceiling:.3f}")


if __name__ == "__main__":
    main()
