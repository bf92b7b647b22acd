"""Vectorised bead features over a band: span lengths, Gale-Church length cost, and block sums of
a banded sentence-pair matrix. Pure numpy; the aligner combines these into the DP's costs.

A bead of type (a, b) ending at cell (i, j) covers source sentences i-a .. i-1 and target
sentences j-b .. j-1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import log_ndtr

from aligned.dp import Band, Bead

# Prior probability of each bead type: Gale and Church (1993) for the first six (1-3 and 3-1
# split from their "other"), a news-translation guess for the rest. Only ratios matter.
# A 2-2 bead pays ln(0.89^2 / 0.011) = 4.3 more than the two 1-1 beads it replaces (vecalign,
# scaling a bead's cost by its sentence counts, leans the same way), so a re-split that moves
# half of a short sentence comes back as two 1-1 beads unless anchors or a model say otherwise.
# A larger 2-2 prior finds more re-splits but merges more true 1-1 pairs: on evaluation seed 0,
# F1 0.852 at 0.011, 0.847 at 0.045, 0.842 at 0.1.
PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89, (1, 2): 0.045, (2, 1): 0.045, (2, 2): 0.011,
    (1, 3): 0.004, (3, 1): 0.004, (1, 0): 0.005, (0, 1): 0.005,
}
# Gale and Church's variance of target characters per source character.
GALE_CHURCH_VARIANCE = 6.8
MIN_BEADS_TO_REFINE = 8


@dataclass(frozen=True)
class BeadCells:
    """Where beads of type (a, b) end in the band, and which of those cells are possible."""

    a: int
    b: int
    i: np.ndarray  # (n + 1, 1) end source boundary of each row
    j: np.ndarray  # (n + 1, width) end target boundary of each cell
    valid: np.ndarray  # (n + 1, width) the bead fits inside both documents
    # Where each bead's span starts and ends in a prefix sum, per side: every span_sum of the
    # cells uses the same ones.
    _bounds: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, band: Band, a: int, b: int) -> BeadCells:
        i = np.arange(band.n + 1)[:, None]
        j = band.columns()
        valid = (i >= a) & (j >= b) & (j <= band.m)
        return cls(a, b, i, j, valid)

    def span_sum(self, values: np.ndarray, side: str) -> np.ndarray:
        """Sum of a per-sentence quantity over the bead's sentences of one side."""
        prefix = np.concatenate(([0.0], np.cumsum(values, dtype=float)))
        top, bottom = self._span_bounds(side, len(prefix) - 1)
        return np.where(self.valid, prefix[top] - prefix[bottom], 0.0)

    def _span_bounds(self, side: str, last: int) -> tuple[np.ndarray, np.ndarray]:
        if (side, last) not in self._bounds:
            end, count = (self.i, self.a) if side == "src" else (self.j, self.b)
            self._bounds[(side, last)] = (
                np.clip(end, 0, last), np.clip(end - count, 0, last)
            )
        return self._bounds[(side, last)]

    def span_any(self, flags: np.ndarray, side: str) -> np.ndarray:
        return self.span_sum(np.asarray(flags, dtype=float), side) > 0


