"""Enforcement logic: plans, first mentions, verification counts and the tiers, with stand-in
engines whose behaviour is known (the real model runs in test_glossary_guarantee.py)."""

from __future__ import annotations

import pytest

from glossary.enforce import enforce, glossary_column, plan, satisfied
from glossary.match import Matcher
from glossary.termbase import Entry, TermBase
from mt.document import Segment
from mt.engines.base import DecodeOptions, Engine, Hypothesis

MATCHER = Matcher(
    TermBase(
        (
            Entry("قسد", "SDF", "Syrian Democratic Forces (SDF)"),
            Entry("قوات سوريا الديمقراطية", "Syrian Democratic Forces (SDF)"),
            Entry("الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)"),
            Entry("هيئة الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)"),
            Entry("حماه", "Hama"),
        )
    )
)


def segments(*sources: str, doc_id: str = "d") -> list[Segment]:
    return [Segment(doc_id, i, 0, "content", s, 0, len(s)) for i, s in enumerate(sources)]


class StubEngine(Engine):
    """Decodes by a rule: `copy` returns the input (so injected renderings survive), `forced`
    returns a forced prefix and one word after it, `deaf` ignores it, `babble` says it ran to
    its length budget."""

    name = "stub"

    def __init__(self, plain: str = "copy", constrained: str = "forced"):
        self.model_id, self.revision, self.max_source_tokens = "stub", None, 512
        self.plain, self.constrained = plain, constrained
        self.calls: list[tuple[list[str], list | None]] = []
        self.scored: list[list[str]] = []

    def encode(self, text: str) -> list[str]:
        return [*text.split(), "</s>"]

    def _decode(
        self, batch: list[list[str]], options: DecodeOptions,
        prefixes: list[str | None] | None = None,
    ) -> list[Hypothesis]:
        texts = [" ".join(pieces[:-1]) for pieces in batch]
        self.calls.append((texts, prefixes))
        rule = self.constrained if prefixes else self.plain
        out = []
        for i, text in enumerate(texts):
            if rule == "copy":
                out.append(text)
            elif rule == "forced":
                out.append(prefixes[i] + " left")
            else:
                out.append("they said nothing")
        hyps = [Hypothesis(t, t.split(), [0.0] * (len(t.split()) + 1), pieces[:-1])
                for t, pieces in zip(out, batch, strict=True)]
        if rule == "babble":
            for hyp in hyps:
                hyp.extra["truncated"] = True
        return hyps

    def _score(
        self, batch: list[list[str]], targets: list[str], with_attention: bool
    ) -> list[Hypothesis]:
        self.scored.append(targets)
        return [Hypothesis(t, t.split(), [-1.0] * (len(t.split()) + 1), pieces[:-1])
                for pieces, t in zip(batch, targets, strict=True)]


def test_first_mention_per_document_then_short_form() -> None:
    segs = segments("قال الحشد الشعبي", "ثم الحشد الشعبي وهيئة الحشد الشعبي")
    segs += segments("الحشد الشعبي", doc_id="other")
    forms = [[u.form for u in uses] for uses in plan(segs, MATCHER)]
    assert forms == [
        ["Popular Mobilization Forces (PMF)"],
        ["PMF", "PMF"],  # a second entry with the same first mention is introduced too
        ["Popular Mobilization Forces (PMF)"],
    ]


def test_long_name_introduces_abbreviation_and_parenthesis_is_covered() -> None:
    (uses,) = plan(segments("مع قوات سوريا الديمقراطية (قسد) ثم قسد"), MATCHER)
    assert [(u.form, u.covered_by is not None) for u in uses] == [
        ("Syrian Democratic Forces (SDF)", False),
        ("SDF", True),
        ("SDF", False),
    ]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("the PMF and the PMF", [True, True], id="twice-for-two"),
        pytest.param("the PMF only", [True, False], id="once-for-two"),
        pytest.param("the PMFs", [False, False], id="not-glued-to-a-longer-word"),
        pytest.param("the pmf", [False, False], id="case-matters"),
    ],
)
def test_satisfied_counts_occurrences(target: str, expected: list[bool]) -> None:
    (uses,) = plan(segments("الحشد الشعبي", "الحشد الشعبي والحشد الشعبي"), MATCHER)[1:]
    assert satisfied(target, uses) == expected


def test_longer_rendering_claims_its_text_first() -> None:
    (uses,) = plan(segments("قوات سوريا الديمقراطية و قسد"), MATCHER)
    assert satisfied("Syrian Democratic Forces (SDF)", uses) == [True, False]
    assert satisfied("SDF, Syrian Democratic Forces (SDF)", uses) == [True, True]


