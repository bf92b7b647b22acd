"""How `jisr batch` scales with the actor pool: the same corpus with 1 and with 2 workers on a
local Ray instance, one CPU (and one engine thread) per worker; prints the ratio of the two.

    python scripts/ray_scaling.py MODEL_DIR ARTICLES... [--copies N] [--beam N] [--max-new-tokens N]

ARTICLES are .txt files or directories of them (the seed articles).

MODEL_DIR is best `scripts/make_tiny_model.py OUT --shape opus-mt-ar-en` (the real model's size,
random weights: its output is nonsense, but the work per token is the real model's). Each input
article is copied N times under new names so there is enough work to share. The translation
memory is off, the output cap is fixed (a random model never stops early), and the model is
converted once before timing, so both runs do the same work.

It prints the date, commit, CPU and the load average (1 minute) before and after each run: on a
shared machine a ratio means little without the load beside it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def machine() -> str:
    """Date, commit and CPU, to print beside the figures."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip() or "unknown"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}, commit {commit}, {cpu}, {os.cpu_count()} cores"


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("articles", type=Path, nargs="+")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--beam", type=int, default=1)
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    # Ray hands an actor this many articles at a time: a corpus of fewer than two batches
    # leaves the second actor idle (the default 16 did, with 10 articles).
    parser.add_argument("--articles-per-batch", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jisr-ray-scaling-"))
    try:
        measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(args: argparse.Namespace, work: Path) -> None:
    os.environ.setdefault("JISR_CACHE_DIR", str(work / "cache"))  # before Ray starts workers
    import ray

    from mt.app.batch.job import ClusterSettings, run_batch
    from mt.app.pipeline import Translator, TranslatorSettings

    corpus = work / "corpus"
    corpus.mkdir()
    articles = [found for path in args.articles
                for found in (sorted(path.glob("*.txt")) if path.is_dir() else [path])]
    for copy in range(args.copies):
        for path in articles:
            (corpus / f"{path.stem}-{copy}.txt").write_bytes(path.read_bytes())
    settings = TranslatorSettings(
        model=str(args.model), beam=args.beam, max_new_tokens=args.max_new_tokens, cache=False
    )
    Translator(settings)  # converts the model into the cache once, outside the timings

    print("$ python " + " ".join(sys.argv))
    print(machine())
    ray.init(num_cpus=max(args.workers), include_dashboard=False, log_to_driver=False)
    seconds = {}
    for workers in args.workers:
        cluster = ClusterSettings(
            address="local",
            num_workers=workers,
            cpus_per_worker=1,
            articles_per_batch=args.articles_per_batch,
        )
        before = load()
        start = time.perf_counter()
        summary = run_batch(str(corpus), str(work / f"out-{workers}"), settings, cluster)
        seconds[workers] = time.perf_counter() - start
        print(f"{workers} worker(s): {summary.articles} articles, {summary.rows} rows, "
              f"{seconds[workers]:.1f} s ({before} before, {load()} after)")
    ray.shutdown()
    first, *rest = args.workers
    for workers in rest:
        print(f"speed-up {workers} vs {first} worker(s): {seconds[first] / seconds[workers]:.2f}x "
              f"(on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
