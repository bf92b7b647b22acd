"""Human translations in a translation run: a segment whose source the memory holds takes the
translator's target word for word and is never decoded. Its row still reads like every other:
the glossary column says which planned renderings it holds (never forcing them), and the word
alignment and model signals come from forced decoding of the human target, as `jisr score`
assesses a given translation."""

from __future__ import annotations

from collections.abc import Sequence

from aligned.pair_assessment import assess
from aligned.quality import alignment_of
from glossary.uses import TermUse, verify_human
from mt.document import Segment
from mt.engines.base import TranslationEngine
from mt.human_memory import HumanTranslation


def serve_human(
    engine: TranslationEngine,
    segments: Sequence[Segment],
    translations: Sequence[HumanTranslation],
    plans: Sequence[list[TermUse]] | None = None,
) -> None:
    """Give each segment its human translation; `plans` are the glossary's for these segments
    (planned with the rest of their documents, for first mentions), None without a glossary."""
    for segment, translation in zip(segments, translations, strict=True):
        segment.target = translation.target
        segment.origin = "human"
    if plans is not None:
        verify_human(segments, plans)
    # A source beyond the model's input limit is translated in pieces, which a human target
    # cannot be cut into: such a segment gets the model-free signals only.
    fits = [engine.count_source_tokens(s.mt_source) < engine.max_source_tokens for s in segments]
    scorable = [segment for segment, fit in zip(segments, fits, strict=True) if fit]
    scored = engine.score([s.mt_source for s in scorable], [s.target for s in scorable])
    hypotheses = dict(zip(map(id, scorable), scored, strict=True))
    for segment in segments:
        hypothesis = hypotheses.get(id(segment))
        segment.alignment = alignment_of(hypothesis) if hypothesis else ""
        assess(segment, hypothesis, forced=True)