def test_tier_one_when_the_model_copies_the_injected_rendering() -> None:
    engine = StubEngine(plain="copy")
    source = "وقال الحشد الشعبي إن قسد انسحبت"
    (seg,) = segs = segments(source)
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    # The real input first; the injected one only because that translation lacks renderings.
    assert engine.calls[0][0] == [source]
    assert engine.calls[1][0] == ["وقال Popular Mobilization Forces (PMF) إن Syrian Democratic "
                                  "Forces (SDF) انسحبت"]
    assert [u.status for u in seg.matches] == ["applied/1", "applied/1"]
    assert seg.glossary == ("الحشد الشعبي=Popular Mobilization Forces (PMF):applied/1; "
                            "قسد=Syrian Democratic Forces (SDF):applied/1")
    assert hyps[0].text == engine.calls[1][0][0]
    # Re-scored against the real input: the hypothesis describes the sentence the TSV shows.
    assert hyps[0].source_tokens == source.split()
    assert [hyps[0].text] in engine.scored


def test_no_injection_when_the_model_holds_every_rendering() -> None:
    engine = StubEngine(plain="copy")  # its translation of "Hama حماه" holds "Hama"
    (seg,) = segs = segments("Hama حماه")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert engine.calls == [(["Hama حماه"], None)]
    assert hyps[0].text == "Hama حماه" and seg.glossary == "حماه=Hama:applied/1"


def test_clitic_kept_apart_when_injected() -> None:
    engine = StubEngine(plain="copy")
    enforce(engine, segments("وللحشد الشعبي"), DecodeOptions(), MATCHER)
    assert engine.calls[1][0] == ["ول Popular Mobilization Forces (PMF)"]


def test_tier_three_forces_what_the_model_left_out() -> None:
    engine = StubEngine(plain="deaf", constrained="forced")
    segs = segments("قسد في حماه", "لا شيء هنا")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    # The real input decoded freely, the injected one too (it lacked renderings), then one
    # rendering placed per round as a forced prefix (the stub has no attention: each goes after
    # the words already there), decoded from the real and from the injected input.
    injected = "Syrian Democratic Forces (SDF) في Hama"
    assert engine.calls[0] == (["قسد في حماه", "لا شيء هنا"], None)
    assert engine.calls[1] == ([injected], None)
    first = "they said nothing Syrian Democratic Forces (SDF)"
    assert engine.calls[2] == (["قسد في حماه", injected], [first, first])
    assert engine.calls[3][1] == [first + " left Hama"] * 2
    assert [u.status for u in segs[0].matches] == ["applied/3", "applied/3"]
    assert hyps[0].text == "they said nothing Syrian Democratic Forces (SDF) left Hama left"
    assert hyps[0].source_tokens == "قسد في حماه".split()
    assert hyps[1].text == "they said nothing" and segs[1].glossary == ""


def test_a_translation_that_ran_to_its_budget_gets_every_rendering_in_one_decode() -> None:
    # A loop or babble has no sentence to place a rendering in: the missing renderings are
    # forced together, in source order, as one prefix of the real input, not a round each.
    engine = StubEngine(plain="babble", constrained="forced")
    (seg,) = segs = segments("قسد في حماه")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    injected = "Syrian Democratic Forces (SDF) في Hama"
    together = "Syrian Democratic Forces (SDF) Hama"
    assert engine.calls[1:] == [([injected], None), (["قسد في حماه"], [together])]
    assert [u.status for u in seg.matches] == ["applied/3", "applied/3"]
    assert hyps[0].text == together + " left"
    assert hyps[0].source_tokens == "قسد في حماه".split()


def test_failure_is_recorded_and_unconstrained_output_kept() -> None:
    engine = StubEngine(plain="deaf", constrained="deaf")
    (seg,) = segs = segments("قسد")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert seg.glossary == "قسد=Syrian Democratic Forces (SDF):failed"
    assert hyps[0].text == "they said nothing"


def test_no_injection_without_a_match_and_no_source_change_without_terms() -> None:
    engine = StubEngine(plain="copy")
    segs = segments("قسدي ومقسد")
    enforce(engine, segs, DecodeOptions(), MATCHER)
    assert engine.calls == [(["قسدي ومقسد"], None)]
    assert segs[0].matches == [] and segs[0].glossary == ""


def test_pieces_of_a_long_segment_get_their_own_terms() -> None:
    engine = StubEngine(plain="deaf", constrained="forced")
    (seg,) = segs = segments("قال قسد كلاما طويلا، ثم الحشد الشعبي")
    pieces = [["قال قسد كلاما طويلا،", "ثم الحشد الشعبي"]]
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER, pieces=pieces)
    assert len(hyps) == 2
    assert sorted(set(engine.calls[2][1])) == [
        "they said nothing Popular Mobilization Forces (PMF)",
        "they said nothing Syrian Democratic Forces (SDF)"]
    assert [u.status for u in seg.matches] == ["applied/3", "applied/3"]


def test_glossary_column_has_no_tabs_or_newlines() -> None:
    (uses,) = plan(segments("قسد"), Matcher(TermBase((Entry("قسد", "S\tD\nF"),))))
    assert glossary_column(uses) == "قسد=S D F:failed"
