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

from glossary import placement
from mt.engines.base import Hypothesis
from mt.engines.pieces import piece_spans

# Nats the shared words of an edit may lose in all. Measured on the mini models' development
# sets (scripts/eval_glossary_fluency.py --margins prints the distribution): a right replacement
# changes them by a fraction of a nat, a wrong span (a word lost or doubled) by several.
EDIT_MARGIN = 1.5
# Nats per word the rest of a re-decode may lose against the model's own translation.
REDECODE_MARGIN = 0.35
FUNCTION_WORDS = placement.FUNCTION_WORDS
_NUMBER = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_EDGES = ".,:;!?؟\"'“”«»()[]"


@dataclass(frozen=True)
class Reading:
    """A text as the model reads it from the real input."""

    words: list[str]  # the text's tokens (glossary.placement.tokens)
    logprobs: list[float]  # one per token: the log-probabilities of its pieces summed
    end: float  # the log-probability of </s>


def reading(hyp: Hypothesis) -> Reading | None:
    """`hyp` (a teacher-forced score) token by token: each SentencePiece piece counts for the
    token its first letter falls in (mt.engines.pieces.piece_spans), a lone word mark for the
    word it starts. None when the pieces do not spell the text's words (a detokeniser that
    rewrote it) or it has no scores."""
    spelled, spans = piece_spans(hyp.tokens)
    found = placement.tokens(spelled)
    if (not found or len(hyp.token_logprobs) != len(hyp.tokens) + 1
            or [t.text for t in found] != [t.text for t in placement.tokens(hyp.text)]):
        return None
    owner = [0] * len(spelled)
    for index, token in enumerate(found):
        owner[token.start:token.end] = [index] * (token.end - token.start)
    logprobs = [0.0] * len(found)
    pending = 0.0
    for (start, end), logprob in zip(spans, hyp.token_logprobs, strict=False):
        letter = next((k for k in range(start, end) if not spelled[k].isspace()), None)
        if letter is None:  # a lone word mark: it counts for the word it starts
            pending += logprob
            continue
        logprobs[owner[letter]] += logprob + pending
        pending = 0.0
    return Reading([t.text for t in found], logprobs, hyp.token_logprobs[-1] + pending)


def contrast(real: Reading, without_term: Reading) -> list[float] | None:
    """Per token of one text, how much log-probability it loses when the source term is
    replaced by its rendering: the model's words for the term lose much (glossary.placement)."""
    if real.words != without_term.words:
        return None
    return [a - b for a, b in zip(real.logprobs, without_term.logprobs, strict=True)]


@dataclass(frozen=True)
class Edit:
    """How a candidate differs from the model's own translation."""

    replaced: frozenset[int]  # the model's own words the renderings took the place of
    change: float  # the log-probability change of the words both share (nats, in all)
    # The model's own words that a rendering holds as they were ("Revolutionary" of "Islamic
    # Revolutionary Guard Corps (IRGC)" for "Revolutionary Guards"): part of the name it
    # rendered, kept.
    absorbed: frozenset[int] = frozenset()

    @property
    def rendered(self) -> frozenset[int]:
        """The model's own words of the names the edit renders anew."""
        return self.replaced | self.absorbed


def compare(own: Reading, candidate: Reading, rendered: set[int]) -> Edit | None:
    """The edit that turns `own` into `candidate`, where `rendered` are the candidate's words
    holding renderings; None if the candidate differs anywhere else."""
    found = _word_edit(own.words, candidate.words, rendered)
    if found is None:
        return None
    replaced, absorbed, shared = found
    change = (sum(candidate.logprobs[b] for _, b in shared) + candidate.end
              - sum(own.logprobs[a] for a, _ in shared) - own.end)
    return Edit(replaced, change, absorbed)


def word_edit(own_words: Sequence[str], candidate_words: Sequence[str],
              rendered: set[int]) -> Edit | None:
    """`compare`'s edit from the words alone, before the model reads the candidate: what it
    replaces and absorbs are known, its change is not (0)."""
    found = _word_edit(own_words, candidate_words, rendered)
    return None if found is None else Edit(found[0], 0.0, found[1])


