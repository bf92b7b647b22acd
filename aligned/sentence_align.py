"""Sentence alignment of an Arabic document with its English translation.

Two passes over the banded DP of aligned.dp:
1. model-free: Gale-Church length cost (ratio estimated from the pair) minus a reward for shared
   anchors, plus soft penalties for beads that disagree on paragraph boundaries or pair a heading
   with body text; a deletion or insertion costs a constant per sentence (less for boilerplate).
   If the path runs along the band's edge, the band is recentred on it and the pass repeated.
2. with a model: a narrow band around the first path, each candidate bead rewarded by the chrF
   of the machine translation against the English (Bleualign) and, for beads near the best path,
   the model's forced-decoding confidence.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from aligned.anchors import AnchorMatches, AnchorReader, count_kind, match_anchors
from aligned.bead_assessment import AlignedBead, score_beads
from aligned.bead_costs import BeadCells, LengthModel, PairBand
from aligned.dp import BEAD_TYPES, Band, Bead, best_path, path_regret
from aligned.mt_similarity import BeadSimilarity
from aligned.sides import Side

logger = logging.getLogger(__name__)

DELETIONS = ((1, 0), (0, 1))


@dataclass(frozen=True)
class AlignSettings:
    """The aligner's weights, in units of the DP cost (-log probability)."""

    half_width: int = 30  # band: target sentences either side of the path's centre
    recentre: int = 3  # at most this many more passes when the path hits the band's edge
    # Weights below were set by a coarse grid on the evaluation cases of seed 0
    # (scripts/eval_align.py reports seed 1).
    anchor_weight: float = 3.0  # cost removed per unit of shared anchor weight
    number_mismatch_cost: float = 1.5  # per number on one side of a bead and not the other
    deletion_cost: float = 2.0  # per sentence left without a counterpart
    boilerplate_deletion_cost: float = 0.5
    paragraph_penalty: float = 2.0  # per bead edge where one side starts/ends a paragraph
    paragraph_crossing_penalty: float = 4.0  # per paragraph boundary inside a bead
    paragraph_group_penalty: float = 3.0  # pairs sentences of paragraphs not aligned together
    orphan_deletion_cost: float = 0.5  # per sentence of a paragraph the other side lacks
    kind_penalty: float = 8.0  # a heading or boilerplate paired with another kind
    mt_half_width: int = 3  # band of the model pass around the first path
    chrf_weight: float = 8.0  # cost removed per unit of chrF (0..1) of MT vs English
    forced_weight: float = 4.0  # cost removed per unit of forced-decoding confidence
    # Forced decoding only for beads on a path within this cost of the best one (twice what
    # the signal can give one sentence pair).
    forced_margin: float = 8.0
    length_only: bool = False  # Gale-Church alone: the baseline of the evaluation


@dataclass
class Alignment:
    """The beads of one document pair, in order, with what produced them."""

    beads: list[AlignedBead]
    length_model: LengthModel
    band_width: int
    signature: str = ""
    notes: list[str] = field(default_factory=list)


def align_sides(
    src: Side,
    tgt: Side,
    settings: AlignSettings = AlignSettings(),
    reader: AnchorReader | None = None,
    similarity: BeadSimilarity | None = None,
) -> Alignment:
    """Align two sides; with `similarity` (a model) the second pass runs too."""
    n, m = len(src), len(tgt)
    length_model = LengthModel.estimate(src.lengths(), tgt.lengths())
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return Alignment(score_beads(beads, src, tgt, length_model, None), length_model, 0)
    features = _Features.build(src, tgt, settings, reader or AnchorReader())
    if not settings.length_only:
        features = replace(features, groups=paragraph_groups(features))
    beads, band, length_model = _search(features, length_model)
    if similarity is not None:
        beads, band = _model_pass(features, beads, length_model, similarity)
    anchors = None if settings.length_only else features.anchor_matches(band)[0]
    scored = score_beads(beads, src, tgt, length_model, anchors, similarity)
    return Alignment(scored, length_model, band.width)


