"""What an alignment bead's `score` and `flag` mean, defined in one place.

score, in [0, 1]: the mean of the evidence the bead has,
- `length`: how plausible the two sides' character lengths are under the pair's length model
  (1 for exactly the expected ratio; the Gale-Church tail probability);
- `anchors`: Dice overlap of the weighted anchors (numbers, Latin tokens, terms, names) the two
  sides hold, when either side holds any;
- with a model, `chrf` (machine translation against the English, 0..1) and `forced` (the model's
  confidence in the English given the Arabic, as aligned.quality defines it).
A deletion or insertion bead (one side empty) scores DELETION_SCORE and is flagged `review`: a
sentence without a counterpart is for a person to confirm, whatever the aligner's confidence.
Boilerplate left without a counterpart has no score and the flag `skipped`, as in translation.
Other beads take the flag of aligned.quality.flag_for(score), the thresholds of translated pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from aligned.anchors import AnchorMatches
from aligned.bead_costs import LengthModel
from aligned.dp import Bead
from aligned.quality import flag_for

if TYPE_CHECKING:
    from aligned.mt_similarity import BeadSimilarity
    from aligned.sentence_align import Side

DELETION_SCORE = 0.0


@dataclass
class AlignedBead:
    """A bead with its score, flag and the signals behind the score."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float
    score: float | None
    flag: str
    signals: dict[str, float] = field(default_factory=dict)


def score_beads(
    beads: Sequence[Bead],
    src: Side,
    tgt: Side,
    length_model: LengthModel,
    anchors: AnchorMatches | None,
    similarity: BeadSimilarity | None = None,
) -> list[AlignedBead]:
    return [_score(bead, src, tgt, length_model, anchors, similarity) for bead in beads]


def _score(bead, src, tgt, length_model, anchors, similarity) -> AlignedBead:
    if not bead.src or not bead.tgt:
        side, ids = (src, bead.src) if bead.src else (tgt, bead.tgt)
        if all(side.kinds[i] == "boilerplate" for i in ids):
            return AlignedBead(bead.src, bead.tgt, bead.cost, None, "skipped")
        return AlignedBead(bead.src, bead.tgt, bead.cost, DELETION_SCORE, "review")
    src_chars = sum(len(src.texts[i]) for i in bead.src)
    tgt_chars = sum(len(tgt.texts[j]) for j in bead.tgt)
    log_p = length_model.log_plausibility(np.array([src_chars]), np.array([tgt_chars]))[0]
    signals = {"length": float(np.exp(log_p))}
    if anchors is not None:
        dice = anchor_dice(bead, anchors)
        if dice is not None:
            signals["anchors"] = dice
    if similarity is not None:
        signals.update(similarity.signals(bead.src, bead.tgt))
    score = float(np.clip(np.mean(list(signals.values())), 0.0, 1.0))
    return AlignedBead(bead.src, bead.tgt, bead.cost, score, flag_for(score), signals)


def anchor_dice(bead: Bead, anchors: AnchorMatches) -> float | None:
    """2 * shared / (source weight + target weight), None when neither side has anchors."""
    mass = sum(anchors.src_mass[i] for i in bead.src) + sum(anchors.tgt_mass[j] for j in bead.tgt)
    if mass <= 0:
        return None
    rows = np.array(bead.src)[:, None]
    cols = np.array(bead.tgt)[None, :]
    shared = float(anchors.shared.take(rows, cols).sum())
    return min(1.0, 2.0 * shared / mass)
