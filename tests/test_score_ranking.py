"""`score --no-model` separates broken pairs from intact ones, over pairs we build: the 50
hand-written pairs of tests/data/pairs.tsv and broken variants of them made here."""

from pathlib import Path

import pytest

from aligned.readers import read_tsv
from broken_pairs import auc, broken_variants
from mt.app.score import render_tsv, score_file
from tests.cli_helpers import read_tsv_rows

PAIRS = Path(__file__).parent / "data" / "pairs.tsv"


def build_pairs() -> list[dict[str, str]]:
    return broken_variants(read_tsv(PAIRS))


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> list[dict[str, str]]:
    path = tmp_path_factory.mktemp("score") / "pairs.tsv"
    rows = build_pairs()
    path.write_text(render_tsv(rows), encoding="utf-8")
    out_rows, _ = score_file(path)
    return out_rows


def test_at_least_200_pairs_are_built():
    rows = build_pairs()
    assert len(rows) >= 200
    assert len([r for r in rows if r["kind_of_pair"] != "intact"]) >= 150


def test_broken_pairs_rank_below_intact_ones(scored):
    intact = [float(r["score"]) for r in scored if r["kind_of_pair"] == "intact"]
    broken = [float(r["score"]) for r in scored if r["kind_of_pair"] != "intact"]
    assert auc(intact, broken) >= 0.9
    assert sum(r["flag"] == "ok" for r in scored if r["kind_of_pair"] == "intact") >= 45


@pytest.mark.parametrize(
    "kind, least_auc, most_ok",
    [
            pytest.param("loop", 0.95, 0.0, id="loop"),
        # A sentence whose English was wordy keeps a normal length when cut in half.
        pytest.param("truncated", 0.95, 0.1, id="truncated"),
        pytest.param("changed_number", 0.95, 0.0, id="changed-number"),
        pytest.param("copied_arabic", 0.95, 0.0, id="copied-arabic"),
        # Swapped pairs are caught only where length, numbers or names differ: without a model
        # nothing reads the meaning (see README, "Scores").
        pytest.param("swapped", 0.75, 0.5, id="swapped"),
    ],
)
def test_each_kind_of_breakage_ranks_below_intact(scored, kind, least_auc, most_ok):
    intact = [float(r["score"]) for r in scored if r["kind_of_pair"] == "intact"]
    broken = [r for r in scored if r["kind_of_pair"] == kind]
    assert auc(intact, [float(r["score"]) for r in broken]) >= least_auc
    assert sum(r["flag"] == "ok" for r in broken) <= most_ok * len(broken)


def test_scored_tsv_keeps_the_input_columns_and_adds_quality_ones(scored, tmp_path):
    assert list(scored[0])[:3] == ["kind_of_pair", "source", "target"]
    assert {"score", "flag", "length_ratio", "numbers", "reasons"} <= set(scored[0])
    path = tmp_path / "out.tsv"
    path.write_text(render_tsv(scored), encoding="utf-8")
    assert read_tsv_rows(path) == scored
