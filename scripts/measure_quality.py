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

With `--glossary`, the same half is also translated as `jisr translate` does it (calibrated
model, no translation memory), once with the default glossary and once without, each sentence
its own document; it prints, of the sentences that come out exactly as wanted (`house_reference`
with the glossary, `reference` without), how many and the share flagged review or bad. The
glossary's exact translations are then broken the same ways and scored by forced decoding with
their glossary renderings known (what `assess` sees in translate), to show that the signals still
catch real errors where a rendering stands in the English.

    python scripts/measure_quality.py MODEL_DIR [--engine auto|ctranslate2|transformers]
                                                [--glossary]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
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


def measure(
    model: Path, engine: str = "auto", glossary: bool = False, cache: Path | None = None
) -> dict[str, dict[str, float]]:
    """The scores' separation; in `cache` if given, else in a cache directory of its own."""
    heldout = read_rows((model / "heldout.tsv").read_text(encoding="utf-8"))
    pairs = [{"source": r["source"], "target": r["reference"]} for r in heldout]
    half = len(pairs) // 2
    with tempfile.TemporaryDirectory() as work:
        cache = cache or Path(work) / "cache"
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
        if glossary:
            found.update(measure_translated(model, calibrated, heldout[half:], cache))
        return found


def measure_translated(
    model: Path, engine: str, rows: list[dict[str, str]], cache: Path
) -> dict[str, dict[str, float]]:
    """Flags of the sentences translated exactly as wanted, with the default glossary and
    without; and how the scores rank the glossary's exact translations against broken ones."""
    from mt.app.pipeline import Translator, TranslatorSettings
    from mt.ingest import read_text
    from mt.userdirs import CACHE_DIR_ENV

    saved = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(cache)  # the calibration just written
    try:
        found, translator = {}, None
        for glossary, wanted in ((False, "reference"), (True, "house_reference")):
            settings = TranslatorSettings(model=str(model), engine=engine, cache=False,
                                          default_glossary=glossary)
            translator = Translator(settings, engine=translator.engine if translator else None)
            docs = translator.translate_documents(
                [read_text(r["source"], f"s{i}") for i, r in enumerate(rows)])
            exact = [doc.segments for doc, r in zip(docs, rows, strict=True)
                     if _normalised(" ".join(s.target for s in doc.segments)) ==
                     _normalised(r[wanted])]
            flags = [any(s.flag != "ok" for s in segs) for segs in exact]
            bad = [any(s.flag == "bad" for s in segs) for segs in exact]
            found[f"translate, {'default' if glossary else 'no'} glossary"] = {
                "sentences": len(rows), "exact": len(exact),
                "exact flagged": sum(flags) / max(1, len(exact)),
                "exact bad": sum(bad) / max(1, len(exact)),
            }
        whole = [segs[0] for segs in exact if len(segs) == 1]
        found["glossary's exact pairs, forced"] = _rank_broken(translator.engine, whole)
        return found
    finally:
        if saved is None:
            os.environ.pop(CACHE_DIR_ENV)
        else:
            os.environ[CACHE_DIR_ENV] = saved


def _rank_broken(engine, segments) -> dict[str, float]:
    """summary() of `segments` (intact) and their broken variants, assessed by forced decoding
    with each segment's glossary uses (so its planned renderings) kept."""
    from aligned.pair_assessment import assess

    by_source = {s.mt_source: s for s in segments}
    variants = broken_variants([{"source": s.mt_source, "target": s.target} for s in segments])
    hyps = engine.score([v["source"] for v in variants], [v["target"] for v in variants])
    rows = []
    for variant, hyp in zip(variants, hyps, strict=True):
        segment = dataclasses.replace(by_source[variant["source"]], target=variant["target"],
                                      signals={}, reasons=[])
        assess(segment, hyp, forced=True)
        rows.append({"kind_of_pair": variant["kind_of_pair"], "score": str(segment.score),
                     "flag": segment.flag})
    return summary(rows)


def _normalised(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="A trained mini model directory.")
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--glossary", action="store_true",
                        help="Also translate, with the default glossary and without.")
    args = parser.parse_args()
    results = measure(args.model, args.engine, args.glossary)
    tables: dict[tuple[str, ...], list[str]] = {}  # settings grouped by their columns
    for setting, values in results.items():
        tables.setdefault(tuple(values), []).append(setting)
    for names, settings in tables.items():
        print("| | " + " | ".join(names) + " |")
        print("| --- |" + " ---: |" * len(names))
        for setting in settings:
            values = results[setting]
            print(f"| {setting} | " + " | ".join(
                f"{values[n]:.3f}" if isinstance(values[n], float) else str(values[n])
                for n in names) + " |")
        print()


if __name__ == "__main__":
    main()
