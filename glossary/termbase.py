"""Term bases: load TSV, CSV and TBX files strictly, merge them, and hash them for signatures.

TSV and CSV carry a header naming the columns (`COLUMNS`), or no header and exactly two columns
(the shape DeepL and Google glossaries export: source, target). A header may also name the two
languages instead (`ar`, `en`), as Google's glossary CSV does. TSV follows the project's TSV
convention (no quoting); CSV is ordinary quoted CSV.

TBX (ISO 30042: TBX-Basic and TBX-Core, 2008 `martif` and 2019 `tbx` dialects) maps each concept
entry to one Entry: the first Arabic term is the source and the other Arabic terms its variants;
the English term marked preferred (or else the first) is the target. When the English side has a
full form and an abbreviation (termType fullForm and abbreviation/acronym/shortForm), the target
is the abbreviation and the first mention "Full Form (ABBR)", as wire services write it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from glossary.normalize import fold, fold_ta
from mt.decode import decode_bytes
from mt.errors import GlossaryError, InputError

COLUMNS = ("source", "target", "first_mention", "variants", "note", "fold_ta")
REQUIRED_COLUMNS = ("source", "target")
VARIANT_SEPARATOR = "|"
_TRUE, _FALSE = {"", "yes", "true", "1"}, {"no", "false", "0"}
SOURCE_LANG, TARGET_LANG = "ar", "en"
DEFAULT_GLOSSARY = "default.tsv"  # in glossary/data/


@dataclass(frozen=True)
class Entry:
    """One term: how an Arabic name is written and how the English must render it."""

    source: str
    target: str
    first_mention: str = ""  # the form of a document's first occurrence, when it differs
    variants: tuple[str, ...] = ()  # other Arabic spellings of the same term
    note: str = ""
    fold_ta: bool = True  # ة and ه are the same letter when matching this entry
    origin: str = field(default="", compare=False)  # "file:line", for messages

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.variants)

    @property
    def key(self) -> str:
        """Two entries with the same key are the same term (the later overrides)."""
        folded = " ".join(fold(self.source).split())
        return fold_ta(folded) if self.fold_ta else folded

    def form(self, first: bool) -> str:
        """The rendering required for an occurrence: the long form on a document's first."""
        return self.first_mention if first and self.first_mention else self.target


@dataclass(frozen=True)
class TermBase:
    """An ordered set of entries, one per key; later files override earlier ones."""

    entries: tuple[Entry, ...] = ()
    files: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def digest(self) -> str:
        """A content hash: the same entries give the same hash whatever the files were called."""
        canonical = [
            {k: v for k, v in asdict(e).items() if k != "origin"}
            for e in sorted(self.entries, key=lambda e: e.key)
        ]
        payload = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def signature(self) -> str:
        """The glossary's part of an output signature, e.g. `gloss:1f2e3d4c`."""
        return f"gloss:{self.digest()[:8]}" if self.entries else "gloss:none"

    @classmethod
    def merge(cls, bases: Iterable[TermBase]) -> TermBase:
        by_key: dict[str, Entry] = {}
        files: list[str] = []
        for base in bases:
            files.extend(base.files)
            for entry in base.entries:
                by_key.pop(entry.key, None)  # an override moves to the later file's place
                by_key[entry.key] = entry
        return cls(tuple(by_key.values()), tuple(files))


def load_termbases(paths: Sequence[str | Path], default: bool = True) -> TermBase:
    """The default glossary (unless `default` is false) merged with `paths`, in order."""
    bases = [load_default()] if default else []
    bases.extend(load_termbase(path) for path in paths)
    return TermBase.merge(bases)


def load_default() -> TermBase:
    data = resources.files("glossary").joinpath("data", DEFAULT_GLOSSARY)
    return parse_termbase(data.read_bytes(), f"<default glossary {DEFAULT_GLOSSARY}>", "tsv")


def load_termbase(path: str | Path) -> TermBase:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise GlossaryError(f"Cannot read glossary {path}: {error.strerror}.") from error
    return parse_termbase(raw, str(path), format_of(path, raw))


def parse_termbase(raw: bytes, name: str, fmt: str) -> TermBase:
    """Parse the bytes of a term base in format `fmt` (tsv, csv or tbx)."""
    if fmt == "tbx":
        entries = parse_tbx(raw, name)
    else:
        entries = list(parse_rows(read_rows(termbase_text(raw, name), fmt), name))
    # Within one file, too, a later line overrides an earlier one (the checker warns).
    return TermBase.merge([TermBase(tuple(entries), (name,))])


