"""What the glossary costs: `jisr translate`'s pipeline with the shipped default glossary against
the same without it, side by side in one run, on a trained mini model's sentences.

    python scripts/bench_glossary_cost.py MODEL_DIR [--split heldout|test] [--runs 3]
        [--engine ctranslate2 --engine transformers] [--limit N]

MODEL_DIR is the output of scripts/train_mini_model.py. The sentences are one article (a
paragraph each, so first mentions count as in a real article), translated as `jisr translate`
does (beam 4, no translation memory, quality and its retry included) by one loaded engine;
the runs alternate without and with the glossary, so that a change in the machine's load falls
on both. Printed per engine: the median seconds of each, their ratio, the decodes per sentence,
and the cost per sentence that needed the glossary (its extra seconds over those sentences).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from eval_glossary_fluency import counting_engine, print_table
from glossary.match import Matcher
from glossary.termbase import load_default
from mt.app.pipeline import Translator, TranslatorSettings

SPLITS = {"heldout": "heldout.tsv", "test": "test.tsv"}


def sources_of(path: Path, limit: int | None) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    sources = [line.split("\t", 1)[0] for line in lines if line.strip()]
    return sources[:limit] if limit else sources


def cost(engine_name: str, model: str, sources: list[str], runs: int) -> dict[str, float]:
    engine, decodes = counting_engine(engine_name, model)
    article = "\n\n".join(sources)
    translators = {glossary: Translator(TranslatorSettings(model=model, beam=4, cache=False,
                                                           default_glossary=glossary),
                                        engine=engine)
                   for glossary in (False, True)}
    for translator in translators.values():  # warm-up, outside the timings
        translator.translate_text("\n\n".join(sources[:4]))
    times: dict[bool, list[float]] = {False: [], True: []}
    counts: dict[bool, int] = {}
    for _ in range(runs):
        for glossary, translator in translators.items():
            decodes["decodes"] = 0
            started = time.perf_counter()
            translator.translate_text(article)
            times[glossary].append(time.perf_counter() - started)
            counts[glossary] = decodes["decodes"]
    matcher = Matcher(load_default())
    needing = sum(bool(matcher.find(s)) for s in sources)
    plain, glossed = statistics.median(times[False]), statistics.median(times[True])
    return {
        "sentences": len(sources),
        "sentences with a glossary term": needing,
        "seconds without glossary (median)": plain,
        "seconds with glossary (median)": glossed,
        "ratio with / without": glossed / plain,
        "decodes per sentence without": counts[False] / len(sources),
        "decodes per sentence with": counts[True] / len(sources),
        "ms per sentence with a term, beyond the time without": 1000 * (glossed - plain)
        / max(needing, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--split", choices=list(SPLITS), default="heldout")
    parser.add_argument("--engine", action="append", choices=["ctranslate2", "transformers"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    sources = sources_of(args.model / SPLITS[args.split], args.limit)
    engines = args.engine or ["ctranslate2", "transformers"]
    print_table({name: cost(name, str(args.model), sources, args.runs) for name in engines},
                digits=2)

if __name__ == "__main__":
    main()
