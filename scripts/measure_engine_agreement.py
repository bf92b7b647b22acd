"""How far the CTranslate2 engine's scores and attention are from the transformers engine's, per
compute type and per CPU code path, on the pairs of tests/data/pairs.tsv.

    python scripts/measure_engine_agreement.py MODEL_DIR [--pairs N]

The transformers engine computes in float32. The CTranslate2 engine runs as jisr loads it
(int8 on CPU), then with its translator reloaded in float32, each in a fresh process under each
setting of CTranslate2's CPU dispatch (CT2_USE_MKL, CT2_FORCE_CPU_ISA), because int8 matrix
products take another kernel on another CPU (with or without AVX-512 VNNI, MKL on Intel,
oneDNN on AMD). Prints, per setting, the largest difference in a token log-prob, in a
sentence's mean log-prob and in an attention weight: the bounds tests/test_ctranslate2_engine.py
holds the engines to come from this table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "tests" / "data" / "pairs.tsv"
# (CT2_USE_MKL, CT2_FORCE_CPU_ISA); None: CTranslate2's own choice for this CPU.
DISPATCH = [(None, None), ("0", None), ("1", None), (None, "AVX2"), (None, "GENERIC")]


def read_pairs(limit: int) -> tuple[list[str], list[str]]:
    lines = PAIRS.read_text(encoding="utf-8").splitlines()[1:limit + 1]
    sources, targets = zip(*(line.split("\t")[:2] for line in lines), strict=True)
    return list(sources), list(targets)


def differences(model: str, compute_type: str, limit: int) -> dict[str, float]:
    """Run in this process: both engines score the pairs; the largest differences."""
    import ctranslate2

    from mt.engines.ct2_conversion import converted_model_dir
    from mt.engines.ctranslate2_engine import CTranslate2Engine
    from mt.engines.transformers_engine import TransformersEngine

    sources, targets = read_pairs(limit)
    engine = CTranslate2Engine(model, threads=1)
    if compute_type != "int8":
        engine.translator = ctranslate2.Translator(
            str(converted_model_dir(model, None)), compute_type=compute_type, intra_threads=1)
    reference = TransformersEngine(model, threads=1)
    token = mean = attention = 0.0
    for ours, theirs in zip(engine.score(sources, targets), reference.score(sources, targets),
                            strict=True):
        assert ours.tokens == theirs.tokens
        token = max(token, float(np.max(np.abs(np.subtract(ours.token_logprobs,
                                                           theirs.token_logprobs)))))
        mean = max(mean, abs(ours.mean_logprob - theirs.mean_logprob))
        attention = max(attention, float(np.max(np.abs(np.subtract(ours.attention,
                                                                   theirs.attention)))))
    return {"token_logprob": token, "mean_logprob": mean, "attention": attention}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="A Marian model directory (scripts/make_tiny_model.py).")
    parser.add_argument("--pairs", type=int, default=20, help="How many pairs to score.")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a compute type, in this process
    args = parser.parse_args()
    if args.child:
        print(json.dumps(differences(args.model, args.child, args.pairs)))
        return
    print(f"{args.pairs} pairs of {PAIRS.name}; largest difference from the transformers "
          "engine (float32)\n")
    print("| compute type | CT2_USE_MKL | CT2_FORCE_CPU_ISA | token log-prob | mean log-prob "
          "| attention |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for compute_type in ("int8", "float32"):
        for mkl, isa in DISPATCH:
            env = {key: value for key, value in os.environ.items()
                   if key not in ("CT2_USE_MKL", "CT2_FORCE_CPU_ISA")}
            env.update({"CT2_USE_MKL": mkl} if mkl else {})
            env.update({"CT2_FORCE_CPU_ISA": isa} if isa else {})
            done = subprocess.run(
                [sys.executable, __file__, args.model, "--pairs", str(args.pairs),
                 "--child", compute_type], capture_output=True, text=True, env=env, cwd=REPO)
            if done.returncode != 0:
                print(f"| {compute_type} | {mkl or 'default'} | {isa or 'default'} | "
                      f"failed: {done.stderr.strip().splitlines()[-1]} | | |")
                continue
            found = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"| {compute_type} | {mkl or 'default'} | {isa or 'default'} | "
                  f"{found['token_logprob']:.4f} | {found['mean_logprob']:.4f} | "
                  f"{found['attention']:.4f} |", flush=True)


if __name__ == "__main__":
    main()