def format_of(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<"):
        return "tbx"
    first_line = head.split(b"\n", 1)[0]
    return "tsv" if b"\t" in first_line or b"," not in first_line else "csv"


def termbase_text(raw: bytes, name: str) -> str:
    """Text of a glossary file, in any encoding an article may be in (mt.decode)."""
    try:
        return decode_bytes(raw, name)[0]
    except InputError as error:
        raise GlossaryError(str(error)) from error


def read_rows(text: str, fmt: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank, non-comment row. TSV is unquoted by convention."""
    if fmt == "tsv":
        reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text))
    rows = []
    line = 1
    for cells in reader:
        if cells and any(c.strip() for c in cells) and not cells[0].startswith("#"):
            rows.append((line, cells))
        line = reader.line_num + 1
    return rows


def header_of(cells: list[str], name: str) -> list[str] | None:
    """The column names if `cells` is a header row, else None (a headerless two-column file)."""
    names = [c.strip().lower() for c in cells]
    if names[:2] == [SOURCE_LANG, TARGET_LANG] or names[:2] == ["ar-sy", "en-us"]:
        return ["source", "target", *names[2:]]
    if not set(names) & set(COLUMNS):
        return None
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if unknown or missing:
        problem = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
        raise GlossaryError(f"{name}:1: {problem}; the columns are {', '.join(COLUMNS)}.")
    return names


def parse_rows(rows: list[tuple[int, list[str]]], name: str) -> Iterable[Entry]:
    """Entries of the rows of a TSV or CSV file, raising GlossaryError at the first bad line."""
    if not rows:
        return
    header = header_of(rows[0][1], name)
    if header is None:
        header = ["source", "target"]
    else:
        rows = rows[1:]
    for line, cells in rows:
        yield entry_of(header, cells, f"{name}:{line}")


def entry_of(header: list[str], cells: list[str], where: str) -> Entry:
    """The entry of one row, or GlossaryError naming `where` (file:line)."""
    if len(cells) != len(header):
        raise GlossaryError(f"{where}: {len(cells)} cells where the header has {len(header)}.")
    row = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise GlossaryError(f"{where}: empty {column}.")
    flag = row.get("fold_ta", "").lower()
    if flag not in _TRUE | _FALSE:
        raise GlossaryError(f"{where}: fold_ta is {flag!r}; write yes or no.")
    variants = tuple(v.strip() for v in row.get("variants", "").split(VARIANT_SEPARATOR))
    return Entry(
        source=row["source"],
        target=row["target"],
        first_mention=row.get("first_mention", ""),
        variants=tuple(v for v in variants if v),
        note=row.get("note", ""),
        fold_ta=flag in _TRUE,
        origin=where,
    )


# --- TBX -------------------------------------------------------------------------------------

_ENTRY_TAGS = {"termEntry", "conceptEntry"}
_LANG_TAGS = {"langSet", "langSec"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SHORT_TYPES = {"abbreviation", "acronym", "shortForm", "initialism"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_tbx(raw: bytes, name: str) -> list[Entry]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 0
        raise GlossaryError(f"{name}:{line}: not well-formed TBX ({error.msg}).") from error
    entries = [
        _tbx_entry(element, f"{name}:{element.sourceline}")
        for element in root.iter()
        if _local(element.tag) in _ENTRY_TAGS
    ]
    if not entries:
        raise GlossaryError(f"{name}: no termEntry or conceptEntry elements; is it TBX?")
    return entries


def _tbx_terms(entry, lang: str) -> list[tuple[str, dict[str, str]]]:
    """(term, {termNote type: value}) of each term of `entry` in language `lang`."""
    terms = []
    for lang_set in entry:
        if _local(lang_set.tag) not in _LANG_TAGS:
            continue
        code = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").lower()
        if code.split("-")[0] != lang:
            continue
        for element in lang_set.iter():
            if _local(element.tag) != "term":
                continue
            holder = element.getparent()  # tig, ntig/termGrp or termSec: its notes are siblings
            notes = {
                n.get("type", ""): (n.text or "").strip()
                for n in holder.iter()
                if _local(n.tag) in {"termNote", "descrip"}
            }
            terms.append(("".join(element.itertext()).strip(), notes))
    return terms


def _tbx_entry(element, where: str) -> Entry:
    sources = [t for t, _ in _tbx_terms(element, SOURCE_LANG) if t]
    targets = [(t, notes) for t, notes in _tbx_terms(element, TARGET_LANG) if t]
    if not sources or not targets:
        missing = SOURCE_LANG if not sources else TARGET_LANG
        raise GlossaryError(f"{where}: entry has no {missing!r} term.")
    preferred = [t for t, n in targets if "preferred" in n.get("administrativeStatus", "")]
    full = [t for t, n in targets if n.get("termType") == "fullForm"]
    short = [t for t, n in targets if n.get("termType") in _SHORT_TYPES]
    first_mention = ""
    if full and short:
        target, first_mention = short[0], f"{full[0]} ({short[0]})"
    else:
        target = (preferred or [targets[0][0]])[0]
    notes = [
        (d.text or "").strip()
        for d in element
        if _local(d.tag) in {"descrip", "note"} and (d.text or "").strip()
    ]
    return Entry(
        source=sources[0],
        target=target,
        first_mention=first_mention,
        variants=tuple(sources[1:]),
        note="; ".join(notes),
        origin=where,
    )
