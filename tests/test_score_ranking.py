"""`score --no-model` separates broken pairs from intact ones, over pairs we build: the 50
hand-written pairs of tests/data/pairs.tsv and broken variants of them made here."""

import csv
import re
from pathlib import Path

import pytest

from aligned.readers import read_tsv
from mt.app.score import render_tsv, score_file

PAIRS = Path(__file__).parent / "data" / "pairs.tsv"


def _loop(source: str, target: str, index: int) -> str:
    words = target.split()
    keep = words[: max(3, len(words) * 3 // 5)]
    return " ".join(keep + keep[-3:] * 4)  # the decoder stuck on its last three words


def _truncated(source: str, target: str, index: int) -> str:
    words = target.split()
    return " ".join(words[: len(words) // 2])


def _changed_number(source: str, target: str, index: int) -> str | None:
    match = re.search(r"\d+", target)
    if not match:
        return None
    return target[: match.start()] + str(int(match.group()) + 7) + target[match.end():]


def _copied_arabic(source: str, target: str, index: int) -> str:
    if index % 2:
        return source  # copied through whole
    english = target.split()
    arabic = source.split()
    return " ".join(english[: len(english) // 2] + arabic[len(arabic) // 2:])  # half left


BREAKERS = {
    "loop": _loop,
    "truncated": _truncated,
    "changed_number": _changed_number,
    "copied_arabic": _copied_arabic,
}


def build_pairs() -> list[dict[str, str]]:
    intact = read_tsv(PAIRS)
    rows = [{"kind_of_pair": "intact", **row} for row in intact]
    for name, breaker in BREAKERS.items():
        for index, row in enumerate(intact):
            broken = breaker(row["source"], row["target"], index)
            if broken is not None:
                rows.append({"kind_of_pair": name, "source": row["source"], "target": broken})
    for index, row in enumerate(intact):  # misaligned: another sentence's translation
        other = intact[(index + 17) % len(intact)]
        rows.append({"kind_of_pair": "swapped", "source": row["source"], "target": other["target"]})
    return rows


def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that an intact pair outscores a broken one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


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
    with path.open(encoding="utf-8", newline="") as handle:
        back = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert back == scored