def _search(features: _Features, length_model: LengthModel) -> tuple[list[Bead], Band, LengthModel]:
    """The model-free passes: diagonal band, recentred while the path hits its edge, then again
    with the length model re-estimated from the path."""
    src, tgt, settings = features.src, features.tgt, features.settings
    n, m = len(src), len(tgt)
    band = Band.diagonal(n, m, settings.half_width)
    beads = best_path(band, features.costs(band, length_model))
    for _ in range(settings.recentre):
        if not band.touches_edge(beads, margin=2) or band.width > m:
            break
        band = Band.around_path(beads, n, m, settings.half_width * 2)
        logger.info("alignment path reached the band's edge; widening to %d", band.width)
        beads = best_path(band, features.costs(band, length_model))
    refined = length_model.refine(beads, src.lengths(), tgt.lengths())
    if refined != length_model:
        # The whole-document ratio is skewed by whatever one side added or dropped; the 1-1
        # beads of the first pass give the pair's real ratio and spread.
        length_model = refined
        beads = best_path(band, features.costs(band, length_model))
    return beads, band, length_model


def _model_pass(
    features: _Features, beads: list[Bead], length_model: LengthModel,
    similarity: BeadSimilarity,
) -> tuple[list[Bead], Band]:
    """A narrow band around the model-free path, each pairing bead rewarded by its chrF and
    forced-decoding signal, times the bead's smaller side (so that merging a sentence that has
    no counterpart into a bead never earns more than the pair alone).

    Forced decoding (a model pass per bead) is asked only for beads on some path within
    forced_margin of the best path the other costs give: for a bead further out to win, its
    path's forced rewards would have to beat the best path's by more than the margin."""
    settings = features.settings
    band = Band.around_path(beads, len(features.src), len(features.tgt), settings.mt_half_width)
    costs = features.costs(band, length_model)
    cells = {bead: BeadCells.of(band, *bead) for bead in costs if bead not in DELETIONS}
    for bead, bead_cells in cells.items():
        costs[bead] = costs[bead] - settings.chrf_weight * min(bead) * similarity.chrf_values(
            bead_cells)
    regret = path_regret(band, costs)
    wanted = {bead: (bead_cells, regret[bead] <= settings.forced_margin)
              for bead, bead_cells in cells.items()}
    for bead, values in similarity.forced_values(wanted).items():
        costs[bead] = costs[bead] - settings.forced_weight * min(bead) * values
    return best_path(band, costs), band


@dataclass(frozen=True)
class ParagraphGroups:
    """Which paragraph bead each sentence's paragraph fell in, and whether that bead has no
    counterpart (a paragraph one side dropped or added)."""

    src: np.ndarray  # (n,) int
    tgt: np.ndarray  # (m,) int
    src_orphan: np.ndarray  # (n,) bool
    tgt_orphan: np.ndarray  # (m,) bool


def paragraph_groups(features: _Features) -> ParagraphGroups | None:
    """Align the paragraphs first (the same DP over whole paragraphs, whose anchors and lengths
    are far surer than a sentence's): the sentence pass then pays for pairing sentences of
    paragraphs that were not paired, and little for dropping a paragraph the other side lacks."""
    paragraphs, src_of, tgt_of = features.paragraphs()
    src_paras, tgt_paras = paragraphs.src, paragraphs.tgt
    if len(src_paras) < 2 or len(tgt_paras) < 2:
        return None
    length_model = LengthModel.estimate(src_paras.lengths(), tgt_paras.lengths())
    beads, _, _ = _search(paragraphs, length_model)
    src_group = np.zeros(len(src_paras), dtype=int)
    tgt_group = np.zeros(len(tgt_paras), dtype=int)
    src_orphan = np.zeros(len(src_paras), dtype=bool)
    tgt_orphan = np.zeros(len(tgt_paras), dtype=bool)
    for index, bead in enumerate(beads):
        src_group[list(bead.src)] = index
        tgt_group[list(bead.tgt)] = index
        src_orphan[list(bead.src)] = not bead.tgt
        tgt_orphan[list(bead.tgt)] = not bead.src
    return ParagraphGroups(
        src_group[src_of], tgt_group[tgt_of], src_orphan[src_of], tgt_orphan[tgt_of]
    )


