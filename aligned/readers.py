"""Readers that bring bilingual files back in (a translator's corrected TSV, JSONL or TMX), as
rows of column -> text. Every row has at least `source` and `target`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from mt.decode import decode_bytes
from mt.errors import InputError
from mt.ingest import json_object, load_bytes

Row = dict[str, str]
REQUIRED = ("source", "target")


def read_tsv(path: Path) -> list[Row]:
    """A TSV with a header row and no quoting: a `"` is just a character (DESIGN.md)."""
    reader = csv.DictReader(_lines(path), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = reader.fieldnames or []
    _require(path, header)
    rows = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            raise InputError(f"{path}:{line}: expected {len(header)} tab-separated fields.")
        rows.append(row)
    return rows


def read_jsonl(path: Path) -> list[Row]:
    """One JSON object per line, as the jsonl writer writes; values other than text are kept
    as JSON text."""
    rows = []
    for line, raw in enumerate(io.BytesIO(load_bytes(path)), start=1):
        if not raw.strip():
            continue
        record, _ = json_object(raw, f"{path} line {line}")
        _require(path, list(record), line)
        rows.append({key: _text(value) for key, value in record.items()})
    return rows


def read_tmx(path: Path) -> list[Row]:
    """Translation units of a TMX file: the Arabic and English variants, and the <prop>s."""
    from lxml import etree

    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as error:
        raise InputError(f"{path}: not a readable TMX file ({error}).") from error
    rows = []
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for unit in tree.iter("tu"):
        row: Row = {}
        for prop in unit.findall("prop"):
            row[prop.get("type", "").removeprefix("x-")] = prop.text or ""
        for variant in unit.findall("tuv"):
            lang = (variant.get(xml_lang) or variant.get("lang") or "").lower()
            seg = variant.find("seg")
            text = "".join(seg.itertext()) if seg is not None else ""
            row["source" if lang.startswith("ar") else "target"] = text
        _require(path, list(row), unit.sourceline)
        rows.append(row)
    return rows


READERS: dict[str, Callable[[Path], list[Row]]] = {
    ".tsv": read_tsv,
    ".jsonl": read_jsonl,
    ".tmx": read_tmx,
}


def read_pairs(path: str | Path) -> list[Row]:
    """Rows of a TSV, JSONL or TMX file, chosen by its suffix."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"{path}: cannot read {path.suffix or 'files without a suffix'}; "
            f"choose one of: {', '.join(READERS)}."
        )
    return reader(path)


def _lines(path: Path) -> io.StringIO:
    """The text of `path`, in any encoding `jisr translate` reads (mt.decode)."""
    text, _ = decode_bytes(load_bytes(path), str(path))
    return io.StringIO(text, newline="")


def _require(path: Path, columns: list[str], line: int | None = None) -> None:
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        where = f"{path}:{line}" if line else str(path)
        raise InputError(f"{where}: no {' or '.join(missing)} column.")


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
