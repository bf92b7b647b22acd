"""Which parts of a pair's English are the glossary's renderings rather than the model's own
words: the one place the signals ask it. A rendering counts where the glossary verifies it
(mt.engines.phrases, the rule of unmet_phrases), so a signal never discounts a planned rendering
that is not there."""

from __future__ import annotations

from aligned.signals.base import Pair
from mt.engines.phrases import phrase_spans
from mt.engines.pieces import piece_spans


def rendering_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int] | None]:
    """Each term's (start, end) in `text`, None where the text does not hold it (or the term is
    empty)."""
    spans = phrase_spans(text, terms) if terms else []
    return [span if span and span[1] > span[0] else None for span in spans]


def rendering_tokens(pair: Pair) -> list[bool]:
    """For each token of the pair's hypothesis, whether it spells part of a rendering."""
    hypothesis = pair.hypothesis
    text, spans = piece_spans(hypothesis.tokens)
    found = [span for span in rendering_spans(text, pair.terms) if span]
    return [any(start < end_r and end > start_r for start_r, end_r in found)
            for start, end in spans]


def without_renderings(pair: Pair) -> str:
    """The pair's English with each rendering it holds blanked out (a space)."""
    target = pair.target
    for span in sorted(filter(None, rendering_spans(target, pair.terms)), reverse=True):
        target = target[: span[0]] + " " + target[span[1]:]
    return target


def rendered_terms(pair: Pair) -> list[int]:
    """Indices of the pair's terms that its English holds."""
    return [i for i, span in enumerate(rendering_spans(pair.target, pair.terms)) if span]
