"""Whether a translation that holds the glossary's renderings is one to keep: the glossary
changes the names and nothing else, and never lowers the model's fit of the rest of the
sentence by more than a stated margin. Pure functions of texts and the model's readings of
them; glossary/enforce.py decides which candidates are read.

A candidate is compared with the model's own translation of the real input, each read by the
model from the real input (teacher forcing): the log-probability of every whitespace word (its
pieces summed) and of the end of the sentence.

- An edit (the model's own words replaced by a rendering, or the translation of the input with
  the renderings injected) may differ from the model's own translation only where it holds a
  rendering; the words it replaced must be the model's rendering of the term (they attend to
  it) and hold no number, no word copied from the source and no other rendering. The words
  both share keep their log-probability but for EDIT_MARGIN in all: the words that follow a
  rendering the model would not have written show whether it derails the sentence. The
  rendering's own tokens do not count: they are the glossary's words, not the model's doubt.
- A re-decode (the model continuing after the words before the term and the rendering) may word
  the rest its own way, but keeps every number, copied word, name and rendering of the model's
  translation, does not keep the model's own rendering beside the glossary's, is not shorter,
  and its words outside the renderings fit within REDECODE_MARGIN per word of the model's own.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mt.engines.base import Hypothesis
from mt.engines.pieces import piece_words

# Nats the shared words of an edit may lose in all. Measured on the mini models' development
# sets (scripts/eval_glossary_fluency.py --margins prints the distribution): a right replacement
# changes them by a fraction of a nat, a wrong span (a word lost or doubled) by several.
EDIT_MARGIN = 1.5
# Nats per word the rest of a re-decode may lose against the model's own translation.
REDECODE_MARGIN = 0.35
# Words that may attend elsewhere and still be replaced with a name: small models attend a word
# off, and an article or a preposition before a name often attends to the name's neighbour.
FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by"})
_NUMBER = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_EDGES = ".,:;!?؟\"'“”«»()[]"


@dataclass(frozen=True)
class Reading:
    """A text as the model reads it from the real input."""

    words: list[str]
    logprobs: list[float]  # one per whitespace word: its pieces' log-probabilities summed
    end: float  # the log-probability of </s>


def reading(hyp: Hypothesis) -> Reading | None:
    """`hyp` (a teacher-forced score) word by word; None when its pieces do not spell its
    whitespace words one for one (a detokeniser that rewrote the text), or it has no scores."""
    words = hyp.text.split()
    index = piece_words(hyp.tokens)
    if not words or len(hyp.token_logprobs) != len(hyp.tokens) + 1:
        return None
    if max(index, default=-1) + 1 != len(words):
        return None
    logprobs = [0.0] * len(words)
    for word, logprob in zip(index, hyp.token_logprobs, strict=False):
        logprobs[word] += logprob
    return Reading(words, logprobs, hyp.token_logprobs[-1])


def words_in(text: str, spans: Sequence[tuple[int, int] | None]) -> set[int]:
    """The indices of the whitespace words of `text` that overlap any of the character spans."""
    found: set[int] = set()
    position = 0
    for index, word in enumerate(text.split()):
        start = text.index(word, position)
        position = start + len(word)
        if any(span and span[0] < position and start < span[1] and span[0] != span[1]
               for span in spans):
            found.add(index)
    return found


@dataclass(frozen=True)
class Edit:
    """How a candidate differs from the model's own translation."""

    replaced: frozenset[int]  # the model's own words the renderings took the place of
    change: float  # the log-probability change of the words both share (nats, in all)


