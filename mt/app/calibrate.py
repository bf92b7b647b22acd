"""Calibrate a model's quality signals on reference text: translate it as `jisr translate` does
(the default glossary on, as in use), read the model's hypotheses of what it wrote and of the
given English, and hand them to aligned/calibration.py, which sets and saves the bounds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligned.calibration import calibrate
from aligned.pair_assessment import planned_term_sources, planned_terms
from aligned.signals import Pair
from mt.app.pipeline import Translator, TranslatorSettings
from mt.engines.base import Engine
from mt.engines.calibration import Bounds
from mt.ingest import read_text


def calibrate_model(
    engine: Engine,
    sources: Sequence[str],
    targets: Sequence[str] | None = None,
    *,
    glossaries: tuple[str, ...] = (),
    default_glossary: bool = True,
) -> tuple[Path, Bounds]:
    """Calibrate `engine`'s model on `sources` (Arabic sentences of its domain) and, when given,
    their English `targets` (forced_logprob is then read on them, else on the model's own
    translations). Each source is translated as a document of its own, with the glossaries as
    `jisr translate` takes them, without the translation memory, under the signals' built-in
    bounds (so a second calibration translates as the first did). The hypotheses are the
    model's forced reading of each final English: a rendering the glossary put in is in it, and
    the signals leave its tokens out as they do in translate."""
    engine.calibration = None
    settings = TranslatorSettings(model=engine.model_id, engine=engine.name,
                                  revision=engine.revision, cache=False,
                                  glossaries=glossaries, default_glossary=default_glossary)
    docs = Translator(settings, engine=engine).translate_documents(
        [read_text(source, f"reference{i}") for i, source in enumerate(sources)])
    segments = [s for doc in docs for s in doc.segments if s.flag != "skipped" and s.target]
    own = engine.score([s.mt_source for s in segments], [s.target for s in segments])
    pairs = [Pair(s.source, s.target, hyp, terms=planned_terms(s),
                  term_sources=planned_term_sources(s))
             for s, hyp in zip(segments, own, strict=True)]
    if targets:
        forced = engine.score(list(sources), list(targets))
        pairs += [Pair(s, t, hyp, forced=True)
                  for s, t, hyp in zip(sources, targets, forced, strict=True)]
    else:
        pairs += [Pair(p.source, p.target, p.hypothesis, forced=True, terms=p.terms,
                       term_sources=p.term_sources) for p in pairs]
    glossary = ["default"] if default_glossary else []
    about = {"sentences": len(sources), "segments": len(segments),
             "glossary": " + ".join(glossary + list(glossaries)) or "none",
             "forced_on": "given English" if targets else "own output"}
    return calibrate(engine, pairs, about)
