"""The English article for analysts: headings and paragraphs, boilerplate left out."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from aligned.formats.base import WriteContext, Writer
from mt.document import Document


def english_article(doc: Document) -> str:
    """One paragraph per source paragraph, sentences joined by a space."""
    kept = [seg for seg in doc.segments if seg.kind != "boilerplate" or seg.target]
    paragraphs = [
        " ".join(seg.target.strip() for seg in group if seg.target.strip())
        for _, group in groupby(kept, key=lambda seg: seg.para)
    ]
    return "\n\n".join(p for p in paragraphs if p)


class TextWriter(Writer):
    name = "txt"
    suffix = ".en.txt"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        return "\n\n\n".join(english_article(doc) for doc in docs) + "\n"
