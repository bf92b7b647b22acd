"""How well do quality scores separate intact translation pairs from broken ones, with the model
and without it?

Takes the held-out pairs of a trained mini model (MODEL_DIR/heldout.tsv: source and reference):
the first half calibrates the model signals (scripts/calibrate_model.py), the second half is
measured. Builds broken variants of each measured pair (scripts/broken_pairs.py: a loop, a
truncated half, a changed number, Arabic copied through, another sentence's English), scores
them all with `jisr score --model MODEL_DIR` before and after calibration and with `jisr score
--no-model`, and prints the AUC of intact against broken pairs, overall and per kind of
breakage, and the share of intact pairs flagged review or bad. Runs in a cache directory of its
own, so the user's calibration is neither used nor changed.

    python scripts/measure_quality.py MODEL_DIR [--engine auto|ctranslate2|transformers]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from broken_pairs import auc, broken_variants

REPO = Path(__file__).resolve().parent.parent


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def run(cache: Path, *command: str) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO),
           "JISR_CACHE_DIR": str(cache)}
    result = subprocess.run([sys.executable, *command], cwd=REPO, capture_output=True,
                            check=True, env=env)
    return result.stdout.decode("utf-8")


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(rows[0])
    lines = ["\t".join(columns)] + ["\t".join(r[c] for c in columns) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summary(rows: list[dict[str, str]]) -> dict[str, float]:
    """AUC overall and per kind, and the share of intact pairs not flagged ok."""
    intact = [float(r["score"]) for r in rows if r["kind_of_pair"] == "intact"]
    kinds = sorted({r["kind_of_pair"] for r in rows} - {"intact"})
    found = {"overall": auc(intact, [float(r["score"]) for r in rows
                                     if r["kind_of_pair"] != "intact"])}
    for kind in kinds:
        found[kind] = auc(intact, [float(r["score"]) for r in rows if r["kind_of_pair"] == kind])
    flagged = [r["flag"] != "ok" for r in rows if r["kind_of_pair"] == "intact"]
    found["intact flagged"] = sum(flagged) / len(flagged)
    return found


def measure(model: Path, engine: str = "auto") -> dict[str, dict[str, float]]:
    heldout = read_rows((model / "heldout.tsv").read_text(encoding="utf-8"))
    pairs = [{"source": r["source"], "target": r["reference"]} for r in heldout]
    half = len(pairs) // 2
    with tempfile.TemporaryDirectory() as work:
        cache = Path(work) / "cache"
        reference = write_rows(Path(work) / "reference.tsv", pairs[:half])
        scored = write_rows(Path(work) / "pairs.tsv", broken_variants(pairs[half:]))
        with_model = ("-m", "mt", "score", str(scored), "--model", str(model), "--engine", engine)
        found = {"model, built-in bounds": summary(read_rows(run(cache, *with_model)))}
        calibrated = "ctranslate2" if engine == "auto" else engine
        run(cache, str(REPO / "scripts" / "calibrate_model.py"), str(model), str(reference),
            "--engine", calibrated)
        found["model, calibrated"] = summary(read_rows(run(cache, *with_model)))
        found["no model"] = summary(read_rows(run(cache, "-m", "mt", "score", str(scored),
                                                  "--no-model")))
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="A trained mini model directory.")
    parser.add_argument("--engine", default="auto")
    args = parser.parse_args()
    results = measure(args.model, args.engine)
    names = list(next(iter(results.values())))
    print("| | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for setting, values in results.items():
        print(f"| {setting} | " + " | ".join(f"{values[n]:.3f}" for n in names) + " |")


if __name__ == "__main__":
    main()
