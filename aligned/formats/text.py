"""The English article for analysts: headings and paragraphs, boilerplate left out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby

from aligned.formats.base import StreamingWriter, WriteContext, clean_field
from mt.document import Document


def english_article(doc: Document) -> str:
    """One paragraph per source paragraph, sentences joined by a space."""
    kept = [seg for seg in doc.segments if seg.kind != "boilerplate" or seg.target]
    paragraphs = [
        " ".join(target for seg in group if (target := _one_line(seg.target)))
        for _, group in groupby(kept, key=lambda seg: seg.para)
    ]
    return "\n\n".join(p for p in paragraphs if p)


def _one_line(target: str) -> str:
    # A control character in a target (a newline above all) would break the paragraph layout.
    return clean_field(target).strip()


class TextWriter(StreamingWriter):
    name = "txt"
    suffix = ".en.txt"

    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        """The articles one after another, two blank lines between them."""
        for index, doc in enumerate(docs()):
            yield ("\n\n\n" if index else "") + english_article(doc)
        yield "\n"
