"""Model evidence for candidate beads: chrF of the machine translation of the Arabic side against
the English side (as Bleualign does with BLEU), and the model's forced-decoding confidence in
the English given the Arabic. Both are in [0, 1]; each bead is computed once and cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from aligned.bead_costs import BeadCells
from aligned.quality import model_confidence

if TYPE_CHECKING:
    from aligned.sentence_align import AlignSettings
    from mt.engines import Engine

Span = tuple[int, ...]


class BeadSimilarity:
    """Translates the source sentences once, then scores any (source span, target span)."""

    def __init__(self, engine: Engine, src_texts: Sequence[str], tgt_texts: Sequence[str]):
        from sacrebleu.metrics import CHRF

        self.engine = engine
        self.src_texts = list(src_texts)
        self.tgt_texts = list(tgt_texts)
        self.translations = [hyp.text for hyp in engine.translate(self.src_texts)]
        self._chrf = CHRF()
        self._cache: dict[tuple[Span, Span], dict[str, float]] = {}

    def signals(self, src: Span, tgt: Span) -> dict[str, float]:
        self._compute([(src, tgt)])
        return self._cache[(src, tgt)]

    def reward(self, cells: BeadCells, settings: AlignSettings) -> np.ndarray:
        """Cost to remove from each bead of `cells`: weighted chrF and forced-decoding
        confidence, times the bead's smaller side (so that merging a sentence that has no
        counterpart into a bead never earns more than the pair alone)."""
        where = np.argwhere(cells.valid)
        spans = [
            (tuple(range(i - cells.a, i)), tuple(range(cells.j[i, k] - cells.b, cells.j[i, k])))
            for i, k in where
        ]
        self._compute(spans)
        reward = np.zeros(cells.valid.shape)
        for (i, k), span in zip(where, spans, strict=True):
            signals = self._cache[span]
            reward[i, k] = (
                settings.chrf_weight * signals["chrf"] + settings.forced_weight * signals["forced"]
            )
        return reward * min(cells.a, cells.b)

    def _compute(self, spans: Sequence[tuple[Span, Span]]) -> None:
        todo = list(dict.fromkeys(span for span in spans if span not in self._cache))
        if not todo:
            return
        sources = [" ".join(self.src_texts[i] for i in src) for src, _ in todo]
        targets = [" ".join(self.tgt_texts[j] for j in tgt) for _, tgt in todo]
        forced = self.engine.score(sources, targets)
        for (src, tgt), target, hyp in zip(todo, targets, forced, strict=True):
            translation = " ".join(self.translations[i] for i in src)
            chrf = self._chrf.sentence_score(translation, [target]).score / 100.0
            self._cache[(src, tgt)] = {
                "chrf": chrf,
                "forced": model_confidence(hyp.token_logprobs),
            }
