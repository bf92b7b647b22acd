"""The corpus-wide terms report of `jisr batch` (glossary.report): each actor writes the term
counts of the articles it translated, one small file per batch, under OUTPUT/TERMS_PARTS; at
the end the driver merges the counts of the articles the output holds into OUTPUT/TERMS_REPORT.

Both names start with `_`, which Parquet readers (pyarrow, Ray, Spark) skip in a dataset
directory, so the row files still read as one table. A rerun adds the files of its new articles
and merges again over all of them: the report always covers the whole output. Counts of
articles whose rows never reached the output (a crashed run) are left out, and an article
counted in two files (translated again after a crash) is merged once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Iterator, Sequence

import pyarrow as pa
import pyarrow.fs as pafs

from aligned.formats.terms import report_lines
from glossary.report import TermCounts, merged_rows
from mt.document import Document
from mt.errors import OutputError

log = logging.getLogger(__name__)

TERMS_PARTS = "_jisr-terms"
TERMS_REPORT = "_jisr-terms.tsv"
_PART_SUFFIX = ".ndjson"  # not Ray's JSONL row-file suffix (.json): never read as rows


def write_counts(filesystem: pafs.FileSystem, out_path: str, docs: Sequence[Document]) -> None:
    """One line per article, {"doc_id", "counts"}, into a file named after the articles: a
    batch translated again overwrites its own file."""
    if not docs:
        return
    ids = "\n".join(doc.doc_id for doc in docs)
    name = hashlib.sha256(ids.encode("utf-8")).hexdigest()[:32] + _PART_SUFFIX
    lines = (json.dumps({"doc_id": doc.doc_id, "counts": TermCounts.of([doc]).as_json()},
                        ensure_ascii=False) + "\n" for doc in docs)
    _write(filesystem, f"{out_path}/{TERMS_PARTS}/{name}", lines)


def write_report(filesystem: pafs.FileSystem, out_path: str, ids: Collection[str]) -> None:
    """Merge the counts of the articles `ids` (those in the output) into TERMS_REPORT."""
    _write(filesystem, f"{out_path}/{TERMS_REPORT}",
           report_lines(merged_rows(_parts(filesystem, out_path, ids))))


def _parts(
    filesystem: pafs.FileSystem, out_path: str, ids: Collection[str]
) -> Iterator[TermCounts]:
    directory = f"{out_path}/{TERMS_PARTS}"
    if filesystem.get_file_info(directory).type == pafs.FileType.NotFound:
        return
    found = filesystem.get_file_info(pafs.FileSelector(directory))
    merged: set[str] = set()
    for path in sorted(info.path for info in found if info.path.endswith(_PART_SUFFIX)):
        with filesystem.open_input_stream(path) as stream:
            lines = stream.read().decode("utf-8").splitlines()
        for line in lines:
            try:
                part = json.loads(line)
                counts = TermCounts.from_json(part["counts"])
            except (ValueError, KeyError, TypeError):
                log.warning("%s holds a damaged line; its article is left out of the report", path)
                continue
            if part["doc_id"] in ids and part["doc_id"] not in merged:
                merged.add(part["doc_id"])
                yield counts


def _write(filesystem: pafs.FileSystem, path: str, lines: Iterator[str]) -> None:
    """Write beside `path`, then move into place: a reader never sees half a file."""
    temporary = path + ".tmp"
    try:
        filesystem.create_dir(path.rsplit("/", 1)[0], recursive=True)
        with filesystem.open_output_stream(temporary) as stream:
            for line in lines:
                stream.write(line.encode("utf-8"))
        filesystem.move(temporary, path)
    except (pa.ArrowException, OSError) as error:
        raise OutputError(f"Cannot write {path}: {error}.") from error
