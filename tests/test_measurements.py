"""Every figure the README and the user's pages of docs/ quote is in docs/measurements.md, which
scripts/measurements.py writes with the command, commit, date and CPU beside each table: a
figure nobody can regenerate is a claim, not a measurement. History (CHANGELOG.md,
docs/decisions/) keeps the figures of its time and is not checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MEASUREMENTS = REPO / "docs" / "measurements.md"
GENERATED = {"measurements.md", "cli.md"}
PAGES = [REPO / "README.md",
         *sorted(page for page in (REPO / "docs").glob("*.md") if page.name not in GENERATED)]
# Code (fenced or inline) holds commands and the constants of the code, not measurements.
CODE = re.compile(r"^```.*?^```|`[^`\n]*`", re.S | re.M)
# A measured figure: a decimal, a percentage or a ratio ("0.990", "96.2%", "1.92x").
FIGURE = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?(?:%|x\b)|\d[\d,]*\.\d+)")
# Version numbers of the formats and tools a page names are not measurements.
VERSIONED = re.compile(r"(?:TMX|XLIFF|TBX|Python|Ray|CTranslate2|pySBD|sentencex|torch) $")


def quoted_figures(text: str) -> set[str]:
    prose = CODE.sub(" ", text)
    return {match.group(1) for match in FIGURE.finditer(prose)
            if not VERSIONED.search(prose[max(0, match.start() - 12):match.start()])}


@pytest.mark.parametrize("text, figures", [
    pytest.param("F1 **0.990**, recall 96.2% and 1.92x", {"0.990", "96.2%", "1.92x"}, id="found"),
    pytest.param("TMX 1.4 and XLIFF 1.2, `0.70`,\n```\n0.5\n```\n", set(), id="versions-and-code"),
    pytest.param("10,000 entries, 2 cores", set(), id="counts"),
])
def test_what_counts_as_a_figure(text: str, figures: set[str]):
    assert quoted_figures(text) == figures


def test_the_measurements_are_written_by_the_script():
    text = MEASUREMENTS.read_text(encoding="utf-8")
    assert text.startswith("# Measurements\n\nWritten by `python scripts/measurements.py`")
    assert re.search(r"· commit [0-9a-f]{7,}.* · .*cores · load ", text), "no table says its run"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(REPO).as_posix())
def test_every_quoted_figure_is_measured(page: Path):
    measured = MEASUREMENTS.read_text(encoding="utf-8")
    figures = quoted_figures(page.read_text(encoding="utf-8"))
    assert sorted(figure for figure in figures if figure not in measured) == []
