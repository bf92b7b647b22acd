"""What `jisr segment` prints: the cleaned article's sentences, as lines or as a TSV."""

from __future__ import annotations

import sys
from pathlib import Path

from aligned.formats.base import clean_field
from mt.ingest import read_bytes, read_path
from mt.segment import segment_document

SEGMENT_COLUMNS = ("doc_id", "seg", "para", "kind", "start", "end", "source")


def render_segments(spec: str, fmt: str) -> str:
    """`lines`: one content or heading sentence per line; `tsv`: every segment with its kind
    and character offsets into the cleaned text."""
    docs = read_bytes(sys.stdin.buffer.read(), "stdin") if spec == "-" else read_path(Path(spec))
    out: list[str] = ["\t".join(SEGMENT_COLUMNS)] if fmt == "tsv" else []
    for doc in docs:
        for seg in segment_document(doc).segments:
            if fmt == "tsv":
                fields = (seg.doc_id, seg.seg, seg.para, seg.kind, seg.start, seg.end, seg.source)
                out.append("\t".join(clean_field(str(value)) for value in fields))
            elif seg.kind != "boilerplate":
                out.append(clean_field(seg.source))
    return "\n".join(out) + "\n" if out else ""
