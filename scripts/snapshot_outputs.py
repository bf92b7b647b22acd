"""Digest of what jisr writes for a set of articles, to show a refactor changes no output byte.

    python scripts/snapshot_outputs.py /work/shared/seeds [--model DIR] [--keep DIR]

Builds the tiny random model (unless --model), then runs through the CLI, as a user does:
`jisr translate` with every format, `jisr score` on the TSV it wrote (with and without the
model) and `jisr align` of each article against its own English text. Prints one SHA-256 per
output file and a digest of them all. The translation memory is off and the cache directory is
a fresh temporary one, so two runs start from the same state.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FORMATS = "tsv,txt,jsonl,tmx,xliff,html"
# The tiny random model never stops by itself; a small cap keeps the run to a minute or two.
MAX_NEW_TOKENS = "12"


def jisr(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "mt", *args], check=True, env=env)


def produce(inputs: Path, model: Path, out: Path, env: dict[str, str]) -> None:
    translated = out / "translate"
    jisr("translate", str(inputs), "-o", str(translated), "--model", str(model),
         "--formats", FORMATS, "--no-cache", "--max-new-tokens", MAX_NEW_TOKENS, env=env)
    scored = out / "score"
    scored.mkdir()
    for tsv in sorted(translated.glob("*.tsv")):
        jisr("score", str(tsv), "-o", str(scored / f"{tsv.stem}.nomodel.tsv"), "--no-model",
             "--formats", FORMATS.replace(",txt", ""), env=env)
    first = sorted(translated.glob("*.tsv"))[0]
    jisr("score", str(first), "-o", str(scored / f"{first.stem}.model.tsv"), "--model", str(model),
         env=env)
    aligned = out / "align"
    aligned.mkdir()
    for article in sorted(inputs.glob("*.txt")):
        english = translated / f"{article.stem}.en.txt"
        jisr("align", str(article), str(english), "-o", str(aligned / f"{article.stem}.align.tsv"),
             "--no-model", "--formats", FORMATS, env=env)


def digest(out: Path) -> str:
    total = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{file_hash}  {name}")
        total.update(f"{file_hash}  {name}\n".encode())
    return total.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", type=Path, help="a directory of .txt articles")
    parser.add_argument("--model", type=Path, help="a Marian model (default: the tiny one)")
    parser.add_argument("--keep", type=Path, help="write the outputs here (must not exist)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "JISR_CACHE_DIR": str(tmp_path / "cache")}
        model = args.model
        if model is None:
            model = tmp_path / "model"
            subprocess.run([sys.executable, "scripts/make_tiny_model.py", str(model)], check=True,
                           stdout=subprocess.DEVNULL)
        out = args.keep or tmp_path / "out"
        out.mkdir(parents=True)
        produce(args.inputs, model, out, env)
        print(f"digest {digest(out)}")


if __name__ == "__main__":
    main()
