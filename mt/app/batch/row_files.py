"""Writing the rows of `jisr batch`: one file per batch of articles, each written under a hidden
temporary name and renamed into place when complete, as `jisr translate` writes its outputs. A run
killed mid-write leaves no partial file among the output, only a hidden temporary that readers
skip; the articles it held are not in the output, so a rerun translates them again.

By hand rather than Ray's `write_parquet`/`write_json`: those write each file in place from their
own tasks, so a crash leaves a cut file that the next run reads as output.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from mt.app.batch.uris import OUTPUT_SUFFIXES

TEMPORARY_PREFIX = "."  # pyarrow, Ray and Spark skip files whose names start with "." or "_"


def write_row_files(
    tables: Iterable[pa.Table], filesystem: pafs.FileSystem, directory: str, output_format: str
) -> set[str]:
    """Write each non-empty table as one file under `directory`; returns the paths written."""
    filesystem.create_dir(directory, recursive=True)
    run = uuid.uuid4().hex[:16]
    written: set[str] = set()
    for index, table in enumerate(tables):
        if not table.num_rows:
            continue
        name = f"{run}_{index:06d}{OUTPUT_SUFFIXES[output_format]}"
        final, temporary = f"{directory}/{name}", f"{directory}/{TEMPORARY_PREFIX}{name}.tmp"
        with filesystem.open_output_stream(temporary) as stream:
            _WRITERS[output_format](table, stream)
        filesystem.move(temporary, final)
        written.add(final)
    return written


def _write_parquet(table: pa.Table, stream) -> None:
    pq.write_table(table, stream)


def _write_jsonl(table: pa.Table, stream) -> None:
    # pandas writes JSON lines as Ray Data's write_json does: one object per row, nulls as null.
    text = table.to_pandas().to_json(orient="records", lines=True, force_ascii=False)
    stream.write(text.encode("utf-8"))


_WRITERS = {"parquet": _write_parquet, "jsonl": _write_jsonl}


def remove_temporaries(filesystem: pafs.FileSystem, directory: str) -> int:
    """Delete the temporaries an interrupted run left in `directory`; returns how many."""
    if filesystem.get_file_info(directory).type != pafs.FileType.Directory:
        return 0
    found = filesystem.get_file_info(pafs.FileSelector(directory))
    stale = [info.path for info in found
             if info.is_file and info.base_name.startswith(TEMPORARY_PREFIX)
             and info.base_name.endswith(".tmp")]
    for path in stale:
        filesystem.delete_file(path)
    return len(stale)
