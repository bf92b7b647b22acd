"""The cost of fuzzy matches: a translation memory of 100,000 human translations, looked up
sentence by sentence, printed as figures of one run (never asserted by tests).

    python scripts/bench_tm_lookup.py [--entries 100000] [--queries 300]

The memory: sentences of the mini model's world (scripts/mini_world.py), each entry one of them
with one to three words replaced by others of the world, so that the memory is full of near
duplicates sharing their frequent words, as a wire service's is; the sentences looked up are
new ones of the same world and variants of entries. It prints the index build, the lookup
(aligned.tm.index, the stage's search) and the whole stage (aligned.tm.lookup: lookup, differing
words, placeables with the default glossary) per sentence, and the same lookups by a scan of
every entry with rapidfuzz (process.extract), to show what the index saves. Times are the
CPU time of this process, which other work on a shared machine does not inflate.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import time
from datetime import UTC, datetime

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from aligned.tm import DEFAULT_LIMIT, DEFAULT_THRESHOLD
from aligned.tm.index import FuzzyIndex
from aligned.tm.lookup import offer_fuzzy_matches
from aligned.tm.words import folded_words
from glossary.match import Matcher
from glossary.termbase import load_default
from mini_world import generate
from mt.document import Segment
from mt.human_memory import HumanTranslation

SCANNED = 20  # sentences looked up by a scan of every entry (slow)


def memory_and_queries(entries: int, queries: int, seed: int = 0):
    rng = random.Random(seed)
    world = [s.source for s in generate(3000, rng, 0.0, {})]
    vocabulary = [word for sentence in world for word in sentence.split()]
    sources: dict[str, None] = {}
    while len(sources) < entries:
        words = rng.choice(world[:2000]).split()
        for _ in range(rng.randint(1, 3)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        sources[" ".join(words)] = None
    memory = [HumanTranslation(source, f"translation {i}", "bench", str(i))
              for i, source in enumerate(sources)]
    looked_up = world[2000:2000 + queries // 2]  # sentences of the world the memory lacks
    for source in rng.sample(list(sources), queries - len(looked_up)):
        words = source.split()
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
        looked_up.append(" ".join(words))
    return memory, looked_up


def cpu_model() -> str:
    for line in open("/proc/cpuinfo", encoding="utf-8"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    memory, queries = memory_and_queries(args.entries, args.queries)
    start = time.process_time()
    index = FuzzyIndex(memory)
    build = time.process_time() - start

    lookups, found = [], 0
    for query in queries:
        start = time.process_time()
        found += bool(index.lookup(query, DEFAULT_THRESHOLD, DEFAULT_LIMIT))
        lookups.append(time.process_time() - start)

    matcher = Matcher(load_default())
    segments = [Segment("bench", i, 0, "content", q, 0, len(q)) for i, q in enumerate(queries)]
    start = time.process_time()
    offer_fuzzy_matches(index, segments, matcher)
    stage = (time.process_time() - start) / len(segments)

    words = [folded_words(entry.source) for entry in memory]
    scans = []
    for query in queries[:SCANNED]:
        start = time.process_time()
        process.extract(folded_words(query), words, scorer=Levenshtein.normalized_similarity,
                        score_cutoff=DEFAULT_THRESHOLD / 100, limit=DEFAULT_LIMIT)
        scans.append(time.process_time() - start)
    indexed = statistics.mean(lookups[:SCANNED])

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip() or "unknown"
    print(f"command: python scripts/bench_tm_lookup.py --entries {args.entries} "
          f"--queries {args.queries}")
    print(f"commit {commit}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {cpu_model()}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"memory: {len(memory):,} entries, {len(index):,} indexed; "
          f"{len(queries)} sentences looked up, {found} with a match >= {DEFAULT_THRESHOLD}%")
    print()
    print("| CPU time | per sentence |")
    print("| --- | --- |")
    print(f"| index build (once a run) | {build:.1f} s in all |")
    print(f"| lookup, median | {statistics.median(lookups) * 1e3:.2f} ms |")
    print(f"| lookup, mean | {statistics.mean(lookups) * 1e3:.2f} ms |")
    print(f"| lookup, 95th percentile | {sorted(lookups)[int(len(lookups) * .95)] * 1e3:.2f} ms |")
    print(f"| the whole stage (lookup, differing words, placeables), mean | {stage * 1e3:.2f} ms |")
    print(f"| scan of every entry with rapidfuzz, mean of {SCANNED} | "
          f"{statistics.mean(scans) * 1e3:.1f} ms ({statistics.mean(scans) / indexed:.0f}x the "
          "indexed lookup of the same sentences) |")


if __name__ == "__main__":
    main()
