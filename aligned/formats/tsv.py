"""The translation TSV of DESIGN.md: a header, one row per segment, no quoting (QUOTE_NONE)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from aligned.formats.base import StreamingWriter, WriteContext, clean_field
from mt.document import Document, Segment

# The contract columns, in order; provenance columns follow.
TSV_COLUMNS = ("doc_id", "seg", "para", "kind", "source", "target", "score", "flag", "glossary")
EXTRA_COLUMNS = ("origin", "split", "retried", "reasons", "alignment")
# The best fuzzy match from the translation memory: its percentage, the English it offers, and
# 1 when that English is the human translation with numbers or names replaced (placeables).
# Last, after the signal columns, so that every column before them keeps its place.
TM_COLUMNS = ("tm_match", "tm_target", "tm_adapted")


def format_score(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def signal_columns(docs: Iterable[Document]) -> list[str]:
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
        seg.origin,
        "1" if seg.split else "0",
        "1" if seg.retried else "0",
        "; ".join(seg.reasons),
        seg.alignment,
    ]
    row += [f"{seg.signals[name]:.4f}" if name in seg.signals else "" for name in signals]
    row += tm_fields(seg)
    return [clean_field(value) for value in row]


def tm_fields(seg: Segment) -> list[str]:
    if not seg.tm_matches:
        return ["", "", ""]
    best = seg.tm_matches[0]
    return [str(best.percent), best.offered, "1" if best.adapted else "0"]


class TsvWriter(StreamingWriter):
    name = "tsv"
    suffix = ".tsv"

    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        signals = signal_columns(docs())  # a first pass: the header names every signal
        yield "\t".join([*TSV_COLUMNS, *EXTRA_COLUMNS, *signals, *TM_COLUMNS]) + "\n"
        for doc in docs():
            yield "".join("\t".join(segment_row(seg, signals)) + "\n" for seg in doc.segments)
