"""An alignment bead's assessment: its `score`, `flag` and `reasons`, defined in one place.

A bead that pairs sentences is scored exactly as a translated pair is
(aligned/pair_assessment.py): the quality signals of its joined Arabic and joined English,
combined, with the same thresholds for ok / review / bad. With a model, the forced-decoding
hypothesis of the bead feeds the model signal. The aligner's own evidence rides along as extra
columns, not in the score:
- `length`: how plausible the two sides' character lengths are under the pair's length model
  (1 for exactly the expected ratio; the Gale-Church tail probability);
- `anchors`: Dice overlap of the weighted anchors (numbers, Latin tokens, terms, names), when
  either side has any;
- `chrf`: with a model, chrF (0..1) of the machine translation against the English.

A deletion or insertion bead (one side empty) scores DELETION_SCORE and is flagged `review`: a
sentence the other side lacks is for a person to confirm (a translator's omission or addition,
or the aligner's mistake); it is not a bad translation. Boilerplate left without a counterpart
has no score and the flag `skipped`, as in translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from aligned.anchors import AnchorMatches
from aligned.bead_costs import LengthModel
from aligned.dp import Bead
from aligned.pair_assessment import SCORE_DECIMALS, combine, flag_for, reasons_for, signal_values
from aligned.sides import Side
from aligned.signals import Pair

if TYPE_CHECKING:
    from aligned.mt_similarity import BeadSimilarity

DELETION_SCORE = 0.0
DELETION_REASON = "the other side has nothing for this sentence"


@dataclass
class AlignedBead:
    """A bead with its score, flag, the signals behind them and the reasons for a low score."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float
    score: float | None
    flag: str
    signals: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def score_beads(
    beads: Sequence[Bead],
    src: Side,
    tgt: Side,
    length_model: LengthModel,
    anchors: AnchorMatches | None,
    similarity: BeadSimilarity | None = None,
) -> list[AlignedBead]:
    sources = [" ".join(src.texts[i] for i in bead.src) for bead in beads]
    targets = [" ".join(tgt.texts[j] for j in bead.tgt) for bead in beads]
    # The length evidence of every bead at once (one call to the normal tail, not one a bead).
    plausibility = np.exp(length_model.log_plausibility(
        np.array([len(text) for text in sources], dtype=float),
        np.array([len(text) for text in targets], dtype=float),
    ))
    return [
        _score(bead, source, target, float(length), src, tgt, anchors, similarity)
        for bead, source, target, length in zip(beads, sources, targets, plausibility,
                                                strict=True)
    ]


def _score(bead, source, target, length, src, tgt, anchors, similarity) -> AlignedBead:
    if not bead.src or not bead.tgt:
        side, ids = (src, bead.src) if bead.src else (tgt, bead.tgt)
        if all(side.kinds[i] == "boilerplate" for i in ids):
            return AlignedBead(bead.src, bead.tgt, bead.cost, None, "skipped")
        return AlignedBead(
            bead.src, bead.tgt, bead.cost, DELETION_SCORE, "review", reasons=[DELETION_REASON]
        )
    hypothesis = similarity.forced(bead.src, bead.tgt) if similarity is not None else None
    pair = Pair(source, target, hypothesis, forced=hypothesis is not None)
    values = signal_values(pair)
    score = combine(values)
    evidence = {"length": length}
    if anchors is not None:
        dice = anchor_dice(bead, anchors)
        if dice is not None:
            evidence["anchors"] = dice
    if similarity is not None:
        evidence["chrf"] = similarity.chrf(bead.src, bead.tgt)
    signals = values | {name: round(value, SCORE_DECIMALS) for name, value in evidence.items()}
    return AlignedBead(
        bead.src, bead.tgt, bead.cost, score, flag_for(score), signals, reasons_for(pair, values)
    )


def anchor_dice(bead: Bead, anchors: AnchorMatches) -> float | None:
    """2 * shared / (source weight + target weight), None when neither side has anchors."""
    mass = sum(anchors.src_mass[i] for i in bead.src) + sum(anchors.tgt_mass[j] for j in bead.tgt)
    if mass <= 0:
        return None
    rows = np.array(bead.src)[:, None]
    cols = np.array(bead.tgt)[None, :]
    shared = float(anchors.shared.take(rows, cols).sum())
    return min(1.0, 2.0 * shared / mass)
