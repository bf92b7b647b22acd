"""Quality in the translate pipeline: turn the engine's hypotheses into a segment's target,
word alignment and assessment, and retry once the translations flagged for a loop or a dropped
half. What the score and flag mean is defined in aligned/pair_assessment.py."""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Callable, Sequence

import numpy as np

from aligned.pair_assessment import REASON_BELOW, assess
from aligned.word_alignment import align_words, to_pharaoh
from mt.document import Segment
from mt.engines.base import DecodeOptions, Hypothesis

log = logging.getLogger(__name__)

# The signals whose failure a second decoding can mend: a loop (repetition, runaway length) or a
# dropped half (short length, little attention on part of the source).
RETRY_SIGNALS = ("repetition", "length_ratio", "coverage")
# The retry decodes with n-gram blocking, which makes a loop impossible (fairseq and Marian
# users' usual remedy); a dropped half is retried in clause-sized pieces where it can be split.
RETRY_NO_REPEAT_NGRAM = 3


# The merged attention of a segment cut into pieces is dense and grows with the square of its
# length: past this many cells (64 MB) the segment gets no attention, hence no word alignment
# and no coverage signal, rather than a MemoryError (a 1 MB line would need 448 GB).
MAX_MERGED_ATTENTION = 8_000_000


def merge_hypotheses(parts: Sequence[Hypothesis]) -> Hypothesis:
    """One hypothesis for a segment translated in pieces: texts joined with a space, tokens and
    log-probs concatenated, attention block-diagonal (piece i saw only its own source)."""
    if not parts:
        raise ValueError("a translation has at least one part")
    if len(parts) == 1:
        return parts[0]
    attention = None
    shape = (sum(len(p.tokens) for p in parts), sum(len(p.source_tokens) for p in parts))
    if all(p.attention is not None for p in parts) and shape[0] * shape[1] <= MAX_MERGED_ATTENTION:
        attention = np.zeros(shape)
        row = column = 0
        for part in parts:
            rows, columns = part.attention.shape
            attention[row: row + rows, column: column + columns] = part.attention
            row, column = row + rows, column + columns
    return Hypothesis(
        text=" ".join(p.text.strip() for p in parts if p.text.strip()),
        tokens=[token for p in parts for token in p.tokens],
        token_logprobs=[lp for p in parts for lp in p.token_logprobs],
        source_tokens=[token for p in parts for token in p.source_tokens],
        attention=attention,
    )


def apply_translation(segment: Segment, parts: Sequence[Hypothesis]) -> Hypothesis:
    """Set the segment's target from its translated parts, its word alignment where the model
    gave attention, and its score, flag, signals and reasons."""
    hypothesis = merge_hypotheses(parts)
    segment.target = hypothesis.text
    segment.origin = "mt-cache" if all(part.from_memory for part in parts) else "mt"
    segment.alignment = alignment_of(hypothesis)
    assess(segment, hypothesis)
    return hypothesis


def alignment_of(hypothesis: Hypothesis) -> str:
    """Pharaoh word alignment of a hypothesis, "" when the engine gave no attention."""
    if hypothesis.attention is None or not hypothesis.tokens or not hypothesis.source_tokens:
        return ""
    links = align_words(hypothesis.attention, hypothesis.source_tokens, hypothesis.tokens)
    return to_pharaoh(links)


def mark_skipped(segment: Segment, reason: str | None = None) -> None:
    segment.score = None
    segment.flag = "skipped"
    if reason:
        segment.reasons.append(reason)


def needs_retry(segment: Segment) -> bool:
    """Flagged, and for something a second decoding can mend."""
    return segment.flag in ("review", "bad") and any(
        segment.signals.get(name, 1.0) < REASON_BELOW for name in RETRY_SIGNALS
    )


# How a retry translates: the pipeline's own translation of (segment, pieces) jobs, the glossary
# included, so that a retried sentence is held to the glossary by the same code as the first.
Translate = Callable[[Sequence[tuple[Segment, list[str]]], DecodeOptions], list[Hypothesis]]


def _repairs(candidate: Segment, segment: Segment) -> bool:
    """Whether a retried translation mends what the retry was for and harms nothing else: it
    scores better, is not bad, its worst retry signal (a loop, a lost half) is better than the
    first's, and no signal the first passed falls below the line of a reason (clause pieces
    that mend the coverage but write three sentences for one are no repair). Anything less,
    and the first translation, the model's own reading of the whole sentence, stays."""
    def worst(seg: Segment) -> float:
        return min(seg.signals.get(name, 1.0) for name in RETRY_SIGNALS)

    new_doubts = [name for name, value in candidate.signals.items()
                  if value < REASON_BELOW <= segment.signals.get(name, 1.0)]
    return ((candidate.score or 0.0) > (segment.score or 0.0) and candidate.flag != "bad"
            and worst(candidate) > worst(segment) and not new_doubts)


def retry_weak(
    jobs: Sequence[tuple[Segment, list[str]]],
    options: DecodeOptions,
    translate: Translate,
    split_clauses: Callable[[str], list[str]] | None = None,
) -> int:
    """Translate once more every segment of `jobs` (segment, the source pieces it was translated
    from) that needs_retry, with n-gram blocking and, where `split_clauses` cuts the source
    further, in smaller pieces, through `translate` (the glossary's uses planned again on a
    copy). The retry is kept, with its glossary column, where it `_repairs` the first;
    segment.retried records that a retry happened. Returns the number of segments retried."""
    retry_options = dataclasses.replace(options, no_repeat_ngram_size=RETRY_NO_REPEAT_NGRAM)
    retries = []
    for segment, pieces in jobs:
        if not needs_retry(segment):
            continue
        if split_clauses is not None and len(pieces) == 1:
            pieces = split_clauses(pieces[0]) or pieces
        candidate = dataclasses.replace(segment, signals={}, reasons=[],
                                        matches=copy.deepcopy(segment.matches))
        retries.append((segment, candidate, pieces))
    hypotheses = iter(translate([(candidate, pieces) for _, candidate, pieces in retries],
                                retry_options) if retries else [])
    for segment, candidate, pieces in retries:
        apply_translation(candidate, [next(hypotheses) for _ in pieces])
        kept = candidate if _repairs(candidate, segment) else segment
        log.info(
            "%s/%d: retried, kept the %s translation", segment.doc_id, segment.seg,
            "new" if kept is candidate else "first",
        )
        if kept is candidate:
            for field in ("target", "origin", "alignment", "score", "flag", "signals", "reasons",
                          "matches", "glossary"):
                setattr(segment, field, getattr(candidate, field))
            segment.split = segment.split or len(pieces) > 1
        segment.retried = True
    return len(retries)
