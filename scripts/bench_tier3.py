"""What the glossary's tier 3 costs: seed sentences holding a glossary term, translated without
the glossary and with it (each sentence its own document), timed side by side in one run, with
the decodes tier 3 adds per sentence. Run from scripts/bench.py --tier3 (opus-mt shape)."""

from __future__ import annotations

import time

from glossary.enforce import enforce
from glossary.match import Matcher
from glossary.termbase import load_default
from mt.document import Segment
from mt.engines import DecodeOptions, load_engine


def tier3_cost(model_dir: str, sentences: list[str], engine_name: str, beam: int = 4) -> dict:
    matcher = Matcher(load_default())
    with_terms = [s for s in sentences if matcher.find(s)]
    engine = load_engine(engine_name, model_dir)
    options = DecodeOptions(beam=beam)
    decodes = {"sources": 0}
    translate = engine.translate

    def counted(sources, *args, **kwargs):
        decodes["sources"] += len(sources)
        return translate(sources, *args, **kwargs)

    engine.translate(with_terms[:1], options)  # warm-up, outside the timings
    started = time.perf_counter()
    engine.translate(with_terms, options)
    plain = time.perf_counter() - started
    engine.translate = counted
    segments = [Segment(f"d{i}", 0, 0, "content", s, 0, len(s), mt_source=s)
                for i, s in enumerate(with_terms)]
    started = time.perf_counter()
    enforce(engine, segments, options, matcher)
    glossed = time.perf_counter() - started
    uses = [u for s in segments for u in s.matches]
    return {
        "engine": engine_name,
        "sentences_with_a_term": len(with_terms),
        "occurrences": len(uses),
        "tier3_decodes_per_sentence": round((decodes["sources"] - len(with_terms))
                                            / max(len(with_terms), 1), 2),
        "plain_s": round(plain, 1),
        "glossary_s": round(glossed, 1),
        "time_ratio": round(glossed / plain, 2) if plain else None,
        "tier1/tier3/failed": "/".join(str(sum(u.tier == t for u in uses)) for t in (1, 3, None)),
    }
