"""The translation TSV of DESIGN.md: a header, one row per segment, no quoting (QUOTE_NONE)."""

from __future__ import annotations

from collections.abc import Sequence

from aligned.formats.base import WriteContext, Writer, clean_field
from mt.document import Document, Segment

# The contract columns, in order; provenance columns follow.
TSV_COLUMNS = ("doc_id", "seg", "para", "kind", "source", "target", "score", "flag", "glossary")
EXTRA_COLUMNS = ("split", "retried", "reasons", "alignment")


def format_score(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def signal_columns(docs: Sequence[Document]) -> list[str]:
    """Every signal any segment carries, sorted so the header is deterministic."""
    names = {name for doc in docs for seg in doc.segments for name in seg.signals}
    return sorted(names)


def segment_row(seg: Segment, signals: Sequence[str]) -> list[str]:
    row = [
        seg.doc_id,
        str(seg.seg),
        str(seg.para),
        seg.kind,
        seg.source,
        seg.target,
        format_score(seg.score),
        seg.flag,
        seg.glossary,
        "1" if seg.split else "0",
        "1" if seg.retried else "0",
        "; ".join(seg.reasons),
        seg.alignment,
    ]
    row += [f"{seg.signals[name]:.4f}" if name in seg.signals else "" for name in signals]
    return [clean_field(value) for value in row]


class TsvWriter(Writer):
    name = "tsv"
    suffix = ".tsv"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        signals = signal_columns(docs)
        header = [*TSV_COLUMNS, *EXTRA_COLUMNS, *signals]
        lines = ["\t".join(header)]
        for doc in docs:
            lines.extend("\t".join(segment_row(seg, signals)) for seg in doc.segments)
        return "\n".join(lines) + "\n"
