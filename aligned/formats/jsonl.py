"""JSONL: one object per segment with every column and signal, and the output's signature."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aligned.formats.base import WriteContext, Writer
from mt.document import Document, Segment

# Segment fields that are the glossary stage's working objects, shown through `glossary`.
_LEFT_OUT = ("matches",)


def segment_record(seg: Segment, signature: str) -> dict:
    record = {name: value for name, value in vars(seg).items() if name not in _LEFT_OUT}
    record["signature"] = signature
    return record


class JsonlWriter(Writer):
    name = "jsonl"
    suffix = ".jsonl"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        lines = [
            json.dumps(segment_record(seg, context.signature), ensure_ascii=False, sort_keys=False)
            for doc in docs
            for seg in doc.segments
        ]
        return "".join(line + "\n" for line in lines)
