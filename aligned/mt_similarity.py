"""Model evidence for candidate beads: chrF of the machine translation of the Arabic side against
the English side (as Bleualign does with BLEU), and the forced-decoding signal of
aligned/signals (the model's log-probability of the English given the Arabic, mapped to [0, 1]).

Each (source span, target span) is computed once and cached. chrF is cheap once the Arabic is
translated; forced decoding is a model pass per span, so callers ask for it only where it can
matter, and every span they ask for at once goes to the engine in one call (its length-sorted
batches then span the whole document).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from aligned.bead_costs import BeadCells
from aligned.signals import Pair, get_signal

if TYPE_CHECKING:
    from mt.engines import Engine, Hypothesis

Span = tuple[int, ...]
SpanPair = tuple[Span, Span]


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
        self._chrf: dict[SpanPair, float] = {}
        self._forced: dict[SpanPair, Hypothesis] = {}

    @property
    def forced_count(self) -> int:
        """How many spans have been force-decoded so far (the dear part of the model pass)."""
        return len(self._forced)

    def chrf(self, src: Span, tgt: Span) -> float:
        if (src, tgt) not in self._chrf:
            translation = self._join(self.translations, src)
            target = self._join(self.tgt_texts, tgt)
            self._chrf[(src, tgt)] = (
                self._chrf_metric.sentence_score(translation, [target]).score / 100
            )
        return self._chrf[(src, tgt)]

    def forced(self, src: Span, tgt: Span) -> Hypothesis:
        self._force([(src, tgt)])
        return self._forced[(src, tgt)]

    def chrf_values(self, cells: BeadCells) -> np.ndarray:
        """chrF of every bead of `cells` that fits the documents, 0 elsewhere."""
        values = np.zeros(cells.valid.shape)
        where = np.argwhere(cells.valid)
        for (i, k), span in zip(where, _spans(cells, where), strict=True):
            values[i, k] = self.chrf(*span)
        return values

    def forced_values(
        self, wanted: Mapping[tuple[int, int], tuple[BeadCells, np.ndarray]]
    ) -> dict[tuple[int, int], np.ndarray]:
        """The forced-decoding signal of the beads at the cells each bead type's mask selects
        (0 elsewhere), all bead types decoded together."""
        where = {bead: np.argwhere(mask & cells.valid) for bead, (cells, mask) in wanted.items()}
        spans = {bead: _spans(wanted[bead][0], cells) for bead, cells in where.items()}
        self._force([span for group in spans.values() for span in group])
        values = {}
        for bead, (cells, _) in wanted.items():
            values[bead] = np.zeros(cells.valid.shape)
            for (i, k), span in zip(where[bead], spans[bead], strict=True):
                values[bead][i, k] = self._forced_value(span)
        return values

    def _forced_value(self, span: SpanPair) -> float:
        src, tgt = span
        pair = Pair(self._join(self.src_texts, src), self._join(self.tgt_texts, tgt),
                    self._forced[span], forced=True)
        return self._forced_signal.score([pair])[0] or 0.0

    @staticmethod
    def _join(texts: Sequence[str], ids: Span) -> str:
        return " ".join(texts[i] for i in ids)

    def _force(self, spans: Sequence[SpanPair]) -> None:
        todo = list(dict.fromkeys(span for span in spans if span not in self._forced))
        if not todo:
            return
        sources = [self._join(self.src_texts, src) for src, _ in todo]
        targets = [self._join(self.tgt_texts, tgt) for _, tgt in todo]
        for span, hypothesis in zip(todo, self.engine.score(sources, targets), strict=True):
            self._forced[span] = hypothesis


def _spans(cells: BeadCells, where: np.ndarray) -> list[SpanPair]:
    """The (source span, target span) of the beads of `cells` at the (row, column) `where`."""
    return [
        (tuple(range(i - cells.a, i)), tuple(range(cells.j[i, k] - cells.b, cells.j[i, k])))
        for i, k in where
    ]
