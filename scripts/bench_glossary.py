"""Glossary measurements, printed as figures of one run (never asserted by tests).

    python scripts/bench_glossary.py SEEDS_DIR                      # matcher speed
    python scripts/bench_glossary.py SEEDS_DIR --model DIR [--engine transformers]

Matcher speed: the seed articles, repeated to a long text, matched with the default glossary
and with 10,000 entries (the default plus synthetic two- and three-word terms), so the ratio
shows what the entry count costs. With --model: the seeds are translated with the default
glossary and every occurrence's status counted by tier (applied/1 injected and copied,
applied/3 forced, failed).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

from glossary.match import Matcher
from glossary.termbase import Entry, TermBase, load_default

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
ENTRY_COUNT = 10_000
TEXT_WORDS = 50_000


def synthetic_termbase(count: int, seed: int = 0) -> TermBase:
    base = load_default()
    rng = random.Random(seed)
    extra = []
    while len(base.entries) + len(extra) < count:
        words = [
            "".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 7)))
            for _ in range(rng.randint(2, 3))
        ]
        extra.append(Entry(" ".join(words), f"Term {len(extra)}"))
    return TermBase.merge([base, TermBase(tuple(extra))])


def long_text(seeds: Path) -> str:
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))).split()
    repeats = TEXT_WORDS // max(len(words), 1) + 1
    return " ".join((words * repeats)[:TEXT_WORDS])


def time_matching(termbase: TermBase, text: str) -> tuple[float, float, int]:
    started = time.perf_counter()
    matcher = Matcher(termbase)
    built = time.perf_counter()
    matches = matcher.find(text)
    return built - started, time.perf_counter() - built, len(matches)


def bench_matcher(seeds: Path) -> None:
    text = long_text(seeds)
    small = time_matching(load_default(), text)
    large = time_matching(synthetic_termbase(ENTRY_COUNT), text)
    for name, (build, match, found) in (("default", small), (f"{ENTRY_COUNT}", large)):
        print(f"{name:>8} entries: index {build * 1000:.0f} ms, {TEXT_WORDS} words matched in "
              f"{match * 1000:.0f} ms ({TEXT_WORDS / match:,.0f} words/s), {found} matches")
    print(f"matching time ratio {ENTRY_COUNT} entries / default: {large[1] / small[1]:.2f}")


def bench_tiers(seeds: Path, model: str, engine: str) -> None:
    from mt.app.pipeline import Translator, TranslatorSettings
    from mt.ingest import read_path

    translator = Translator(TranslatorSettings(model=model, engine=engine, cache=False))
    docs = [doc for path in sorted(seeds.glob("*.txt")) for doc in read_path(path)]
    translator.translate_documents(docs)
    statuses = Counter(
        use.status
        for doc in docs
        for seg in doc.segments
        if seg.kind == "content"
        for use in seg.matches
    )
    total = sum(statuses.values())
    print(f"{total} glossary occurrences in content sentences of {len(docs)} seed articles:")
    for status, count in sorted(statuses.items()):
        print(f"  {status:<10} {count:>5}  {count / total:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="A directory of Arabic .txt articles.")
    parser.add_argument("--model", help="A Marian model directory: also measure the tiers.")
    parser.add_argument("--engine", default="auto")
    args = parser.parse_args()
    bench_matcher(args.seeds)
    if args.model:
        bench_tiers(args.seeds, args.model, args.engine)


if __name__ == "__main__":
    main()
