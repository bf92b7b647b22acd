"""What `jisr glossary match` prints: every term found in the input's sentences, as a TSV."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from aligned.formats.base import clean_field
from glossary.match import Matcher
from glossary.termbase import load_termbases
from mt.ingest import read_bytes, read_path
from mt.segment import segment_document

MATCH_COLUMNS = ("doc_id", "seg", "start", "end", "surface", "entry", "target")


def render_matches(spec: str, glossaries: Sequence[str | Path], default: bool = True) -> str:
    """One row per match in every segment (boilerplate included: it is listed, not translated);
    start and end are character offsets into the document's cleaned text."""
    matcher = Matcher(load_termbases(glossaries, default=default))
    docs = read_bytes(sys.stdin.buffer.read(), "stdin") if spec == "-" else read_path(Path(spec))
    rows = ["\t".join(MATCH_COLUMNS)]
    for doc in docs:
        for seg in segment_document(doc).segments:
            for match in matcher.find(seg.source):
                fields = (
                    seg.doc_id, seg.seg, seg.start + match.start, seg.start + match.end,
                    match.surface, match.entry.source, match.entry.target,
                )
                rows.append("\t".join(clean_field(str(value)) for value in fields))
    return "\n".join(rows) + "\n"
