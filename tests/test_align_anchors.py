"""Anchors that survive translation: name skeletons, numbers in any script, Latin tokens, terms."""

from __future__ import annotations

import pytest

from aligned.anchors import AnchorReader
from aligned.transliterate import arabic_skeletons, english_skeleton
from glossary.termbase import Entry, TermBase


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        pytest.param("محمد", "Mohammed", id="vowels-and-doubling"),
        pytest.param("مُحَمَّد", "Muhammad", id="harakat"),
        pytest.param("قطر", "Qatar", id="q-as-k"),
        pytest.param("والسيسي", "Sisi", id="conjunction-and-article"),
        pytest.param("للبنان", "Lebanon", id="preposition-article"),
        pytest.param("واشنطن", "Washington", id="ng-and-w"),
        pytest.param("حسن", "Hassan", id="double-s"),
        pytest.param("الرياض", "Riyadh", id="dh"),
    ],
)
def test_names_share_a_skeleton(arabic, english):
    assert english_skeleton(english) in arabic_skeletons(arabic)


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        pytest.param("بيروت", "Cairo", id="different-city"),
        pytest.param("قال", "Paris", id="common-word"),
    ],
)
def test_different_names_differ(arabic, english):
    assert english_skeleton(english) not in arabic_skeletons(arabic)


def test_numbers_in_any_script_and_words_are_one_key():
    reader = AnchorReader()
    arabic = reader.arabic("بلغت النسبة ٢٧٫٢٥ في المئة وشارك ثلاثة آلاف شخص عام 2024")
    english = reader.english("The rate was 27.25 percent; three thousand took part in 2024")
    numbers = {key for key in arabic if key.startswith("n:")}
    assert numbers == {"n:27.25", "n:3000", "n:2024"}
    assert numbers <= set(english)


def test_latin_tokens_and_glossary_terms_are_anchors():
    terms = TermBase((Entry("حزب الله", "Hezbollah"),))
    reader = AnchorReader.with_glossary(terms)
    arabic = reader.arabic("وقال مسؤول في حزب الله لوكالة AFP إن")
    english = reader.english("A Hezbollah official told AFP that")
    assert {"g:hezbollah", "l:afp"} <= set(arabic) & set(english)
