"""The two stages a batch runs on each article: ingest (bytes or a table row to a Document) and
translation (Documents to segment records). Plain functions over plain rows, so the Ray job only
wires them; one article's failure becomes rows flagged bad, never an exception out of a stage.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from aligned.formats.records import failed_article_record, failed_segment_record, segment_record
from mt.app.isolation import translate_isolated
from mt.app.pipeline import Translator
from mt.document import Document
from mt.errors import InputError, JisrError
from mt.ingest import JsonlLineError, iter_documents_in, read_text
from mt.segment import segment_document


@dataclass
class Article:
    """One article on its way through the batch: a Document, or why there is none."""

    doc_id: str
    document: Document | None = None
    error: str = ""

    def as_row(self) -> dict[str, object]:
        return {"doc_id": self.doc_id, "document": self.document, "error": self.error}


def file_articles(path: str, data: bytes, done: Collection[str]) -> list[Article]:
    """The articles of one input file (one per JSONL line) that are not in `done`."""
    articles = []
    for item in iter_documents_in(data, path):
        if isinstance(item, Document):
            articles.append(Article(item.doc_id, item))
        else:
            articles.append(Article(_failed_id(item, path), error=str(item)))
    return [article for article in articles if article.doc_id not in done]


def _failed_id(error: InputError, path: str) -> str:
    """The id of an article that could not be read, as ingest names a readable one: the file's
    stem, and for a line of JSONL (whose own id is unknown) the stem and the line number."""
    stem = PurePosixPath(path).stem
    return stem if not isinstance(error, JsonlLineError) else f"{stem}-{error.line}"


def table_article(doc_id: str, text: str | None) -> Article:
    """The article of one row of a Parquet input (`id`, `text`)."""
    try:
        if text is None:
            raise InputError(f"document {doc_id} has no text.")
        return Article(doc_id, read_text(text, doc_id))
    except InputError as error:
        return Article(doc_id, error=str(error))


def translate_articles(
    translator: Translator,
    articles: Sequence[Article],
    on_translated: Callable[[Document], None] | None = None,
) -> list[dict]:
    """Segment records of every article, in order. All readable articles are translated in one
    length-sorted run, as `jisr translate` does, and isolated as it is (mt.app.isolation): only
    the articles that fail are flagged bad. An article that comes with an error and a document
    (one given up on) is segmented, not translated: its segments are flagged bad. Each article
    translated is also given to `on_translated`."""
    readable: list[Document] = []
    failed = {article.doc_id: article.error for article in articles if article.error}
    for article in articles:
        if article.document is None:
            continue
        try:
            segment_document(article.document)
        except JisrError as error:
            failed[article.doc_id] = str(error)
            continue
        if article.doc_id not in failed:
            readable.append(article.document)
    errors = translate_isolated(translator.translate_documents, readable,
                                [[doc] for doc in readable])
    for doc, error in zip(readable, errors, strict=True):
        if error:
            failed[doc.doc_id] = error
    records: list[dict] = []
    for article in articles:
        error = failed.get(article.doc_id)
        if article.document is None or not article.document.segments:
            records.append(failed_article_record(article.doc_id, error or "no text"))
        elif error:
            records.extend(failed_segment_record(seg, error) for seg in article.document.segments)
        else:
            records.extend(segment_record(seg) for seg in article.document.segments)
            if on_translated:
                on_translated(article.document)
    return records
