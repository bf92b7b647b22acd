"""The glossary consistency report (`--formats terms`): a TSV of each entry's occurrences and
renderings per document and over the input's documents, and suggested new entries; and the
counts behind it, kept beside the outputs so that a batch report can merge them. What the rows
mean is defined in glossary/report.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from aligned.formats.base import StreamingWriter, WriteContext, atomic_write_parts, clean_field
from glossary.report import REPORT_COLUMNS, TermCounts, count_rows, merged_rows
from mt.document import Document
from mt.errors import OutputError


def report_lines(rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """The report TSV, line by line: a header, then one line per row."""
    yield "\t".join(REPORT_COLUMNS) + "\n"
    for row in rows:
        yield "\t".join(clean_field(value) for value in row) + "\n"


class TermsWriter(StreamingWriter):
    name = "terms"
    suffix = ".terms.tsv"

    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        # One pass that keeps counts, not documents: a large JSONL input stays on disk.
        yield from report_lines(count_rows(TermCounts.of(docs())))


class TermCountsWriter(StreamingWriter):
    """The report's counts as JSON (glossary.report.TermCounts): not a --formats choice, but
    written beside an input's `terms` report so that the batch report merges every input's
    counts, those of inputs a resumed run skipped included."""

    name = "term-counts"
    suffix = ".terms.json"

    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        counts = TermCounts.of(docs()).as_json()
        yield json.dumps(counts, ensure_ascii=False, separators=(",", ":")) + "\n"


def read_term_counts(path: Path) -> TermCounts:
    """The counts a TermCountsWriter wrote."""
    try:
        return TermCounts.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OutputError(f"Cannot read the term counts {path}: {error}.") from error


def write_batch_report(path: Path, parts: Iterable[TermCounts]) -> None:
    """The report over a whole batch, merged from its inputs' counts (glossary.report)."""
    atomic_write_parts(path, report_lines(merged_rows(parts)))
