"""A required phrase counts once per listing, whole words only, longest first."""

from __future__ import annotations

import pytest

from aligned.signals.base import Pair
from aligned.signals.content import GlossaryCompliance
from mt.engines.phrases import phrase_spans, unmet_phrases
from mt.engines.pieces import piece_spans


@pytest.mark.parametrize(
    "text, phrases, unmet",
    [
        pytest.param("in Raqqa today", ["Raqqa"], [], id="present"),
        pytest.param("in Raqqaلل today", ["Raqqa"], [0], id="glued-after"),
        pytest.param("the xRaqqa", ["Raqqa"], [0], id="glued-before"),
        pytest.param("Raqqa, Raqqa.", ["Raqqa", "Raqqa"], [], id="twice-twice"),
        pytest.param("Raqqa and more", ["Raqqa", "Raqqa"], [1], id="twice-once"),
        pytest.param("the Syrian Democratic Forces (SDF) said",
                     ["SDF", "Syrian Democratic Forces (SDF)"], [0], id="nested-counts-once"),
        pytest.param("(SDF) and SDF", ["(SDF)", "SDF"], [], id="punctuation-edges"),
        pytest.param("anything", ["", "  "], [], id="empty-phrases"),
        pytest.param("Al-Qaim border crossing reopened.", ["al-Qaim border crossing"], [],
                     id="capitalised-at-sentence-start"),
        pytest.param('Shelling ended. "Al-Qaim border crossing reopened."',
                     ["al-Qaim border crossing"], [], id="capitalised-after-full-stop-and-quote"),
        pytest.param("near Al-Qaim border crossing", ["al-Qaim border crossing"], [0],
                     id="capitalised-mid-sentence-is-not-it"),
    ],
)
def test_unmet_phrases(text, phrases, unmet):
    assert unmet_phrases(text, phrases) == unmet


def test_the_compliance_signal_uses_the_enforcement_rule() -> None:
    """One rule: a row the glossary column marks failed is never scored compliant."""
    pair = Pair("قالت قوات سوريا الديمقراطية (قسد)", "The Syrian Democratic Forces (SDF) said",
                terms=("Syrian Democratic Forces (SDF)", "SDF"))
    assert GlossaryCompliance().missing(pair) == ["SDF"]
    assert unmet_phrases(pair.target, list(pair.terms)) == [1]
    start = Pair("معبر القائم", "Al-Qaim border crossing reopened.",
                 terms=("al-Qaim border crossing",))
    assert GlossaryCompliance().missing(start) == []


def test_phrase_spans_say_where_unmet_phrases_found_each_phrase():
    text = "The Syrian Democratic Forces (SDF) met the SDF in Raqqa."
    phrases = ["SDF", "Syrian Democratic Forces (SDF)", "Raqqa", "Aleppo"]
    spans = phrase_spans(text, phrases)
    assert [text[a:b] for a, b in spans[:3]] == ["SDF", "Syrian Democratic Forces (SDF)",
                                                  "Raqqa"]
    assert spans[0][0] == text.index("the SDF") + 4  # the nested one is claimed by the longer
    assert [i for i, s in enumerate(spans) if s is None] == unmet_phrases(text, phrases) == [3]


def test_piece_spans_cover_the_text_the_pieces_spell():
    text, spans = piece_spans(["▁The", "▁Syrian", "▁(", "SDF", ")", "▁said", "."])
    assert text == "The Syrian (SDF) said."
    assert [text[a:b] for a, b in spans] == ["The", " Syrian", " (", "SDF", ")", " said", "."]
