"""The sentence-alignment dynamic program, pure: cost arrays in, beads out (as vecalign's
dp_utils). No I/O, no text: the callers turn lengths, anchors and similarities into costs.

The search space is a band of the (source boundary i, target boundary j) grid: row i holds the
target boundaries lo[i] .. lo[i] + width - 1. Every array of the DP, the costs included, has the
shape (n + 1, width), so memory is O(n * width) however long the documents are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# (source sentences, target sentences) of each bead type the aligner considers.
BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1),
)
INSERTION = (0, 1)


@dataclass(frozen=True)
class Bead:
    """One step of an alignment: 0-based sentence indices on each side (empty on a deletion or
    insertion side) and the DP cost the bead was charged."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float = 0.0

    @property
    def kind(self) -> tuple[int, int]:
        return len(self.src), len(self.tgt)


@dataclass(frozen=True)
class Band:
    """Which target boundaries each source boundary row may pair with."""

    lo: np.ndarray  # (n + 1,) int, non-decreasing: first target boundary of each row
    width: int
    n: int  # source sentences
    m: int  # target sentences

    @classmethod
    def around(cls, centre: Sequence[float] | np.ndarray, m: int, half_width: int) -> Band:
        """A band of +-half_width target boundaries around centre[i], for i in 0..n."""
        centre = np.asarray(centre, dtype=float)
        n = len(centre) - 1
        width = min(2 * half_width + 1, m + 1)
        lo = np.round(centre).astype(np.int64) - half_width
        lo = np.clip(np.maximum.accumulate(lo), 0, m + 1 - width)
        return cls(lo=_connected(lo, width, m), width=width, n=n, m=m)

    @classmethod
    def diagonal(cls, n: int, m: int, half_width: int) -> Band:
        return cls.around(np.arange(n + 1) * (m / max(n, 1)), m, half_width)

    @classmethod
    def around_path(cls, beads: Sequence[Bead], n: int, m: int, half_width: int) -> Band:
        """A band around an earlier alignment's path, half_width either side of the j range the
        path covers on each row (rows inside a bead take the bead's diagonal), widened so that
        the longest run of insertions on one row fits too."""
        first = np.zeros(n + 1)
        last = np.zeros(n + 1)
        i = j = 0
        for bead in beads:
            a, b = bead.kind
            for step in range(1, a + 1):
                first[i + step] = last[i + step] = j + b * step / a
            last[i] = max(last[i], j + b) if a == 0 else last[i]
            i += a
            j += b
        spread = int(np.ceil((last - first).max(initial=0) / 2))
        return cls.around((first + last) / 2, m, half_width + spread)

    def columns(self) -> np.ndarray:
        """(n + 1, width) target boundary j of every cell."""
        return self.lo[:, None] + np.arange(self.width)[None, :]

    def touches_edge(self, beads: Sequence[Bead], margin: int) -> bool:
        """Whether a path runs within `margin` cells of the band's side (the band may have cut
        off a better path; the caller widens or recentres it)."""
        i = j = 0
        for bead in beads:
            i += len(bead.src)
            j += len(bead.tgt)
            k = j - self.lo[i]
            at_left = k < margin and self.lo[i] > 0
            at_right = k >= self.width - margin and self.lo[i] + self.width <= self.m
            if at_left or at_right:
                return True
        return False


def best_path(band: Band, costs: Mapping[tuple[int, int], np.ndarray]) -> list[Bead]:
    """The cheapest monotone path from (0, 0) to (n, m) through the band.

    costs[(a, b)][i, k] is the cost of the bead of a source and b target sentences that ends at
    boundary (i, lo[i] + k); np.inf where no such bead may end. Bead types absent from `costs`
    are not used. Raises ValueError when no path exists (the band or the costs forbid every path).
    """
    total, back = _forward(band, costs)
    _best_total(band, total)
    return _trace(band, total, back, costs)


def path_regret(
    band: Band, costs: Mapping[tuple[int, int], np.ndarray]
) -> dict[tuple[int, int], np.ndarray]:
    """For every bead of `costs`, how much more than the best path the cheapest path through
    that bead costs (0 on the best path, inf where no path passes): forward totals to the
    bead's start, plus its cost, plus backward totals from its end."""
    total, _ = _forward(band, costs)
    best = _best_total(band, total)
    rest = _backward(band, costs)
    rows = np.arange(band.n + 1)[:, None]
    cols = np.arange(band.width)[None, :]
    regret = {}
    for (a, b), cost in costs.items():
        start_row = rows - a
        inside_rows = start_row >= 0
        safe_rows = np.where(inside_rows, start_row, 0)
        start = cols + band.lo[:, None] - b - band.lo[safe_rows]
        inside = inside_rows & (start >= 0) & (start < band.width)
        before = np.where(inside, total[safe_rows, np.clip(start, 0, band.width - 1)], np.inf)
        regret[(a, b)] = before + cost + rest - best
    return regret


def _best_total(band: Band, total: np.ndarray) -> float:
    end = band.m - band.lo[band.n]
    if not 0 <= end < band.width or not np.isfinite(total[band.n, end]):
        raise ValueError("no alignment path fits in the band")
    return float(total[band.n, end])


