"""A required phrase counts once per listing, whole words only, longest first."""

from __future__ import annotations

import pytest

from mt.engines.phrases import unmet_phrases


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
    ],
)
def test_unmet_phrases(text, phrases, unmet):
    assert unmet_phrases(text, phrases) == unmet