@dataclass(frozen=True)
class _Features:
    """Per-sentence facts the costs are built from, computed once per document pair."""

    src: Side
    tgt: Side
    settings: AlignSettings
    src_anchor_keys: list[Counter[str]]
    tgt_anchor_keys: list[Counter[str]]
    groups: ParagraphGroups | None = None
    # The anchor matches and length-free costs of the last band asked for: the pass repeated
    # with a refined length model, and the scoring after it, reuse them. One band only, so that
    # memory stays one band's worth.
    _last_band: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def build(
        cls, src: Side, tgt: Side, settings: AlignSettings, reader: AnchorReader
    ) -> _Features:
        if settings.length_only:
            return cls(src, tgt, settings, [], [])
        return cls(
            src, tgt, settings,
            [reader.arabic(text) for text in src.texts],
            [reader.english(text) for text in tgt.texts],
        )

    def paragraphs(self) -> tuple[_Features, np.ndarray, np.ndarray]:
        """The same features with one 'sentence' per paragraph (anchors summed, no paragraph
        penalties), and each sentence's paragraph on either side."""
        src, src_of = self.src.paragraph_side()
        tgt, tgt_of = self.tgt.paragraph_side()
        flat = replace(self.settings, paragraph_penalty=0.0, paragraph_crossing_penalty=0.0)
        features = _Features(src, tgt, flat, _summed(self.src_anchor_keys, src_of, len(src)),
                             _summed(self.tgt_anchor_keys, tgt_of, len(tgt)))
        return features, src_of, tgt_of

    @cached_property
    def src_numbers(self) -> np.ndarray:
        return np.array([count_kind(keys, "n") for keys in self.src_anchor_keys], dtype=float)

    @cached_property
    def tgt_numbers(self) -> np.ndarray:
        return np.array([count_kind(keys, "n") for keys in self.tgt_anchor_keys], dtype=float)

    def anchor_matches(self, band: Band) -> tuple[AnchorMatches, AnchorMatches]:
        """All anchors weighted, and numbers alone unweighted (to count mismatches)."""
        return self._band_facts(band)[0]

    def costs(self, band: Band, length_model: LengthModel) -> dict[tuple[int, int], np.ndarray]:
        src_lengths, tgt_lengths = self.src.lengths(), self.tgt.lengths()
        evidence = {} if self.settings.length_only else self._band_facts(band)[1]
        costs = {}
        for a, b in BEAD_TYPES:
            if (a, b) in evidence and (a, b) in DELETIONS:
                costs[(a, b)] = evidence[(a, b)]
                continue
            costs[(a, b)] = length_model.cost(BeadCells.of(band, a, b), src_lengths, tgt_lengths)
            if (a, b) in evidence:
                costs[(a, b)] += evidence[(a, b)]
        return costs

    def _band_facts(self, band: Band) -> tuple[tuple[AnchorMatches, AnchorMatches], dict]:
        """The band's anchor matches, and each bead type's cost apart from lengths."""
        key = (band.width, band.lo.tobytes())
        if key not in self._last_band:
            self._last_band.clear()
            matches = (
                match_anchors(self.src_anchor_keys, self.tgt_anchor_keys,
                              PairBand.covering(band)),
                match_anchors(self.src_anchor_keys, self.tgt_anchor_keys,
                              PairBand.covering(band), kinds="n", weighted=False),
            )
            self._last_band[key] = (matches, self._evidence(band, matches))
        return self._last_band[key]

    def _evidence(
        self, band: Band, matches: tuple[AnchorMatches, AnchorMatches]
    ) -> dict[tuple[int, int], np.ndarray]:
        settings = self.settings
        evidence = {}
        for a, b in BEAD_TYPES:
            cells = BeadCells.of(band, a, b)
            if (a, b) in DELETIONS:
                evidence[(a, b)] = self._deletion_cost(cells)
            else:
                evidence[(a, b)] = (
                    settings.number_mismatch_cost * self._unmatched_numbers(cells, matches[1])
                    - settings.anchor_weight * self._shared_anchors(cells, matches[0])
                    + self._structure_penalty(cells)
                )
        return evidence

    def _deletion_cost(self, cells: BeadCells) -> np.ndarray:
        side, name = (self.src, "src") if cells.a else (self.tgt, "tgt")
        boilerplate = cells.span_any(side.is_kind("boilerplate"), name)
        cost = np.where(
            boilerplate, self.settings.boilerplate_deletion_cost, self.settings.deletion_cost
        )
        if self.groups is not None:
            orphan = self.groups.src_orphan if cells.a else self.groups.tgt_orphan
            cost = np.where(cells.span_any(orphan, name),
                            np.minimum(cost, self.settings.orphan_deletion_cost), cost)
        return np.where(cells.valid, cost, np.inf)

    def _unmatched_numbers(self, cells: BeadCells, numbers: AnchorMatches) -> np.ndarray:
        """Numbers on one side of the bead that the other side lacks: evidence against it."""
        shared = numbers.shared.block_sum(cells)
        src_count = cells.span_sum(self.src_numbers, "src")
        tgt_count = cells.span_sum(self.tgt_numbers, "tgt")
        return np.maximum(src_count + tgt_count - 2 * shared, 0.0)

    def _shared_anchors(self, cells: BeadCells, anchors: AnchorMatches) -> np.ndarray:
        """Shared anchor weight of the bead, at most what either side holds (a key repeated in
        neighbouring sentences must not make a bigger bead look better)."""
        shared = anchors.shared.block_sum(cells)
        most = np.minimum(cells.span_sum(anchors.src_mass, "src"),
                          cells.span_sum(anchors.tgt_mass, "tgt"))
        return np.minimum(shared, most)

    def _structure_penalty(self, cells: BeadCells) -> np.ndarray:
        src, tgt, settings = self.src, self.tgt, self.settings
        penalty = np.zeros(cells.valid.shape)
        for flags_src, flags_tgt, first in (
            (src.para_starts(), tgt.para_starts(), True),
            (src.para_ends(), tgt.para_ends(), False),
        ):
            at_src = _flag_at(flags_src, cells.i - (cells.a if first else 1))
            at_tgt = _flag_at(flags_tgt, cells.j - (cells.b if first else 1))
            penalty += settings.paragraph_penalty * (at_src != at_tgt)
        inner_src = cells.span_sum(src.para_starts(), "src") - _flag_at(
            src.para_starts(), cells.i - cells.a)
        inner_tgt = cells.span_sum(tgt.para_starts(), "tgt") - _flag_at(
            tgt.para_starts(), cells.j - cells.b)
        penalty += settings.paragraph_crossing_penalty * (inner_src + inner_tgt)
        if self.groups is not None:
            groups = self.groups
            ends = (
                _value_at(groups.src, cells.i - cells.a), _value_at(groups.src, cells.i - 1),
                _value_at(groups.tgt, cells.j - cells.b), _value_at(groups.tgt, cells.j - 1),
            )
            apart = (ends[0] != ends[1]) | (ends[1] != ends[2]) | (ends[2] != ends[3])
            penalty += settings.paragraph_group_penalty * apart
        for kind in ("heading", "boilerplate"):
            mismatch = cells.span_any(src.is_kind(kind), "src") != cells.span_any(
                tgt.is_kind(kind), "tgt")
            penalty += settings.kind_penalty * mismatch
        return penalty


def _summed(keys: list[Counter[str]], group_of: np.ndarray, groups: int) -> list[Counter[str]]:
    """The anchor keys of each group of sentences (a paragraph's: its sentences' together)."""
    summed: list[Counter[str]] = [Counter() for _ in range(groups)]
    for counter, group in zip(keys, group_of.tolist(), strict=True):
        summed[group].update(counter)
    return summed


def _value_at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """values[index], -1 outside the array (groups are monotone, so first and last of a span
    having one group means the whole span has it)."""
    inside = (index >= 0) & (index < len(values))
    return np.where(inside, values[np.clip(index, 0, max(len(values) - 1, 0))], -1)


def _flag_at(flags: np.ndarray, index: np.ndarray) -> np.ndarray:
    """flags[index] as floats, 0 outside the array."""
    inside = (index >= 0) & (index < len(flags))
    return np.where(inside, flags[np.clip(index, 0, max(len(flags) - 1, 0))], False).astype(float)


def length_only(settings: AlignSettings = AlignSettings()) -> AlignSettings:
    return replace(settings, length_only=True)