def _forward(
    band: Band, costs: Mapping[tuple[int, int], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """total[i, k]: the cheapest path from (0, 0) to cell (i, k); back: its last bead type."""
    n, width = band.n, band.width
    lo = band.lo.tolist()
    total = np.full((n + 1, width), np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    types = [bead for bead in BEAD_TYPES if bead in costs and bead != INSERTION]
    codes = np.array([BEAD_TYPES.index(bead) for bead in types], dtype=np.int8)
    # One row's candidates, a row per bead type: the previous row's totals, shifted to line up
    # with this row's columns, plus the bead's cost (ties go to the earlier bead type).
    candidates = np.empty((len(types), width))
    cols = np.arange(width)
    if lo[0] == 0:  # the band pins (0, 0) there; without it no path exists
        total[0, 0] = 0.0
    for i in range(n + 1):
        row = total[i]
        if i > 0:
            candidates.fill(np.inf)
            for t, (a, b) in enumerate(types):
                if a > i:
                    continue
                # Cell k of row i comes from cell k + shift of row i - a.
                shift = lo[i] - b - lo[i - a]
                first, stop = max(0, -shift), min(width, width - shift)
                if first < stop:
                    np.add(total[i - a, first + shift:stop + shift], costs[(a, b)][i, first:stop],
                           out=candidates[t, first:stop])
            best = candidates.argmin(axis=0)
            row[:] = candidates[best, cols]
            back[i] = np.where(np.isfinite(row), codes[best], -1)
        if INSERTION in costs:
            _relax_insertions(row, back[i], costs[INSERTION][i])
    return total, back


def _backward(band: Band, costs: Mapping[tuple[int, int], np.ndarray]) -> np.ndarray:
    """rest[i, k]: the cheapest path from cell (i, k) to (n, m), the forward pass mirrored."""
    n, m, width = band.n, band.m, band.width
    lo = band.lo.tolist()
    rest = np.full((n + 1, width), np.inf)
    types = [bead for bead in BEAD_TYPES if bead in costs and bead != INSERTION]
    candidates = np.empty((len(types), width))
    unused_back = np.empty(width, dtype=np.int8)
    if 0 <= m - lo[n] < width:
        rest[n, m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        row = rest[i]
        if i < n:
            candidates.fill(np.inf)
            for t, (a, b) in enumerate(types):
                if i + a > n:
                    continue
                # A bead from cell k of row i ends at cell k + shift of row i + a.
                shift = lo[i] + b - lo[i + a]
                first, stop = max(0, -shift), min(width, width - shift)
                if first < stop:
                    ends = slice(first + shift, stop + shift)
                    np.add(rest[i + a, ends], costs[(a, b)][i + a, ends],
                           out=candidates[t, first:stop])
            np.minimum(row, candidates.min(axis=0), out=row)
        if INSERTION in costs:
            # rest[k] = min(rest[k], cost[k + 1] + rest[k + 1]), right to left: the forward
            # relaxation on the reversed row, with the costs reversed and moved one cell.
            cost = costs[INSERTION][i]
            _relax_insertions(row[::-1], unused_back, np.r_[np.inf, cost[:0:-1]])
    return rest


def _relax_insertions(row: np.ndarray, back: np.ndarray, cost: np.ndarray) -> None:
    """row[k] = min(row[k], row[k-1] + cost[k]) left to right, vectorised.

    Unrolled, row[k] = C[k] + min over k' <= k of (row[k'] - C[k']) with C the running sum of
    cost; inf costs (band edges) split the row into runs that are solved separately.
    """
    finite = np.zeros(len(cost) + 2, dtype=bool)  # padded with False on both ends
    finite[2:-1] = np.isfinite(cost[1:])  # an insertion needs a cell on its left
    edges = np.flatnonzero(finite[1:] != finite[:-1])
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        base = start - 1
        running = np.concatenate(([0.0], np.cumsum(cost[start:stop])))
        segment = row[base:stop]
        best = np.minimum.accumulate(segment - running)
        relaxed = best + running
        # (x - c) + c may round below x: only a real improvement counts as an insertion.
        improved = relaxed < segment - 1e-9
        improved[0] = False
        segment[improved] = relaxed[improved]
        back[base:stop][improved] = BEAD_TYPES.index(INSERTION)


def _trace(
    band: Band,
    total: np.ndarray,
    back: np.ndarray,
    costs: Mapping[tuple[int, int], np.ndarray],
) -> list[Bead]:
    beads: list[Bead] = []
    i, j = band.n, band.m
    while i > 0 or j > 0:
        k = j - band.lo[i]
        a, b = BEAD_TYPES[back[i, k]]
        cost = float(costs[(a, b)][i, k])
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), cost))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _connected(lo: np.ndarray, width: int, m: int) -> np.ndarray:
    """Pin (0, 0) and (n, m) inside the band and keep consecutive rows overlapping, so that a
    path exists (a path only moves right or down, so overlapping rows are enough)."""
    lo = lo.copy()
    lo[0], lo[-1] = 0, m + 1 - width
    for row in range(len(lo) - 2, 0, -1):
        lo[row] = max(lo[row], lo[row + 1] - (width - 1))
    for row in range(1, len(lo)):
        lo[row] = min(lo[row], lo[row - 1] + width - 1)
    return lo
