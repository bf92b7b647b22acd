"""Reviewed work read back in: the human translations in a translator's file.

Three kinds of file: jisr's reviewed TSV (downloaded from the HTML review page), XLIFF 1.2
(from jisr or from a CAT tool) and TMX 1.4 (from any tool). Each reader says which of the file's
units hold a human translation and why it leaves out the others; a file that cannot be trusted
whole (not well formed, a broken target) raises InputError, so nothing of it is imported.
"""

from __future__ import annotations

from pathlib import Path

from aligned.reviewed.base import ReviewedFile
from aligned.reviewed.tmx import read_tmx
from aligned.reviewed.tsv import read_tsv
from aligned.reviewed.xliff import read_xliff
from aligned.reviewed.xml import parse_xml
from mt.errors import InputError


def read_reviewed(path: str | Path) -> ReviewedFile:
    """The human translations of a reviewed TSV, XLIFF 1.2 or TMX 1.4 file, told apart by their
    content (a TSV is anything that is not XML)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}).") from error
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return read_tsv(path)
    root = parse_xml(path, data)
    kind = root.tag.rpartition("}")[2]
    if kind == "xliff":
        return read_xliff(path, root)
    if kind == "tmx":
        return read_tmx(path, root)
    raise InputError(f"{path}: a <{kind}> document is neither XLIFF nor TMX.")


__all__ = ["ReviewedFile", "read_reviewed"]
