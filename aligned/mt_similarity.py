"""Model evidence for candidate beads: chrF of the machine translation of the Arabic side against
the English side (as Bleualign does with BLEU), and the forced-decoding signal of
aligned/signals (the model's log-probability of the English given the Arabic, mapped to [0, 1]).
Each bead is computed once and cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from aligned.bead_costs import BeadCells
from aligned.signals import Pair, get_signal

if TYPE_CHECKING:
    from aligned.sentence_align import AlignSettings
    from mt.engines import Engine, Hypothesis

Span = tuple[int, ...]


class BeadSimilarity:
    """Translates the source sentences once, then scores any (source span, target span)."""

    def __init__(self, engine: Engine, src_texts: Sequence[str], tgt_texts: Sequence[str]):
        from sacrebleu.metrics import CHRF

        self.engine = engine
        self.src_texts = list(src_texts)
        self.tgt_texts = list(tgt_texts)
        self.translations = [hyp.text for hyp in engine.translate(self.src_texts)]
        self._chrf_metric = CHRF()
        self._forced_signal = get_signal("forced_logprob")
        self._chrf: dict[tuple[Span, Span], float] = {}
        self._forced: dict[tuple[Span, Span], Hypothesis] = {}

    def chrf(self, src: Span, tgt: Span) -> float:
        self._compute([(src, tgt)])
        return self._chrf[(src, tgt)]

    def forced(self, src: Span, tgt: Span) -> Hypothesis:
        self._compute([(src, tgt)])
        return self._forced[(src, tgt)]

    def reward(self, cells: BeadCells, settings: AlignSettings) -> np.ndarray:
        """Cost to remove from each bead of `cells`: weighted chrF and forced-decoding signal,
        times the bead's smaller side (so that merging a sentence that has no counterpart into
        a bead never earns more than the pair alone)."""
        where = np.argwhere(cells.valid)
        spans = [
            (tuple(range(i - cells.a, i)), tuple(range(cells.j[i, k] - cells.b, cells.j[i, k])))
            for i, k in where
        ]
        self._compute(spans)
        reward = np.zeros(cells.valid.shape)
        for (i, k), span in zip(where, spans, strict=True):
            reward[i, k] = (
                settings.chrf_weight * self._chrf[span]
                + settings.forced_weight * self._forced_value(span)
            )
        return reward * min(cells.a, cells.b)

    def _forced_value(self, span: tuple[Span, Span]) -> float:
        src, tgt = span
        pair = Pair(self._join(self.src_texts, src), self._join(self.tgt_texts, tgt),
                    self._forced[span], forced=True)
        return self._forced_signal.score([pair])[0] or 0.0

    @staticmethod
    def _join(texts: Sequence[str], ids: Span) -> str:
        return " ".join(texts[i] for i in ids)

    def _compute(self, spans: Sequence[tuple[Span, Span]]) -> None:
        todo = list(dict.fromkeys(span for span in spans if span not in self._chrf))
        if not todo:
            return
        sources = [self._join(self.src_texts, src) for src, _ in todo]
        targets = [self._join(self.tgt_texts, tgt) for _, tgt in todo]
        hypotheses = self.engine.score(sources, targets)
        for span, target, hypothesis in zip(todo, targets, hypotheses, strict=True):
            translation = self._join(self.translations, span[0])
            self._chrf[span] = self._chrf_metric.sentence_score(translation, [target]).score / 100
            self._forced[span] = hypothesis