def compare(own: Reading, candidate: Reading, rendered: set[int]) -> Edit | None:
    """The edit that turns `own` into `candidate`, where `rendered` are the candidate's words
    holding renderings; None if the candidate differs anywhere else."""
    replaced: set[int] = set()
    shared_own: list[int] = []
    shared_candidate: list[int] = []
    opcodes = difflib.SequenceMatcher(a=own.words, b=candidate.words, autojunk=False).get_opcodes()
    for tag, a0, a1, b0, b1 in opcodes:
        if tag != "equal":
            if not set(range(b0, b1)) <= rendered:
                return None
            replaced.update(range(a0, a1))
            continue
        for k in range(a1 - a0):
            # A word of a rendering that the model wrote too ("Syrian" of "Syrian army" for
            # "Syrian Arab Army") is not replaced, but it is the glossary's word: not shared.
            if b0 + k not in rendered:
                shared_own.append(a0 + k)
                shared_candidate.append(b0 + k)
    change = (sum(candidate.logprobs[k] for k in shared_candidate) + candidate.end
              - sum(own.logprobs[k] for k in shared_own) - own.end)
    return Edit(frozenset(replaced), change)


def protected(words: Sequence[str], source: str, held: set[int]) -> set[int]:
    """The words of a translation that no rendering may take the place of: numbers, words
    copied from the source (Latin script in the Arabic) and the renderings already held."""
    copied = {w.strip(_EDGES) for w in source.split() if _LATIN.search(w)}
    return {k for k, word in enumerate(words)
            if _NUMBER.search(word) or word.strip(_EDGES) in copied or k in held}


def replaces_only_the_terms(
    edit: Edit | None, attends: Sequence[bool] | None, own_words: Sequence[str],
    guarded: set[int],
) -> bool:
    """Whether an edit changes the names and nothing else: it replaced only words that render
    the terms (`attends`, per own word; None when the engine gave no attention) or function
    words, none of them guarded; it adds a rendering without replacing words only where the
    model wrote none for the terms."""
    if edit is None or edit.replaced & guarded:
        return False
    if attends is None:
        return True
    if not edit.replaced and any(attends):  # a rendering beside the model's own
        return False
    return all(attends[k] or own_words[k].strip(_EDGES).lower() in FUNCTION_WORDS
               for k in edit.replaced)


def edit_acceptable(
    edit: Edit | None, attends: Sequence[bool] | None, own_words: Sequence[str],
    guarded: set[int],
) -> bool:
    """Whether an edit replaces only the terms and keeps the fit of the rest within
    EDIT_MARGIN."""
    return (replaces_only_the_terms(edit, attends, own_words, guarded)
            and edit.change >= -EDIT_MARGIN)


def redecode_acceptable(
    own: Reading, own_span: range, candidate: Reading, rendered: set[int], guarded: set[int],
) -> bool:
    """Whether a re-decode keeps the sentence: every guarded word and name of the model's own
    translation after the replaced span still there, the replaced words not kept beside the
    rendering, no fewer words, and the rest's fit per word within REDECODE_MARGIN."""
    rest = [k for k in range(len(candidate.words)) if k not in rendered]
    rest_words = Counter(candidate.words[k].strip(_EDGES) for k in rest)
    kept = [k for k in range(len(own.words)) if k not in own_span]
    names = {k for k in kept if k >= own_span.stop and own.words[k][:1].isupper()}
    needed = Counter(own.words[k].strip(_EDGES) for k in sorted(guarded | names) if k in kept)
    if needed - rest_words:
        return False
    own_rendering = [own.words[k].strip(_EDGES) for k in own_span
                     if own.words[k].strip(_EDGES).lower() not in FUNCTION_WORDS]
    if own_rendering and _holds(
            [candidate.words[k].strip(_EDGES) for k in rest], own_rendering):
        return False
    if len(rest) < len(kept):
        return False
    mean_own = np.mean([own.logprobs[k] for k in kept] + [own.end])
    mean_candidate = np.mean([candidate.logprobs[k] for k in rest] + [candidate.end])
    return bool(mean_candidate >= mean_own - REDECODE_MARGIN)


def _holds(words: list[str], phrase: list[str]) -> bool:
    return any(words[k : k + len(phrase)] == phrase for k in range(len(words) - len(phrase) + 1))
