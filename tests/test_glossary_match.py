"""Folding and matching of Arabic terms: each rule, offsets, longest match, word boundaries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.match import Matcher
from glossary.normalize import fold, fold_with_offsets
from glossary.termbase import Entry, TermBase

ENTRIES = (
    Entry("قسد", "SDF", "Syrian Democratic Forces (SDF)"),
    Entry("قوات سوريا الديمقراطية", "Syrian Democratic Forces (SDF)"),
    Entry("الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)"),
    Entry("هيئة الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)"),
    Entry("الرقة", "Raqqa"),
    Entry("حماه", "Hama", fold_ta=False),
    Entry("مسؤول أمني", "security official"),
    Entry("إسطنبول", "Istanbul"),
    Entry("ديالى", "Diyala"),
    Entry("لبنان", "Lebanon"),
    Entry("حلب", "Aleppo"),
    Entry("داعش", "ISIS"),
)
MATCHER = Matcher(TermBase(ENTRIES))


def found(text: str) -> list[tuple[str, str, str]]:
    """(surface, proclitics, target) of each match."""
    return [(m.surface, m.prefix, m.entry.target) for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        pytest.param("أإآٱا", "ااااا", id="alef-variants"),
        pytest.param("مستشفى", "مستشفي", id="alef-maqsura"),
        pytest.param("قـــسد", "قسد", id="tatweel"),
        pytest.param("قُوَّاتٌ", "قوات", id="harakat-shadda-tanwin"),
        pytest.param("مسؤول مسئول", "مسءول مسءول", id="hamza-seats"),
        pytest.param("الديموقراطية", "الديمقراطية", id="loanword-waw"),
        pytest.param("کرکوک ایران", "كركوك ايران", id="persian-letters"),
        pytest.param("قس\u200cد\u200f", "قسد", id="invisible-format-chars"),
        pytest.param("SDF", "sdf", id="latin-lower"),
        pytest.param("الرقة", "الرقة", id="ta-marbuta-kept"),
    ],
)
def test_fold(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_folded_offsets_cover_marks_of_each_letter() -> None:
    text = "قُوّات"
    folded = fold_with_offsets(text)
    assert folded.text == "قوات"
    assert folded.original_span(0, len(folded.text)) == (0, len(text))
    assert folded.original_span(0, 1) == (0, 2)  # ق with its damma


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("قسد", [("قسد", "", "SDF")], id="bare"),
        pytest.param("وقسد", [("وقسد", "و", "SDF")], id="wa"),
        pytest.param("فقسد", [("فقسد", "ف", "SDF")], id="fa"),
        pytest.param("بقسد", [("بقسد", "ب", "SDF")], id="bi"),
        pytest.param("كقسد", [("كقسد", "ك", "SDF")], id="ka"),
        pytest.param("لقسد", [("لقسد", "ل", "SDF")], id="li"),
        pytest.param("وبقسد", [("وبقسد", "وب", "SDF")], id="wa-bi"),
        pytest.param("بالرقة", [("بالرقة", "ب", "Raqqa")], id="bi-al"),
        pytest.param("للرقة", [("للرقة", "ل", "Raqqa")], id="li-al-contracted"),
        pytest.param("وللحشد الشعبي", [("وللحشد الشعبي", "ول", "PMF")], id="wa-li-al-multiword"),
        pytest.param("حشد الشعبي", [("حشد الشعبي", "", "PMF")], id="article-dropped-multiword"),
        pytest.param("ومسؤول أمني", [("ومسؤول أمني", "و", "security official")], id="no-article"),
        pytest.param("المسؤول الأمني", [], id="article-toggles-on-first-word-only"),
        pytest.param(
            "المسؤول أمني", [("المسؤول أمني", "", "security official")], id="article-added"
        ),
        pytest.param("رقة", [], id="single-word-keeps-its-article"),
        pytest.param("لبنان وللبنان", [("لبنان", "", "Lebanon"), ("وللبنان", "ول", "Lebanon")],
                     id="stem-starting-with-lam"),
        pytest.param("قسدي", [], id="no-suffix"),
        pytest.param("مقسد", [], id="not-inside-longer-word"),
        pytest.param("وحلبة", [], id="clitic-reading-must-end-at-word-end"),
        pytest.param("الرقه", [("الرقه", "", "Raqqa")], id="ta-marbuta-folds-by-default"),
        pytest.param("حماة", [], id="ta-marbuta-kept-apart-when-entry-says-so"),
        pytest.param("حماه", [("حماه", "", "Hama")], id="ta-marbuta-exact"),
        pytest.param("اسطنبول", [("اسطنبول", "", "Istanbul")], id="hamza-dropped"),
        pytest.param("ديالي", [("ديالي", "", "Diyala")], id="ya-for-alef-maqsura"),
        pytest.param(
            "قوات سوريا الديموقراطية",
            [("قوات سوريا الديموقراطية", "", "Syrian Democratic Forces (SDF)")],
            id="spelling-variant",
        ),
        pytest.param("قوات سوريا، الديمقراطية", [], id="not-across-punctuation"),
        pytest.param(
            "رئيس هيئة الحشد الشعبي",
            [("هيئة الحشد الشعبي", "", "PMF")],
            id="longest-match-wins",
        ),
        pytest.param(
            "قوّاتُ سوريا الدّيمقراطيّة (قسد)",
            [("قوّاتُ سوريا الدّيمقراطيّة", "", "Syrian Democratic Forces (SDF)"),
             ("قسد", "", "SDF")],
            id="diacritics-and-two-terms",
        ),
        pytest.param("دَاعِشٌ", [("دَاعِشٌ", "", "ISIS")], id="marks-after-last-letter-included"),
    ],
)
def test_match(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_match_offsets_point_at_surface() -> None:
    text = "قال مسؤول إن قسد انسحبت من الرقة."
    for match in MATCHER.find(text):
        assert text[match.start : match.end] == match.surface
    assert [m.surface for m in MATCHER.find(text)] == ["قسد", "الرقة"]


def test_variant_spelling_matches_its_entry() -> None:
    entry = Entry("هيئة الحشد الشعبي", "PMF", variants=("هيأة الحشد الشعبي",))
    matches = Matcher(TermBase((entry,))).find("قال رئيس هيأة الحشد الشعبي")
    assert [(m.surface, m.matched) for m in matches] == [
        ("هيأة الحشد الشعبي", "هيأة الحشد الشعبي")
    ]


def test_later_entry_with_same_words_wins() -> None:
    termbase = TermBase.merge(
        [TermBase((Entry("داعش", "ISIS"),)), TermBase((Entry("داعش", "Islamic State"),))]
    )
    assert [m.entry.target for m in Matcher(termbase).find("داعش")] == ["Islamic State"]


_DECORATIONS = st.sampled_from(["", "\u064e", "\u0651", "\u0640", "\u064b"])
_FILLER = st.sampled_from(["قال", "إن", "في", "من", "مقسد", "الحشد", "سوريا", "،", "(", ")"])


@st.composite
def _article(draw: st.DrawFn) -> str:
    """Filler words and entries, with clitics, marks and tatweel sprinkled in."""
    words = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            word = draw(st.sampled_from(ENTRIES)).source
            word = draw(st.sampled_from(["", "و", "ب", "ل", "ول"])) + word
        else:
            word = draw(_FILLER)
        word = "".join(c + draw(_DECORATIONS) for c in word)
        words.append(word)
    return draw(st.sampled_from([" ", "  ", " \u200f"])).join(words)


@settings(max_examples=200, deadline=None)
@given(_article())
def test_offsets_property(text: str) -> None:
    """Every match's offsets point at its surface, the surface alone matches the same entry
    over its whole length, and matches do not overlap."""
    previous_end = 0
    for match in MATCHER.find(text):
        assert text[match.start : match.end] == match.surface
        assert match.surface.startswith(match.prefix)
        assert match.start >= previous_end
        previous_end = match.end
        alone = MATCHER.find(match.surface)
        assert [(m.start, m.end, m.entry) for m in alone] == [
            (0, len(match.surface), match.entry)
        ]
