"""The pipeline's quality step: targets from hypotheses, alignment, and the retry policy. The
engine here is a stub that answers by decoding setting, to test the policy without a model."""

import numpy as np

from aligned.quality import apply_translation, merge_hypotheses, needs_retry, retry_weak
from glossary.match import Match
from glossary.termbase import Entry
from glossary.uses import TermUse
from mt.document import Segment
from mt.engines.base import DecodeOptions, Engine, Hypothesis

SOURCE = "قال قائد الشرطة إن 14 مشتبها بهم اعتقلوا في المداهمة"
GOOD = "The police chief said 14 suspects were arrested in the raid."
LOOP = "The police chief said the police chief said the police chief said the police chief"


def _hypothesis(text: str, source: str = SOURCE) -> Hypothesis:
    tokens = ["▁" + word for word in text.split()]
    source_tokens = ["▁" + word for word in source.split()]
    attention = np.full((len(tokens), len(source_tokens)), 1.0 / len(source_tokens))
    return Hypothesis(text, tokens, [-0.3] * (len(tokens) + 1), source_tokens, attention)


class StubEngine(Engine):
    """Loops unless decoding blocks repeated n-grams; records what it was asked."""

    name = "stub"

    def __init__(self, blocked_output: str = GOOD):
        self.blocked_output = blocked_output
        self.calls: list[tuple[list[str], DecodeOptions]] = []

    def translate(self, sources, options=None, progress=None):
        options = options or DecodeOptions()
        self.calls.append((list(sources), options))
        text = self.blocked_output if options.no_repeat_ngram_size else LOOP
        return [_hypothesis(text, source) for source in sources]

    def jobs(self, jobs, options):
        """The pipeline's translation of (segment, pieces) jobs, without a glossary."""
        return self.translate([piece for _, pieces in jobs for piece in pieces], options)

    def encode(self, text):
        return text.split()

    def _decode(self, batch, options, prefixes=None):
        raise AssertionError("translate is stubbed whole")

    def _score(self, batch, targets, with_attention):
        raise AssertionError("not used")


def _segment() -> Segment:
    return Segment("doc", 0, 0, "content", SOURCE, 0, len(SOURCE), mt_source=SOURCE)


def test_apply_translation_sets_target_alignment_and_flag():
    segment = _segment()
    apply_translation(segment, [_hypothesis(GOOD)])
    assert segment.target == GOOD
    assert segment.flag == "ok"
    assert len(segment.alignment.split()) == len(GOOD.split())  # one link per English word
    assert "mean_logprob" in segment.signals and "coverage" in segment.signals


def test_looping_translation_is_retried_and_the_better_one_kept():
    engine = StubEngine()
    segment = _segment()
    jobs = [(segment, [SOURCE])]
    apply_translation(segment, engine.translate([SOURCE]))
    assert needs_retry(segment)
    assert retry_weak(jobs, DecodeOptions(), engine.jobs) == 1
    assert engine.calls[-1][1].no_repeat_ngram_size == 3
    assert (segment.target, segment.flag, segment.retried) == (GOOD, "ok", True)


def test_a_worse_retry_keeps_the_first_translation_but_records_the_retry():
    engine = StubEngine(blocked_output="The")
    segment = _segment()
    apply_translation(segment, engine.translate([SOURCE]))
    first_score = segment.score
    retry_weak([(segment, [SOURCE])], DecodeOptions(), engine.jobs)
    assert (segment.target, segment.score, segment.retried) == (LOOP, first_score, True)


def test_a_good_translation_is_not_retried():
    engine = StubEngine()
    segment = _segment()
    apply_translation(segment, [_hypothesis(GOOD)])
    assert retry_weak([(segment, [SOURCE])], DecodeOptions(), engine.jobs) == 0
    assert engine.calls == [] and not segment.retried


def test_retry_cuts_the_source_into_clauses_when_it_can():
    engine = StubEngine()
    segment = _segment()
    apply_translation(segment, engine.translate([SOURCE]))
    halves = [" ".join(SOURCE.split()[:4]), " ".join(SOURCE.split()[4:])]
    retry_weak([(segment, [SOURCE])], DecodeOptions(), engine.jobs,
               split_clauses=lambda _: halves)
    assert engine.calls[-1][0] == halves


def test_pieces_merge_with_block_diagonal_attention():
    first, second = _hypothesis("The chief", "قال قائد"), _hypothesis("said so", "الشرطة إن")
    merged = merge_hypotheses([first, second])
    assert merged.text == "The chief said so"
    assert merged.attention.shape == (4, 4)
    assert merged.attention[:2, 2:].sum() == 0 and merged.attention[2:, :2].sum() == 0


def test_the_retry_goes_through_the_pipelines_translation_with_a_copy_of_the_plan():
    # The retry is held to the glossary by the same code as the first translation: it gets
    # the segment's planned uses (a copy, so that a retry not kept changes nothing) and, kept,
    # brings its glossary column along.
    engine = StubEngine()
    segment = _segment()
    term = "قائد الشرطة"
    start = SOURCE.index(term)
    match = Match(start, start + len(term), term, "", Entry(term, "police chief"), term)
    segment.matches = [TermUse(match, form="police chief", first=True, tier=1)]
    apply_translation(segment, engine.translate([SOURCE]))
    asked = []

    def translate(jobs, options):
        asked.extend(jobs)
        for candidate, _ in jobs:
            candidate.glossary = "قائد الشرطة=police chief:applied/2"
        return engine.jobs(jobs, options)

    planned = segment.matches[0]
    retry_weak([(segment, [SOURCE])], DecodeOptions(), translate)
    (candidate, pieces), = asked
    assert pieces == [SOURCE] and candidate is not segment
    assert candidate.matches[0] is not planned
    assert [u.form for u in candidate.matches] == ["police chief"]
    assert segment.target == GOOD and segment.glossary == "قائد الشرطة=police chief:applied/2"


def test_a_retry_is_kept_only_where_it_mends_what_it_was_for():
    # A retry triggered by a loop that scores better for another reason, or is still bad, is no
    # repair: the first translation stays (the glossary may have placed names in it).
    from aligned.quality import _repairs

    def seg(score: float, flag: str, repetition: float) -> Segment:
        segment = _segment()
        segment.score, segment.flag = score, flag
        segment.signals = {"repetition": repetition, "numbers": 1.0}
        return segment

    first = seg(0.3, "bad", 0.2)
    assert _repairs(seg(0.8, "ok", 1.0), first)
    assert not _repairs(seg(0.5, "review", 0.2), first)  # better, but the loop is still there
    assert not _repairs(seg(0.35, "bad", 0.9), first)  # still bad
    assert not _repairs(seg(0.25, "bad", 1.0), first)  # worse


def test_a_retry_that_mends_one_signal_and_breaks_another_is_no_repair():
    # Clause pieces can mend the coverage and write three sentences for one: the length, fine
    # in the first translation, now raises a doubt of its own.
    from aligned.quality import _repairs

    def seg(score: float, coverage: float, length_ratio: float) -> Segment:
        segment = _segment()
        segment.score, segment.flag = score, "review"
        segment.signals = {"coverage": coverage, "length_ratio": length_ratio}
        return segment

    first = seg(0.63, 0.63, 1.0)
    assert not _repairs(seg(0.70, 0.91, 0.76), first)
    assert _repairs(seg(0.70, 0.91, 0.95), first)
