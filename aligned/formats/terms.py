"""The glossary consistency report (`--formats terms`): a TSV of each entry's occurrences and
renderings per document and over the input's documents, and suggested new entries. What the
rows mean is defined in glossary/report.py."""

from __future__ import annotations

from collections.abc import Sequence

from aligned.formats.base import WriteContext, Writer, clean_field
from glossary.report import REPORT_COLUMNS, report_rows
from mt.document import Document


class TermsWriter(Writer):
    name = "terms"
    suffix = ".terms.tsv"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        lines = ["\t".join(REPORT_COLUMNS)]
        lines += ["\t".join(clean_field(value) for value in row) for row in report_rows(docs)]
        return "\n".join(lines) + "\n"
