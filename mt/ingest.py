"""Inputs to Documents: files, directories, stdin; plain text, HTML and JSONL.

`iter_inputs` expands the command line's INPUTs into paths; `iter_documents` reads one path
lazily and yields a Document or an InputError per article, so a batch goes on past a bad file or
a broken JSONL line; `read_path` is the strict convenience form that raises the first error.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from mt.blocks import build_blocks
from mt.decode import decode_bytes
from mt.document import Document
from mt.errors import InputError

STDIN = "-"
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


class JsonlLineError(InputError):
    """One line of a JSONL input cannot be read; the other lines can."""

    def __init__(self, message: str, path: str, line: int) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def iter_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Paths to read, in order: files as given (existing or not: reading reports a missing one),
    directories walked recursively for .txt .html .htm .jsonl in sorted order, and `-` (stdin)
    passed through as Path("-")."""
    for item in inputs:
        if str(item) != STDIN and os.path.isdir(item):
            found = [Path(path) for path in _walk(str(item))]
            if not found:
                raise InputError(
                    f"Directory {item} holds no input files ({', '.join(INPUT_SUFFIXES)})."
                )
            yield from found
        else:
            yield Path(item)


def _walk(root: str) -> Iterator[str]:
    """Files under `root` with an input suffix, sorted, following symlinks but never a directory
    twice (so a symlink loop ends)."""
    seen: set[tuple[int, int]] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True):
        stat = os.stat(directory)
        if (stat.st_dev, stat.st_ino) in seen:
            subdirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        subdirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.lower().endswith(INPUT_SUFFIXES) and os.path.isfile(path):
                yield path


def read_path(path: str | Path) -> list[Document]:
    """Every Document in `path` (or stdin for `-`); raises the first InputError met."""
    documents = []
    for item in iter_documents(path):
        if isinstance(item, InputError):
            raise item
        documents.append(item)
    return documents


def iter_documents(path: str | Path) -> Iterator[Document | InputError]:
    """The Documents of one input, lazily: one for a text or HTML file, one per line of JSONL.

    An article that cannot be read is yielded as its InputError (a JsonlLineError for one line of
    JSONL) so that the caller can report it and go on.
    """
    path = str(path)
    if path == STDIN:
        try:
            yield from read_bytes(sys.stdin.buffer.read(), "stdin")
        except InputError as e:
            yield e
        return
    if path.lower().endswith(JSONL_SUFFIXES):
        yield from _iter_jsonl(path)
        return
    try:
        yield _document_from_bytes(load_bytes(path), Path(path).stem, path, path)
    except InputError as e:
        yield e


def iter_documents_in(data: bytes, path: str) -> Iterator[Document | InputError]:
    """`iter_documents` for a file whose bytes are already read (from any filesystem, as
    `jisr batch` reads them): `path` names the documents and picks the format."""
    if path.lower().endswith(JSONL_SUFFIXES):
        yield from _jsonl_lines(io.BytesIO(data), path)
        return
    try:
        yield _document_from_bytes(data, PurePosixPath(path).stem, path, path)
    except InputError as e:
        yield e


def read_bytes(data: bytes, doc_id: str) -> list[Document]:
    """The Document in bytes read from a stream such as stdin (text, or HTML when it looks so)."""
    return [_document_from_bytes(data, doc_id, "standard input" if doc_id == "stdin" else doc_id,
                                 None)]


def read_text(text: str, doc_id: str, is_html: bool = False) -> Document:
    """A Document from text already in memory (an HTML page when `is_html`)."""
    return _document(text, doc_id, f"document {doc_id}", None, None, is_html)


def load_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; a missing or unreadable file is one clear InputError."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"Input file {path} does not exist.") from e
    except IsADirectoryError as e:
        raise InputError(f"Input {path} is a directory, not a file.") from e
    except OSError as e:
        raise InputError(f"Input file {path} cannot be read: {e.strerror}.") from e


def _document_from_bytes(data: bytes, doc_id: str, name: str, path: str | None) -> Document:
    text, encoding = decode_bytes(data, name)
    is_html = path.lower().endswith(HTML_SUFFIXES) if path else _looks_like_html(text)
    return _document(text, doc_id, name, path, encoding, is_html)


def _document(
    text: str, doc_id: str, name: str, path: str | None, encoding: str | None, is_html: bool
) -> Document:
    if is_html:
        text = html_to_text(text, name)
    require_text(text, name)
    clean, blocks = build_blocks(text)
    return Document(doc_id=doc_id, text=clean, blocks=blocks, source_path=path, encoding=encoding)


def require_text(text: str, name: str) -> None:
    """Raise InputError when `text` has no letter or digit (an empty file, only whitespace or
    only marks): there is nothing to translate or align."""
    if not any(c.isalnum() for c in text):
        what = "is empty" if not text.strip() else "has no letters or digits"
        raise InputError(f"{name} {what}: there is no text to work on.")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def html_to_text(html: str, name: str) -> str:
    """The page's article as text, one paragraph per line, its title first.

    trafilatura finds the main text; on a page where it finds no article (a front page, a
    fragment) its plain-text fallback keeps whatever text the page has.
    """
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
    )
    body = extracted.text if extracted and extracted.text else trafilatura.html2txt(html)
    if not body or not body.strip():
        raise InputError(f"{name} is an HTML page with no text in it.")
    title = extracted.title if extracted and extracted.title else None
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"
    return body


def _iter_jsonl(path: str) -> Iterator[Document | InputError]:
    try:
        handle = open(path, "rb")
    except OSError as e:
        yield InputError(f"Input file {path} cannot be read: {e.strerror}.")
        return
    with handle:
        yield from _jsonl_lines(handle, path)


def _jsonl_lines(lines: Iterable[bytes], path: str) -> Iterator[Document | InputError]:
    found = False
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        found = True
        try:
            yield _jsonl_document(raw, path, number)
        except InputError as e:
            yield JsonlLineError(str(e), path, number)
    if not found:
        yield InputError(f"{path} is empty: there is nothing to translate.")


def json_object(raw: bytes, where: str) -> tuple[dict, str]:
    """One line of a JSONL file as an object, and the encoding its bytes were in. Every JSONL
    that jisr reads (articles to translate, pairs to score) goes through here."""
    text, encoding = decode_bytes(raw, where)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{where} is not valid JSON ({e.msg}).") from e
    if not isinstance(record, dict):
        raise InputError(f"{where} is not a JSON object.")
    return record, encoding


def _jsonl_document(raw: bytes, path: str, number: int) -> Document:
    where = f"{path} line {number}"
    record, encoding = json_object(raw, where)
    article = record.get("text")
    if not isinstance(article, str):
        raise InputError(f"{where} has no string field `text`.")
    doc_id = record.get("id", f"{Path(path).stem}-{number}")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        raise InputError(f"{where} has an `id` that is neither a string nor an integer.")
    document = _document(article, str(doc_id), where, path, encoding, is_html=False)
    document.meta["line"] = str(number)
    return document
