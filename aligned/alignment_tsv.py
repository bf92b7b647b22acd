"""The alignment TSV of DESIGN.md: a header, one row per bead, no quoting (QUOTE_NONE).

Columns: src_ids tgt_ids source target score flag reasons, then the bead's signals (sorted by
name, so the header is deterministic). Ids are 0-based sentence indices, comma-separated, empty
on the side of an insertion or deletion; source and target are the bead's sentences joined by a
space.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligned.bead_assessment import AlignedBead
from aligned.formats.base import clean_field
from aligned.formats.tsv import format_score

ALIGNMENT_COLUMNS = ("src_ids", "tgt_ids", "source", "target", "score", "flag", "reasons")


def format_ids(ids: Sequence[int]) -> str:
    return ",".join(str(i) for i in ids)


def render_alignment_tsv(
    beads: Sequence[AlignedBead], src_texts: Sequence[str], tgt_texts: Sequence[str]
) -> str:
    signals = sorted({name for bead in beads for name in bead.signals})
    lines = ["\t".join((*ALIGNMENT_COLUMNS, *signals))]
    for bead in beads:
        row = [
            format_ids(bead.src),
            format_ids(bead.tgt),
            " ".join(src_texts[i] for i in bead.src),
            " ".join(tgt_texts[j] for j in bead.tgt),
            format_score(bead.score),
            bead.flag,
            "; ".join(bead.reasons),
            *(f"{bead.signals[name]:.4f}" if name in bead.signals else "" for name in signals),
        ]
        lines.append("\t".join(clean_field(value) for value in row))
    return "\n".join(lines) + "\n"
