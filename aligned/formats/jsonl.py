"""JSONL: one object per segment with every column and signal, and the output's signature."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict

from aligned.formats.base import StreamingWriter, WriteContext
from mt.document import Document, Segment

# Segment fields that are the glossary stage's working objects, shown through `glossary`.
_LEFT_OUT = ("matches",)
# Characters JSON may leave raw in a string but that end a line for str.splitlines() and
# JavaScript before ES2019: escaped, so that one record is always one line.
_LINE_BREAKING = re.compile("[\x7f-\x9f\u2028\u2029]")


def segment_record(seg: Segment, signature: str) -> dict:
    record = {name: value for name, value in vars(seg).items() if name not in _LEFT_OUT}
    record["tm_matches"] = [asdict(match) for match in seg.tm_matches]
    record["signature"] = signature
    return record


def _json_line(record: dict) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=False)
    return _LINE_BREAKING.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


class JsonlWriter(StreamingWriter):
    name = "jsonl"
    suffix = ".jsonl"

    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        for doc in docs():
            yield "".join(_json_line(segment_record(seg, context.signature))
                          for seg in doc.segments)
