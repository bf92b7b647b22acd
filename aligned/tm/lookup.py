"""The fuzzy-match stage of a translation run: one call gives each segment that the memory does
not serve exactly its closest human translations, with their percentage, the memory's words
that differ, and the target adapted where only placeables differ."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from aligned.tm import DEFAULT_LIMIT, DEFAULT_THRESHOLD
from aligned.tm.index import Candidate, FuzzyIndex
from aligned.tm.placeables import adapt
from aligned.tm.words import Words, words_with_spans
from glossary.match import Matcher
from mt.document import Segment, TmMatch


def offer_fuzzy_matches(
    index: FuzzyIndex,
    segments: Sequence[Segment],
    matcher: Matcher | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
) -> None:
    """Set `tm_matches` on each segment: at most `limit`, at `threshold` percent or more."""
    for segment in segments:
        found = index.lookup(segment.source, threshold, limit)
        if found:
            sentence = words_with_spans(segment.source)
            segment.tm_matches = [_match(sentence, candidate, matcher) for candidate in found]


def _match(sentence: Words, candidate: Candidate, matcher: Matcher | None) -> TmMatch:
    translation = candidate.translation
    memory = words_with_spans(translation.source)
    differing = [index for op in Levenshtein.opcodes(memory.words, sentence.words)
                 if op.tag != "equal" for index in range(op.src_start, op.src_end)]
    return TmMatch(
        percent=candidate.percent,
        source=translation.source,
        target=translation.target,
        file=translation.file,
        unit=translation.unit,
        changed=tuple(memory.spans[index] for index in differing),
        adapted=adapt(sentence, memory, translation.target, matcher),
    )
