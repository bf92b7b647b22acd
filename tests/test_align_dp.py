"""The alignment DP on synthetic costs: every bead type comes back, the band bounds memory."""

from __future__ import annotations

import numpy as np
import pytest

from aligned.dp import BEAD_TYPES, Band, Bead, best_path, path_regret


def _costs_favouring(band: Band, gold: list[tuple[int, int]]) -> dict:
    """Cost 0 for the beads of the gold path, 1 for every other bead that fits."""
    on_path = set()
    i = j = 0
    for a, b in gold:
        i, j = i + a, j + b
        on_path.add((a, b, i, j))
    cols = band.columns()
    costs = {}
    for a, b in BEAD_TYPES:
        rows = np.arange(band.n + 1)[:, None]
        cost = np.where((rows >= a) & (cols >= b), 1.0, np.inf)
        for ga, gb, gi, gj in on_path:
            k = gj - band.lo[gi]
            if (ga, gb) == (a, b) and 0 <= k < band.width:
                cost[gi, k] = 0.0
        costs[(a, b)] = cost
    return costs


@pytest.mark.parametrize("bead", BEAD_TYPES, ids=[f"{a}-{b}" for a, b in BEAD_TYPES])
def test_each_bead_type_is_recovered(bead):
    gold = [(1, 1), (1, 1), bead, (1, 1), bead, (1, 1)]
    n, m = sum(a for a, _ in gold), sum(b for _, b in gold)
    band = Band.diagonal(n, m, half_width=4)
    beads = best_path(band, _costs_favouring(band, gold))
    assert [b.kind for b in beads] == gold
    assert sum(b.cost for b in beads) == 0.0


def test_beads_cover_every_sentence_once_in_order():
    gold = [(2, 1), (0, 1), (1, 3), (1, 0), (2, 2), (3, 1), (1, 2)]
    n, m = sum(a for a, _ in gold), sum(b for _, b in gold)
    band = Band.diagonal(n, m, half_width=5)
    beads = best_path(band, _costs_favouring(band, gold))
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
    assert beads[0] == Bead((0, 1), (0,), 0.0)


def test_band_keeps_corners_and_rows_connected():
    band = Band.diagonal(100, 20, half_width=2)
    assert band.lo[0] == 0 and band.lo[-1] + band.width - 1 == 20
    assert np.all(np.diff(band.lo) >= 0)
    assert np.all(np.diff(band.lo) <= band.width - 1)


def test_missing_path_raises():
    band = Band.diagonal(3, 3, half_width=1)
    costs = {bead: np.full((4, band.width), np.inf) for bead in BEAD_TYPES}
    with pytest.raises(ValueError, match="no alignment path"):
        best_path(band, costs)


def test_band_around_a_path_contains_the_path():
    beads = [Bead((0, 1, 2), (0,)), Bead((), (1, 2, 3, 4)), Bead((3,), (5, 6, 7)), Bead((4,), ())]
    band = Band.around_path(beads, n=5, m=8, half_width=1)
    i = j = 0
    points = [(0, 0)]
    for bead in beads:
        for _ in bead.tgt if not bead.src else ():
            j += 1
            points.append((i, j))
        if bead.src:
            i, j = i + len(bead.src), j + len(bead.tgt)
            points.append((i, j))
    for i, j in points:
        assert band.lo[i] <= j < band.lo[i] + band.width
    assert band.width < 9  # still a band, not the whole grid


def _all_paths(n: int, m: int, i: int = 0, j: int = 0) -> list[list[tuple[int, int, int, int]]]:
    """Every monotone path as (a, b, end i, end j) beads, by brute force."""
    if (i, j) == (n, m):
        return [[]]
    paths = []
    for a, b in BEAD_TYPES:
        if i + a <= n and j + b <= m:
            paths += [[(a, b, i + a, j + b), *rest] for rest in _all_paths(n, m, i + a, j + b)]
    return paths


def test_path_regret_matches_brute_force():
    n, m = 4, 5
    band = Band.diagonal(n, m, half_width=m)  # the whole grid
    rng = np.random.default_rng(3)
    costs = {}
    for a, b in BEAD_TYPES:
        cost = rng.uniform(0, 5, size=(n + 1, band.width))
        rows, cols = np.arange(n + 1)[:, None], band.columns()
        costs[(a, b)] = np.where((rows >= a) & (cols >= b) & (cols <= m), cost, np.inf)
    totals = {}
    for path in _all_paths(n, m):
        total = sum(costs[(a, b)][i, j - band.lo[i]] for a, b, i, j in path)
        for bead in path:
            totals[bead] = min(totals.get(bead, np.inf), total)
    best = min(totals.values())
    regret = path_regret(band, costs)
    for (a, b, i, j), total in totals.items():
        assert regret[(a, b)][i, j - band.lo[i]] == pytest.approx(total - best)
    on_path = best_path(band, costs)
    assert all(regret[bead.kind][i, j - band.lo[i]] == pytest.approx(0.0)
               for bead, (i, j) in zip(on_path, _ends(on_path), strict=True))
    reachable = sum(np.isfinite(r).sum() for r in regret.values())
    assert reachable == len(totals)  # inf exactly where no path passes


def _ends(beads: list[Bead]) -> list[tuple[int, int]]:
    ends, i, j = [], 0, 0
    for bead in beads:
        i, j = i + len(bead.src), j + len(bead.tgt)
        ends.append((i, j))
    return ends
