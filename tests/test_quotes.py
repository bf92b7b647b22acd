"""Telling opening quotation marks from closing ones, straight quotes included."""

from __future__ import annotations

import pytest

from mt.quotes import quote_marks


@pytest.mark.parametrize(
    ("text", "openers", "closers"),
    [
        pytest.param('قال "نعم" ثم', {4}, {8: 4}, id="balanced"),
        pytest.param('قال: "لا. أبدا', {5}, {}, id="never-closed"),
        pytest.param('أبدا." وعاد', set(), {5: None}, id="never-opened"),
        # pairing in order would close the first quote with the second one
        pytest.param('إن "كذا. وأن "ذاك".', {3, 13}, {17: 13}, id="open-then-pair"),
        pytest.param('الفجر."وقال', {6}, {}, id="glued-both-sides-nothing-open"),
        pytest.param('"قال."وعاد', {0}, {5: 0}, id="glued-both-sides-one-open"),
        pytest.param("برنامج «ماذا بعد؟» الذي", {7}, {17: 7}, id="guillemets"),
        pytest.param("”كذا” و“ذاك“", {0, 7}, {4: 0, 11: 7}, id="curly-typed-either-way"),
    ],
)
def test_quote_roles(text: str, openers: set[int], closers: dict[int, int | None]) -> None:
    marks = quote_marks(text)
    assert (set(marks.openers), marks.closers) == (openers, closers)
