"""Benchmark `jisr serve` against `jisr translate` on the same sentences.

    python scripts/bench_serve.py SEEDS_DIR [--clients 1,4,16] [--beam 4] [--tokens 48]

On the random `--shape opus-mt-ar-en` model (scripts/make_tiny_model.py, built once in
--build-dir, as scripts/bench.py does), with the CTranslate2 engine, a fixed beam and output
length (a random model's outputs run to the cap, so every sentence costs the same whichever way
it is sent), no translation memory (--no-cache: nothing is served from an earlier run) and no
glossary (a random model writes no term, so each would cost the re-decodes of enforcement that
a trained model seldom needs, on both sides alike):

- translate: `jisr translate` on the seed sentences, one article each (a JSONL input), its own
  reported time (translation and writing; the model load excluded);
- serve-N:   one `jisr serve`, then N concurrent clients on loopback, each sending one sentence
  per POST /v1/translate until all are sent; wall time from the first request to the last answer,
  and each request's latency.

`ratio` is the CLI's time over the service's for the same sentences, i.e. the service's
throughput as a share of the batch CLI's (goal: >= 0.8 at 16 clients). Both go through the same
pipeline, the quality retry included. Prints a Markdown table with the command, commit, date
and CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import bench_model, seed_sentences
from mt.engines.ctranslate2_engine import cpu_compute_type
from serve_process import REPO, Server, jisr_env


def run_cli(sentences: list[str], model: Path, options: list[str], folder: Path) -> float:
    """`jisr translate` on the sentences; the seconds it reports for translating them."""
    source = folder / "sentences.jsonl"
    source.write_text("".join(json.dumps({"id": f"s{i}", "text": text}, ensure_ascii=False)
                              + "\n" for i, text in enumerate(sentences)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mt", "translate", str(source), "-o", str(folder / "out"),
         "--formats", "jsonl", "--model", str(model), *options],
        cwd=REPO, capture_output=True, text=True,
        env=jisr_env({"JISR_CACHE_DIR": str(folder / "cli-cache")}),
    )
    if result.returncode:
        raise SystemExit(f"jisr translate failed: {result.stderr[-2000:]}")
    found = re.search(r"in ([0-9.]+) s", result.stderr)
    if not found:
        raise SystemExit(f"no time in jisr translate's summary: {result.stderr[-500:]}")
    return float(found.group(1))


async def run_clients(url: str, sentences: list[str], clients: int) -> tuple[float, list[float]]:
    """Every sentence sent once by `clients` concurrent clients: wall seconds, latencies."""
    todo = list(enumerate(sentences))
    latencies: list[float] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while todo:
            index, text = todo.pop(0)
            started = time.perf_counter()
            answer = await client.post("/v1/translate", json={"text": text, "id": f"s{index}"})
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                raise SystemExit(f"request {index} failed: {answer.status_code} {answer.text}")

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=3600,
                                 limits=httpx.Limits(max_connections=clients)) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    return time.perf_counter() - started, latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="The seed articles' directory.")
    parser.add_argument("--build-dir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=48, help="Output tokens per sentence.")
    parser.add_argument("--sentences", type=int, help="Use the first N sentences.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    model = bench_model(args.build_dir)
    sentences = seed_sentences(args.seeds)[: args.sentences]
    options = ["--engine", "ctranslate2", "--beam", str(args.beam), "--max-new-tokens",
               str(args.tokens), "--no-cache", "--no-default-glossary"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jisr-bench-serve-") as folder:
        cli_seconds = run_cli(sentences, model, options, Path(folder))
        rows.append({"setting": "translate", "seconds": cli_seconds, "ratio": 1.0})
        print(f"translate: {len(sentences)} sentences in {cli_seconds:.1f} s", flush=True)
        cache = Path(folder, "serve-cache")
        cache.mkdir()
        with Server("--model", str(model), *options, cache_dir=cache) as server:
            asyncio.run(run_clients(server.url, sentences[:2], 1))  # warm up
            for clients in map(int, args.clients.split(",")):
                runs_before = httpx.get(server.url + "/health").json()["runs"]
                seconds, latencies = asyncio.run(run_clients(server.url, sentences, clients))
                runs = httpx.get(server.url + "/health").json()["runs"] - runs_before
                rows.append({
                    "setting": f"serve-{clients}", "seconds": seconds,
                    "ratio": cli_seconds / seconds, "p50": percentile(latencies, 0.5),
                    "p99": percentile(latencies, 0.99), "runs": runs,
                })
                print(f"serve, {clients} client(s): {seconds:.1f} s", flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    print(f"\n`python scripts/bench_serve.py SEEDS_DIR --clients {args.clients} --beam "
          f"{args.beam} --tokens {args.tokens}"
          + (f" --sentences {args.sentences}" if args.sentences else "") + f"`: commit {commit}, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {cpu_name()}, "
          f"{len(sentences)} sentences, opus-mt-ar-en shape (random weights), "
          f"CTranslate2 {cpu_compute_type()}, "
          "no glossary, no translation memory\n")
    print("| setting | seconds | throughput / jisr translate | p50 latency (s) | p99 latency (s) "
          "| decoding runs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        latency = (f"{row['p50']:.2f} | {row['p99']:.2f} | {row['runs']}" if "p50" in row
                   else " | ".join(["", "", ""]))
        print(f"| {row['setting']} | {row['seconds']:.1f} | {row['ratio']:.2f} | {latency} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
