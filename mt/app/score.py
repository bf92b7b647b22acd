"""`jisr score`: quality scores for existing pairs (a human translation, a corrected file, the
output of another system). Model-free signals always; with an engine, the model's forced-decoding
log-probability and attention coverage too."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from aligned.formats import WriteContext, atomic_write, writer_for
from aligned.formats.base import clean_field
from aligned.pair_assessment import assess
from aligned.readers import Row, read_pairs
from aligned.signals import MODEL_FREE, SIGNALS
from mt.app.signature import build_signature
from mt.document import Document, Segment
from mt.engines.base import Engine
from mt.errors import ConfigurationError

QUALITY_COLUMNS = ("score", "flag")
REASONS_COLUMN = "reasons"
REASON_SEPARATOR = "; "


def score_segments(segments: Sequence[Segment], engine: Engine | None = None) -> list[Segment]:
    """Assess every segment's existing target; with an engine, by forced decoding too."""
    hypotheses = [None] * len(segments)
    if engine is not None:
        hypotheses = engine.score([s.source for s in segments], [s.target for s in segments])
    for segment, hypothesis in zip(segments, hypotheses, strict=True):
        assess(segment, hypothesis, forced=True)
    return list(segments)


def rows_to_segments(rows: Sequence[Row], doc_id: str) -> list[Segment]:
    segments = []
    for index, row in enumerate(rows):
        segments.append(
            Segment(
                doc_id=row.get("doc_id") or doc_id,
                seg=index,
                para=_int(row.get("para"), 0),
                kind=row.get("kind") or "content",
                source=row["source"],
                start=0,
                end=len(row["source"]),
                target=row["target"],
                alignment=row.get("alignment", ""),
            )
        )
    return segments


def scored_rows(
    rows: Sequence[Row], segments: Sequence[Segment], signal_names: Sequence[str]
) -> list[Row]:
    """The input rows with score, flag, the signal columns and the reasons put in (or replaced)."""
    added = (*QUALITY_COLUMNS, *signal_names, REASONS_COLUMN)
    out = []
    for row, segment in zip(rows, segments, strict=True):
        new = {key: value for key, value in row.items() if key not in added}
        new["score"] = "" if segment.score is None else f"{segment.score:.4f}"
        new["flag"] = segment.flag
        for name in signal_names:
            value = segment.signals.get(name)
            new[name] = "" if value is None else f"{value:.4f}"
        new[REASONS_COLUMN] = REASON_SEPARATOR.join(segment.reasons)
        out.append(new)
    return out


def render_tsv(rows: Sequence[Row]) -> str:
    """A TSV with a header, no quoting, and fields cleaned as every TSV jisr writes (DESIGN.md)."""
    if not rows:
        return ""
    # Joined by hand: csv.writer with QUOTE_NONE refuses a `"` unless it may escape it.
    lines = ["\t".join(clean_field(name) for name in rows[0])]
    lines += ["\t".join(clean_field(value) for value in row.values()) for row in rows]
    return "\n".join(lines) + "\n"


def score_file(path: str | Path, engine: Engine | None = None) -> tuple[list[Row], list[Segment]]:
    """Read TSV, JSONL or TMX pairs and score them. Returns the rows with the quality columns
    added (for the TSV written back) and the scored segments (for the other formats)."""
    path = Path(path)
    rows = read_pairs(path)
    segments = score_segments(rows_to_segments(rows, path.stem), engine)
    names = tuple(SIGNALS) if engine is not None else MODEL_FREE
    return scored_rows(rows, segments, names), segments


def score_outputs(
    path: str | Path,
    out: str | Path | None = None,
    engine: Engine | None = None,
    formats: Sequence[str] = ("tsv",),
) -> str | None:
    """`jisr score`: score the pairs of `path` and write them back. "tsv" is the input TSV with
    the quality columns added, at `out` (or returned, for stdout, when `out` is None); every
    other format is written next to `out` with its own suffix."""
    rows, segments = score_file(path, engine)
    tsv = render_tsv(rows)
    others = [name for name in formats if name != "tsv"]
    if out is None:
        if others:
            raise ConfigurationError(f"--formats {','.join(others)} needs an output path (-o).")
        return tsv
    out = Path(out)
    if "tsv" in formats:
        atomic_write(out, tsv)
    context = WriteContext(signature=build_signature(engine))
    docs = [
        Document(doc_id, "", [], segments=list(group))
        for doc_id, group in groupby(segments, key=lambda seg: seg.doc_id)
    ]
    for name in others:
        writer = writer_for(name)
        writer.write(docs, out.with_name(out.name.removesuffix(".tsv") + writer.suffix), context)
    return None


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.strip().isdigit() else default
