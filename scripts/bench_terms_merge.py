"""How the batch terms report scales: merge the term counts of N one-article inputs (sidecar
files on disk, as `jisr translate` leaves them) into one report, for N and 10 N, and print the
time per 1,000 inputs and the peak memory (tracemalloc) of each, as ratios; and the peak of
merging while holding every document's counts, which the streamed merge avoids.

Synthetic counts, no model: each article names 5 of 300 entries and 4 names drawn from a
vocabulary that grows with the corpus (a fresh name every 20 articles), as news does.

    python scripts/bench_terms_merge.py [--inputs 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from aligned.formats.terms import read_term_counts, write_batch_report
from glossary.report import EntryUsage, TermCounts

ENTRIES = [(f"مدخل{i}", f"Entry {i}") for i in range(300)]


def article_counts(number: int, rng: random.Random) -> TermCounts:
    counts = TermCounts()
    usage = {}
    for source, target in rng.sample(ENTRIES, 5):
        renderings = Counter({target: rng.randint(1, 3)})
        total = sum(renderings.values())
        usage[source] = EntryUsage(source, target, total, total, 0, renderings)
    counts.documents[f"doc{number}"] = usage
    counts.entries = {s: EntryUsage(u.source, u.target, u.occurrences, u.applied, u.failed,
                                    Counter(u.renderings)) for s, u in usage.items()}
    for _ in range(4):
        name = rng.randint(0, number // 20 + 10)
        key = f"اسم{name}"
        counts.names[key][f"Name{name} {'ABC'[rng.randint(0, 2)]}"] += 1
        counts.spellings[key][key] += 1
    return counts


def peak_memory(work) -> tuple[float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def hold_every_document(paths: list[Path]) -> None:
    total = TermCounts()
    for path in paths:
        total.merge(read_term_counts(path))


def measure(inputs: int, directory: Path) -> tuple[float, int, int]:
    rng = random.Random(inputs)
    paths = []
    for number in range(inputs):
        path = directory / f"input{number}.terms.json"
        path.write_text(json.dumps(article_counts(number, rng).as_json(), ensure_ascii=False))
        paths.append(path)
    seconds, peak = peak_memory(lambda: write_batch_report(
        directory / "jisr-terms.tsv", (read_term_counts(p) for p in paths)))
    _, held = peak_memory(lambda: hold_every_document(paths))
    return seconds, peak, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=2000)
    args = parser.parse_args()
    results = {}
    for inputs in (args.inputs, 10 * args.inputs):
        with tempfile.TemporaryDirectory() as tmp:
            results[inputs] = measure(inputs, Path(tmp))
        seconds, peak, held = results[inputs]
        print(f"{inputs:>7} inputs: {seconds:6.2f} s ({1000 * seconds / inputs:.2f} s per 1,000),"
              f" peak {peak / 1e6:.1f} MB; holding every document's counts: {held / 1e6:.1f} MB")
    (small_s, small_peak, _), (big_s, big_peak, big_held) = results.values()
    print(f"10x the inputs: {big_s / small_s:.1f}x the time, {big_peak / small_peak:.2f}x the peak "
          f"memory (names seen grow with the corpus); holding the documents: "
          f"{big_held / big_peak:.1f}x the streamed peak")


if __name__ == "__main__":
    main()
