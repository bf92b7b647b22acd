"""The format registry: --formats choices come from here, so a new format is one new file."""

from __future__ import annotations

from collections.abc import Sequence

from aligned.formats.base import WriteContext, Writer, atomic_write
from aligned.formats.html import HtmlWriter
from aligned.formats.jsonl import JsonlWriter
from aligned.formats.terms import TermsWriter
from aligned.formats.text import TextWriter
from aligned.formats.tmx import TmxWriter
from aligned.formats.tsv import TsvWriter
from aligned.formats.xliff import XliffWriter
from mt.errors import ConfigurationError

FORMATS: dict[str, type[Writer]] = {
    cls.name: cls
    for cls in (TsvWriter, TextWriter, JsonlWriter, TmxWriter, XliffWriter, HtmlWriter, TermsWriter)
}
DEFAULT_FORMATS = ("tsv", "txt")
# What `jisr align` writes: its own alignment TSV (named tsv there) and the writers of one pair a
# row; `terms` reports glossary use in translations, which an alignment has none of.
ALIGNMENT_FORMATS = ("tsv", *(name for name in FORMATS if name not in ("tsv", "terms")))


def parse_formats(spec: str, choices: Sequence[str] = tuple(FORMATS)) -> list[str]:
    """ "tsv,txt" -> ["tsv", "txt"], checked against the registry (or the `choices` a command
    can write)."""
    names = [name.strip() for name in spec.split(",") if name.strip()]
    unknown = [name for name in names if name not in choices]
    if unknown or not names:
        raise ConfigurationError(
            f"Unknown format {', '.join(unknown) or spec!r}; choose from: {', '.join(choices)}."
        )
    return list(dict.fromkeys(names))


def writer_for(name: str) -> Writer:
    parse_formats(name)
    return FORMATS[name]()


__all__ = [
    "ALIGNMENT_FORMATS",
    "DEFAULT_FORMATS",
    "FORMATS",
    "WriteContext",
    "Writer",
    "atomic_write",
    "parse_formats",
    "writer_for",
]