@dataclass(frozen=True)
class PairBand:
    """A banded matrix over sentence pairs (r, c): values[r, c - lo[r]], zero outside the band."""

    lo: np.ndarray  # (n,)
    values: np.ndarray  # (n, width)

    @classmethod
    def covering(cls, band: Band, max_run: int = 3) -> PairBand:
        """Wide enough for every pair inside any bead of up to max_run sentences a side."""
        n = band.n
        rows = np.arange(n)
        first = band.lo[rows + 1] - max_run
        last = band.lo[np.minimum(rows + max_run, n)] + band.width - 1
        lo = np.maximum(first, 0)
        width = int(max(1, (last - lo).max(initial=0) + 1))
        return cls(lo=lo, values=np.zeros((n, width)))

    def add(self, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> None:
        """Add weights at pairs (rows, cols); pairs outside the band are dropped."""
        k = cols - self.lo[rows]
        inside = (k >= 0) & (k < self.values.shape[1])
        np.add.at(self.values, (rows[inside], k[inside]), weights[inside])

    def take(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """values at pairs (rows, cols), broadcast together; 0 outside the band. Row-wise work
        stays at the rows' shape (a column of a band's rows, mostly)."""
        rows, cols = np.asarray(rows), np.asarray(cols)
        width = self.values.shape[1]
        in_rows = (rows >= 0) & (rows < len(self.lo))
        safe_rows = np.where(in_rows, rows, 0)
        k = cols - self.lo[safe_rows]
        inside = in_rows & (k >= 0) & (k < width)
        flat = np.where(inside, safe_rows * width + k, 0)
        return np.where(inside, self.values.ravel()[flat], 0.0)

    def block_sum(self, cells: BeadCells) -> np.ndarray:
        """Sum over every (source, target) sentence pair inside each bead."""
        total = np.zeros(cells.valid.shape)
        for da in range(cells.a):
            for db in range(cells.b):
                total += self.take(cells.i - 1 - da, cells.j - 1 - db)
        return np.where(cells.valid, total, 0.0)


@dataclass(frozen=True)
class LengthModel:
    """Gale-Church: target length ~ Normal(ratio * source length, variance * source length)."""

    ratio: float
    variance: float = GALE_CHURCH_VARIANCE

    @classmethod
    def estimate(cls, src_lengths: np.ndarray, tgt_lengths: np.ndarray) -> LengthModel:
        """The character-length ratio of this document pair (Arabic runs shorter than English)."""
        src_total, tgt_total = float(np.sum(src_lengths)), float(np.sum(tgt_lengths))
        ratio = tgt_total / src_total if src_total > 0 and tgt_total > 0 else 1.0
        # Variance is per source character; scale Gale and Church's figure by the ratio so that
        # it stays in target characters.
        return cls(ratio=ratio, variance=GALE_CHURCH_VARIANCE * ratio)

    def refine(
        self, beads: Sequence[Bead], src_lengths: np.ndarray, tgt_lengths: np.ndarray
    ) -> LengthModel:
        """Ratio and variance re-estimated from the 1-1 beads of an alignment (robustly: the
        median squared deviation), or self when there are too few of them. The variance never
        drops below Gale and Church's: Arabic-English lengths have heavy tails, and a tight
        core fitted on a short article would make every free rendering look like a misfit."""
        pairs = [(bead.src[0], bead.tgt[0]) for bead in beads if bead.kind == (1, 1)]
        if len(pairs) < MIN_BEADS_TO_REFINE:
            return self
        src = np.array([src_lengths[i] for i, _ in pairs], dtype=float)
        tgt = np.array([tgt_lengths[j] for _, j in pairs], dtype=float)
        ratio = float(np.median(tgt / np.maximum(src, 1.0)))
        scale = np.maximum((src + tgt / ratio) / 2.0, 1.0)
        # For a normal deviate, median(delta^2) = 0.455 * variance.
        variance = float(np.median((tgt - ratio * src) ** 2 / scale)) / 0.455
        return LengthModel(ratio=ratio, variance=max(variance, GALE_CHURCH_VARIANCE * ratio))

    def delta(self, src_chars: np.ndarray, tgt_chars: np.ndarray) -> np.ndarray:
        # The mean of both sides' source-equivalent lengths, so the cost is symmetric.
        scale = np.maximum((src_chars + tgt_chars / self.ratio) / 2.0, 1.0)
        return (tgt_chars - self.ratio * src_chars) / np.sqrt(self.variance * scale)

    def log_plausibility(self, src_chars: np.ndarray, tgt_chars: np.ndarray) -> np.ndarray:
        """log P(|delta| at least this large): 0 for a perfect ratio, very negative for none."""
        return math.log(2.0) + log_ndtr(-np.abs(self.delta(src_chars, tgt_chars)))

    def cost(
        self, cells: BeadCells, src_lengths: np.ndarray, tgt_lengths: np.ndarray
    ) -> np.ndarray:
        """-log P(lengths | bead) - log P(bead type), inf where the bead cannot end."""
        src_chars = cells.span_sum(src_lengths, "src")
        tgt_chars = cells.span_sum(tgt_lengths, "tgt")
        cost = -self.log_plausibility(src_chars, tgt_chars) - math.log(PRIORS[(cells.a, cells.b)])
        return np.where(cells.valid, cost, np.inf)
