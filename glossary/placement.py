"""Where in a translation the model rendered a source term, and the texts that put the required
rendering there: the model's own words replaced (tier 2), or the words before that place and
the rendering as a forced prefix of a new decode (tier 3).

The place comes from the model itself, not from its attention (a small model's attention is
often a word or two off): the model's own translation is read twice, from the real input and
from the input with the term replaced by PLACEHOLDER. The words the model wrote for the term
lose most of their probability when the term is gone (glossary.choice.contrast); a name's first
word carries the loss ("Qasad" of "Qasad forces"), its other words follow from it. Spans hold
that word (starting up to two words before it) and run as long as the rendering and two more.
A third reading, from the input with every word but the term replaced, says which words
translate the rest of the sentence ("withdrew" loses much there, "forces" nothing): no span
may take those.

Texts are cut into tokens, whitespace words with their opening and closing punctuation apart, so
that the full stop after a name stays the sentence's when the name is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

OPENING = "\"'“«(["  # punctuation a word may open with
CLOSING = ".,:;!?؟\"'”»)]"  # and close with
_TOKEN = re.compile(rf"[{re.escape(OPENING)}]+|[^\s{re.escape(CLOSING)}{re.escape(OPENING)}]"
                    rf"(?:[^\s]*[^\s{re.escape(CLOSING)}])?|[{re.escape(CLOSING)}]+")
# What stands for the term in the second reading: a made-up name, which the model copies and
# which shares no word with any rendering (the rendering itself would: "Popular" of "Popular
# Mobilization Forces (PMF)" loses nothing where the model wrote "Popular Mobilisation";
# deleting the term changes the grammar, and the loss spreads to other words; a bare "X" was
# read past as noise by the default mini world's model, which lost nothing on its own name).
PLACEHOLDER = "Zorba"
# What stands for each other word in the third reading.
FILLER = "X"
CONTRAST = 1.0  # nats a word of the model's rendering of a term loses when the term is gone
LEAD_TOKENS = 2  # a span may start this many tokens before the word that carries the loss
EXTRA_TOKENS = 2  # and hold this many tokens more than the rendering
# Words that belong to the sentence, not to a name: a replaced span neither starts nor ends with
# one (the house writes "the SDF" where the model wrote "the Qasad forces").
FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by",
                            "and", "that", "with", "as"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The tokens of an English text: each whitespace word's opening punctuation, its core, and
    its closing punctuation ("(SDF)." gives "(", "SDF", ")."), in order."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def tokens_in(text: str, spans: Sequence[tuple[int, int] | None]) -> set[int]:
    """The indices of the tokens of `text` that overlap any of the character spans."""
    return {k for k, token in enumerate(tokens(text))
            if any(span and span[0] < token.end and token.start < span[1] for span in spans)}


def term_alone(text: str, start: int, end: int) -> str:
    """`text` with every word outside [start, end) replaced by FILLER (its punctuation kept):
    what the model makes of the term alone, in its place."""
    pieces, position = [], 0
    for word in re.finditer(r"\S+", text):
        pieces.append(text[position:word.start()])
        inside = start <= word.start() < end or start < word.end() <= end
        core = word.group().rstrip(CLOSING)
        pieces.append(word.group() if inside or not core
                      else FILLER + word.group()[len(core):])
        position = word.end()
    return "".join(pieces) + text[position:]


def peak(contrast: Sequence[float], words: Sequence[str]) -> int | None:
    """The token that loses most without the term, function words aside (an article's loss
    says the name after it changed, not where it is): the first word of the model's rendering;
    None if no token loses CONTRAST (the model wrote nothing for the term)."""
    ranked = [k for k in range(len(words)) if words[k].lower() not in FUNCTION_WORDS]
    best = max(ranked, key=lambda k: contrast[k], default=None)
    return best if best is not None and contrast[best] >= CONTRAST else None


@dataclass(frozen=True)
class Losses:
    """Per token of the model's own translation, the log-probability it loses when the term is
    replaced by PLACEHOLDER (`term`: high on the model's rendering of it) and when every other
    source word is (`others`: high on the translations of the rest of the sentence)."""

    term: list[float]
    others: list[float]


def renders_term_only(losses: Losses, words: Sequence[str], region: Sequence[int],
                      replaced: Sequence[int]) -> bool:
    """Whether `region` (own token indices) is the model's rendering of the term: it holds the
    term's `peak` (where the model's own reading shows one), and no token of `replaced`
    translates another source word."""
    top = peak(losses.term, words)
    return ((top is None or top in region)
            and all(losses.others[k] < CONTRAST for k in replaced))


def candidate_spans(
    contrast: Sequence[float], words: Sequence[str], rendering: str
) -> list[tuple[int, int]]:
    """Token spans [start, end) that may be the model's own rendering of a term: each holds the
    token that lost most when the term was replaced by `rendering` (`peak`), starts at most
    LEAD_TOKENS before it, and is at most EXTRA_TOKENS longer than the rendering."""
    top = peak(contrast, words)
    if top is None:
        return []
    longest = len(tokens(rendering)) + EXTRA_TOKENS
    return [(start, end) for start in range(max(0, top - LEAD_TOKENS), top + 1)
            for end in range(top + 1, min(start + longest, len(words)) + 1)]


def replaced(text: str, span: tuple[int, int], rendering: str) -> str:
    """`text` with the tokens of `span` replaced by `rendering`; a rendering that now starts
    the sentence takes the capital the replaced token had."""
    found = tokens(text)
    start, end = found[span[0]].start, found[span[1] - 1].end
    if not text[:start].strip() and text[start:start + 1].isupper():
        rendering = rendering[:1].upper() + rendering[1:]
    return text[:start] + rendering + text[end:]


def resumed_prefix(text: str, span: tuple[int, int], rendering: str) -> str:
    """The forced prefix that replaces `span` by `rendering` in a new decode: the text before
    it, the rendering and the model's own next word after the span (a small model given a
    rendering longer than its own tends to skip ahead; its next word holds it to its
    translation)."""
    edited = replaced(text, span, rendering)
    found = tokens(text)
    shift = len(edited) - len(text)
    following = next((t for t in found[span[1]:] if t.text[0] not in CLOSING + OPENING), None)
    end = found[span[1] - 1].end + shift if following is None else following.end + shift
    return edited[:end]
