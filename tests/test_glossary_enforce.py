"""Enforcement logic: plans, first mentions, verification counts and the steps that put a
rendering in, with a stand-in engine whose behaviour is known (the real models run in
test_glossary_guarantee.py and test_glossary_fluency.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from glossary.choice import EDIT_MARGIN
from glossary.enforce import enforce
from glossary.match import Matcher
from glossary.termbase import Entry, TermBase
from glossary.uses import glossary_column, plan, satisfied
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
# The stand-in model's words: an Arabic word gives these English words (its own renderings).
LEXICON = {"قسد": "Qasad", "انسحبت": "withdrew", "من": "from", "حماه": "Hamah",
           "الحشد": "the Mobilisation", "الشعبي": "", "قال": "said", "٣٠": "30",
           "مقاتلا": "fighters"}
VOCABULARY = {word for english in LEXICON.values() for word in english.split()}
FLUENT = -0.1  # the stand-in's log-probability of a word that may follow the one before it
DERAILED = -3.0  # and of one that may not: a sentence the model would not write


def segments(*sources: str, doc_id: str = "d") -> list[Segment]:
    return [Segment(doc_id, i, 0, "content", s, 0, len(s)) for i, s in enumerate(sources)]


class StubEngine(Engine):
    """Translates word by word with LEXICON, copying Latin words (so injected renderings
    survive); each English word attends to the Arabic word it came from. Reads a text word by
    word: DERAILED where the source gives no such word, else FLUENT after a word it may follow
    (as in its own translation, or in `pairs`), DERAILED otherwise. A forced prefix is
    continued with the own translation's words after the prefix's last word. `babble`: every
    translation says it ran to its length budget."""

    name = "stub"

    def __init__(self, pairs: Sequence[tuple[str, str]] = (), babble: bool = False,
                 shaken: dict[str, str] | None = None):
        self.model_id, self.revision, self.max_source_tokens = "stub", None, 512
        self.pairs, self.babble = set(pairs), babble
        self.shaken = shaken or {}  # words it writes otherwise when the input holds Latin
        self.decoded: list[tuple[list[str], list | None]] = []
        self.scored: list[list[str]] = []

    def encode(self, text: str) -> list[str]:
        return [*text.split(), "</s>"]  # pieces without the word mark: _read adds it

    @staticmethod
    def _words(source: list[str]) -> list[tuple[str, int]]:
        out = []
        for k, word in enumerate(source):
            english = word if word.isascii() else LEXICON.get(word, "")
            out += [(w, k) for w in english.split()]
        return out

    def _decode(
        self, batch: list[list[str]], options: DecodeOptions,
        constraints: list[Sequence[str]] | None, prefixes: list[str | None] | None = None,
    ) -> list[Hypothesis]:
        self.decoded.append(([" ".join(pieces[:-1]) for pieces in batch], prefixes))
        hyps = []
        for i, pieces in enumerate(batch):
            source = pieces[:-1]
            words = self._words(source)
            prefix = (prefixes or [None] * len(batch))[i]
            if prefix:
                own = [w for w, _ in words]
                last = prefix.split()[-1]
                rest = words[own.index(last) + 1:] if last in own else []
                words = [(w, 0) for w in prefix.split()] + rest
            if any(word.isascii() for word in source):
                words = [(self.shaken.get(w, w), k) for w, k in words]
            hyp = self._read(source, [w for w, _ in words], [k for _, k in words])
            if self.babble:
                hyp.extra["truncated"] = True
            hyps.append(hyp)
        return hyps

    def _score(
        self, batch: list[list[str]], targets: list[str], with_attention: bool
    ) -> list[Hypothesis]:
        self.scored.append(targets)
        hyps = []
        for pieces, target in zip(batch, targets, strict=True):
            own = self._words(pieces[:-1])
            origin = [next((k for w, k in own if w == word), 0) for word in target.split()]
            hyps.append(self._read(pieces[:-1], target.split(), origin))
        return hyps

    def _read(self, source: list[str], words: list[str], origin: list[int]) -> Hypothesis:
        own = [w for w, _ in self._words(source)]
        fluent = self.pairs | set(zip(own, own[1:], strict=False))  # it likes its own English
        # A word nothing in the source gives is one it would not write; after a word of its
        # own vocabulary that this source does not give, it judges nothing.
        logprobs = [DERAILED if w not in own
                    else FLUENT if k == 0 or (words[k - 1], w) in fluent
                    or words[k - 1] in VOCABULARY - set(own)
                    else DERAILED for k, w in enumerate(words)] + [FLUENT]
        attention = np.zeros((len(words), max(len(source), 1)))
        for row, k in enumerate(origin):
            attention[row, k] = 1.0
        pieces = ["\u2581" + w for w in words]  # one SentencePiece piece a word
        return Hypothesis(" ".join(words), pieces, logprobs, ["\u2581" + w for w in source],
                          attention)


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


def test_the_models_own_rendering_needs_nothing_more() -> None:
    engine = StubEngine()
    (seg,) = segs = segments("Hama حماه")  # the model copies "Hama"
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert engine.decoded == [(["Hama حماه"], None)]
    assert hyps[0].text == "Hama Hamah" and seg.glossary == "حماه=Hama:applied/1"


def test_the_models_own_rendering_is_replaced_without_a_decode() -> None:
    engine = StubEngine(pairs=[("SDF", "withdrew"), ("(SDF)", "withdrew")])
    (seg,) = segs = segments("قسد انسحبت من حماه")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert len(engine.decoded) == 1  # the model's own translation, nothing else
    assert hyps[0].text == "Syrian Democratic Forces (SDF) withdrew from Hama"
    assert [u.status for u in seg.matches] == ["applied/2", "applied/2"]
    # Read from the real input, with attention: the row describes the sentence it shows.
    assert hyps[0].source_tokens == ["\u2581" + w for w in "قسد انسحبت من حماه".split()]
    assert hyps[0].attention is not None


def test_a_rendering_that_derails_the_sentence_is_declined_and_reported() -> None:
    # The model reads "withdrew" after any rendering of the SDF as a sentence it would not
    # write, and given the injected input it says "left" instead: no step keeps the sentence,
    # so the glossary keeps the model's sentence and says the term failed.
    engine = StubEngine(shaken={"withdrew": "left"})
    (seg,) = segs = segments("قسد انسحبت")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert hyps[0].text == "Qasad withdrew"
    assert seg.glossary == "قسد=Syrian Democratic Forces (SDF):failed"
    assert DERAILED - FLUENT < -EDIT_MARGIN  # the stand-in's derailment is past the margin
    assert len(engine.decoded) == 3  # every step was tried


def test_at_most_two_decodes_beyond_the_first_whatever_the_number_of_terms() -> None:
    engine = StubEngine(shaken={"withdrew": "left"})  # no step keeps a sentence
    segs = segments("قسد انسحبت من حماه انسحبت", "قسد و قسد و قسد انسحبت")
    enforce(engine, segs, DecodeOptions(), MATCHER)
    first, *beyond = engine.decoded
    assert first[0] == [seg.source for seg in segs]
    assert len(beyond) == 2  # the injected input, then one re-decode from a prefix
    assert all(sum(seg.source in text or text == seg.source for texts, _ in beyond
                   for text in texts) <= 2 for seg in segs)
    assert all(u.status == "failed" for seg in segs for u in seg.matches)


def test_the_replacement_comes_first_and_needs_no_decode() -> None:
    engine = StubEngine(pairs=[("SDF", "withdrew"), ("(SDF)", "withdrew")])
    (seg,) = segs = segments("قسد انسحبت")
    enforce(engine, segs, DecodeOptions(), MATCHER)
    assert seg.glossary.endswith(":applied/2")
    assert len(engine.decoded) == 1


def test_the_injected_translation_is_kept_where_it_changed_only_the_terms_words() -> None:
    # Replacing "Qasad" in the model's own translation derails what follows, but the model
    # given the injected input copies the rendering and writes the rest word for word as its
    # own: that translation is kept (the model wrote it: tier 1).
    engine = StubEngine()
    (seg,) = segs = segments("قسد انسحبت")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert hyps[0].text == "Syrian Democratic Forces (SDF) withdrew"
    assert seg.glossary == "قسد=Syrian Democratic Forces (SDF):applied/1"
    assert len(engine.decoded) == 2


def test_the_injected_translation_is_refused_where_it_changed_other_words() -> None:
    engine = StubEngine(shaken={"withdrew": "left"})
    (seg,) = segs = segments("قسد انسحبت")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert engine.decoded[1][0] == ["Syrian Democratic Forces (SDF) انسحبت"]
    assert "left" not in hyps[0].text and seg.glossary.endswith(":failed")


def test_no_rendering_takes_the_place_of_a_number() -> None:
    engine = StubEngine(pairs=[("said", "SDF"), ("SDF", "fighters")])
    (seg,) = segs = segments("قال ٣٠ مقاتلا")
    segs[0].source = segs[0].mt_source = "قال ٣٠ مقاتلا"
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    assert hyps[0].text == "said 30 fighters" and seg.matches == []


def test_a_translation_that_ran_to_its_budget_gets_every_rendering_in_one_decode() -> None:
    # A loop or babble has no sentence to place a rendering in: the missing renderings are
    # forced together, in source order, as one prefix of the real input.
    engine = StubEngine(babble=True)
    (seg,) = segs = segments("قسد في حماه")
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER)
    together = "Syrian Democratic Forces (SDF) Hama"
    assert engine.decoded[1:] == [(["قسد في حماه"], [together])]
    assert [u.status for u in seg.matches] == ["applied/3", "applied/3"]
    assert hyps[0].text == together
    assert hyps[0].source_tokens == ["\u2581" + w for w in "قسد في حماه".split()]


def test_no_decode_without_a_match() -> None:
    engine = StubEngine()
    segs = segments("قسدي ومقسد")
    enforce(engine, segs, DecodeOptions(), MATCHER)
    assert engine.decoded == [(["قسدي ومقسد"], None)]
    assert segs[0].matches == [] and segs[0].glossary == ""


def test_pieces_of_a_long_segment_get_their_own_terms() -> None:
    engine = StubEngine(pairs=[("SDF", "withdrew"), ("(SDF)", "withdrew"),
                               ("said", "Popular"), ("(PMF)", "withdrew")])
    (seg,) = segs = segments("قسد انسحبت، قال الحشد الشعبي")
    pieces = [["قسد انسحبت،", "قال الحشد الشعبي"]]
    hyps = enforce(engine, segs, DecodeOptions(), MATCHER, pieces=pieces)
    assert len(hyps) == 2
    assert [u.form for u in seg.matches] == ["Syrian Democratic Forces (SDF)",
                                             "Popular Mobilization Forces (PMF)"]
    assert engine.decoded[0][0] == pieces[0]


def test_glossary_column_has_no_tabs_or_newlines() -> None:
    (uses,) = plan(segments("قسد"), Matcher(TermBase((Entry("قسد", "S\tD\nF"),))))
    assert glossary_column(uses) == "قسد=S D F:failed"