def _word_edit(
    own_words: Sequence[str], candidate_words: Sequence[str], rendered: set[int]
) -> tuple[frozenset[int], frozenset[int], list[tuple[int, int]]] | None:
    """The own words replaced, those a rendering absorbed, and the (own, candidate) pairs of
    words both share; None where the candidate differs outside its renderings."""
    if _doubled(candidate_words, rendered):
        return None
    replaced: set[int] = set()
    absorbed: set[int] = set()
    shared: list[tuple[int, int]] = []
    opcodes = difflib.SequenceMatcher(a=own_words, b=candidate_words,
                                      autojunk=False).get_opcodes()
    for tag, a0, a1, b0, b1 in opcodes:
        if tag != "equal":
            if not set(range(b0, b1)) <= rendered:
                return None
            replaced.update(range(a0, a1))
            continue
        for k in range(a1 - a0):
            # A word of a rendering that the model wrote too ("Syrian" of "Syrian army" for
            # "Syrian Arab Army") is not replaced, but it is the glossary's word: not shared.
            if b0 + k in rendered:
                absorbed.add(a0 + k)
            else:
                shared.append((a0 + k, b0 + k))
    return frozenset(replaced), frozenset(absorbed), shared


def _doubled(words: Sequence[str], rendered: set[int]) -> bool:
    """Whether a rendering's edge word repeats the word beside it ("the Syrian Syrian army")."""
    return any((k in rendered) != (k + 1 in rendered) and _bare(words[k]) == _bare(words[k + 1])
               for k in range(len(words) - 1))


def protected(words: Sequence[str], source: str, held: set[int]) -> set[int]:
    """The words of a translation that no rendering may take the place of: numbers, words
    copied from the source (Latin script in the Arabic) and the renderings already held."""
    copied = {w.strip(_EDGES) for w in source.split() if _LATIN.search(w)}
    return {k for k, word in enumerate(words)
            if _NUMBER.search(word) or word.strip(_EDGES) in copied or k in held}


def replaces_only_the_terms(
    edit: Edit | None, own_words: Sequence[str], guarded: set[int],
    losses: Sequence[placement.Losses] = (),
) -> bool:
    """Whether an edit changes the names and nothing else. The words it replaced hold nothing
    guarded and neither start nor end with a function word (the article or preposition before
    a name belongs to the sentence); where the model's `losses` are known (one per term placed),
    each name it renders anew is the model's rendering of one of the terms and nothing else
    (glossary.placement.renders_term_only)."""
    if edit is None or edit.replaced & guarded:
        return False
    regions = _regions(edit.rendered)
    for region in regions:
        if {_bare(own_words[region[0]]), _bare(own_words[region[-1]])} & FUNCTION_WORDS:
            return False
    if not losses:
        return True
    if not regions:  # the rendering added, no word replaced: only where the model wrote none
        return all(placement.peak(loss.term, own_words) is None for loss in losses)
    return all(
        any(placement.renders_term_only(loss, own_words, region,
                                        [k for k in region if k in edit.replaced])
            for loss in losses)
        for region in regions)


def _regions(indices: frozenset[int]) -> list[list[int]]:
    regions: list[list[int]] = []
    for k in sorted(indices):
        if regions and regions[-1][-1] == k - 1:
            regions[-1].append(k)
        else:
            regions.append([k])
    return regions


def _bare(word: str) -> str:
    return word.strip(_EDGES).lower()


def edit_acceptable(
    edit: Edit | None, own_words: Sequence[str], guarded: set[int],
    losses: Sequence[placement.Losses] = (),
) -> bool:
    """Whether an edit replaces only the terms and keeps the fit of the rest within
    EDIT_MARGIN."""
    return (replaces_only_the_terms(edit, own_words, guarded, losses)
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
                     if _bare(own.words[k]) not in FUNCTION_WORDS]
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
