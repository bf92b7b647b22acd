"""Where a batch reads and writes: local paths or any filesystem pyarrow knows (s3://, gs://...).

Lists the input files behind a directory, a glob or a file, and the article ids an earlier run
already wrote into the output, so that a rerun skips them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.json as pajson
import pyarrow.parquet as pq

from mt.errors import InputError, OutputError
from mt.ingest import INPUT_SUFFIXES

TABLE_SUFFIXES = (".parquet",)
OUTPUT_SUFFIXES = {"parquet": ".parquet", "jsonl": ".json"}  # Ray Data's own file suffixes
TABLE_COLUMNS = ("id", "text")
_GLOB_CHARS = "*?"


@dataclass
class Inputs:
    """The input files of a batch, by how they are read."""

    filesystem: pafs.FileSystem
    files: list[str] = field(default_factory=list)  # .txt .html .htm .jsonl: read by ingest
    tables: dict[str, int] = field(default_factory=dict)  # Parquet (id, text) -> row groups

    def units(self) -> list[dict]:
        """The units of reading: a file, or one row group of a Parquet table."""
        files = [{"path": path, "row_group": -1} for path in self.files]
        groups = [{"path": path, "row_group": group}
                  for path, count in self.tables.items() for group in range(count)]
        return files + groups


def filesystem_of(uri: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and path of a URI; a plain path is local."""
    if "://" not in uri:
        return pafs.LocalFileSystem(), os.path.abspath(uri)
    try:
        return pafs.FileSystem.from_uri(uri)
    except (pa.ArrowException, ValueError, OSError) as error:
        raise InputError(f"Cannot open {uri}: {error}.") from error


def list_inputs(uri: str) -> Inputs:
    """Every input file under `uri`, sorted: a directory is walked, a glob is matched."""
    filesystem, path = filesystem_of(uri)
    inputs = Inputs(filesystem)
    for name in sorted(_matching_paths(filesystem, path, uri)):
        suffix = PurePosixPath(name).suffix.lower()
        if suffix in TABLE_SUFFIXES:
            inputs.tables[name] = _table_row_groups(filesystem, name)
        elif suffix in INPUT_SUFFIXES:
            inputs.files.append(name)
    if not inputs.files and not inputs.tables:
        kinds = ", ".join((*INPUT_SUFFIXES, *TABLE_SUFFIXES))
        raise InputError(f"{uri} holds no input files ({kinds}).")
    return inputs


def _matching_paths(filesystem: pafs.FileSystem, path: str, uri: str) -> list[str]:
    wildcard = min((path.find(c) for c in _GLOB_CHARS if c in path), default=-1)
    if wildcard >= 0:
        base = path[: path.rfind("/", 0, wildcard) + 1] or "/"
        found = filesystem.get_file_info(pafs.FileSelector(base, recursive=True))
        pattern = glob_pattern(path)
        return [info.path for info in found if info.is_file and pattern.fullmatch(info.path)]
    info = filesystem.get_file_info(path)
    if info.type == pafs.FileType.NotFound:
        raise InputError(f"Input {uri} does not exist.")
    if info.type == pafs.FileType.File:
        return [path]
    found = filesystem.get_file_info(pafs.FileSelector(path, recursive=True))
    return [info.path for info in found if info.is_file]


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A glob as a regex: `*` and `?` stay within one directory, `**/` spans any number. (By
    hand: Python 3.11's fnmatch lets `*` cross `/`, and glob.translate came only in 3.13.)"""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", glob)
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts))


def _table_row_groups(filesystem: pafs.FileSystem, path: str) -> int:
    """How many row groups the Parquet table has, once its columns are checked."""
    try:
        metadata = pq.read_metadata(path, filesystem=filesystem)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"{path} is not a readable Parquet file: {error}.") from error
    missing = [column for column in TABLE_COLUMNS if column not in metadata.schema.names]
    if missing:
        raise InputError(f"{path} has no column {', '.join(missing)}; it needs `id` and `text`.")
    return metadata.num_row_groups


def read_file(filesystem: pafs.FileSystem, path: str) -> bytes:
    try:
        with filesystem.open_input_stream(path) as stream:
            return stream.read()
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"Input file {path} cannot be read: {error}.") from error


def iter_table_rows(
    filesystem: pafs.FileSystem, path: str, row_group: int, batch_rows: int = 256
) -> Iterator[tuple[str, str | None]]:
    """(id, text) of each row of one row group, a few hundred rows in memory at a time."""
    with filesystem.open_input_file(path) as handle:
        table = pq.ParquetFile(handle)
        for batch in table.iter_batches(batch_rows, row_groups=[row_group],
                                        columns=list(TABLE_COLUMNS)):
            for doc_id, text in zip(*(batch.column(c).to_pylist() for c in TABLE_COLUMNS),
                                    strict=True):
                yield str(doc_id), text


def output_files(filesystem: pafs.FileSystem, path: str, output_format: str) -> set[str]:
    """The row files a run wrote into the output directory (none if it does not exist yet)."""
    if filesystem.get_file_info(path).type == pafs.FileType.NotFound:
        return set()
    found = filesystem.get_file_info(pafs.FileSelector(path, recursive=True))
    suffix = OUTPUT_SUFFIXES[output_format]
    return {info.path for info in found if info.is_file and info.path.endswith(suffix)}


def read_columns(
    filesystem: pafs.FileSystem, paths: set[str], columns: list[str]
) -> dict[str, list]:
    """`columns` of the output files `paths`, concatenated."""
    values: dict[str, list] = {column: [] for column in columns}
    for path in sorted(paths):
        try:
            if path.endswith(OUTPUT_SUFFIXES["parquet"]):
                table = pq.read_table(path, columns=columns, filesystem=filesystem)
            else:
                with filesystem.open_input_stream(path) as stream:
                    table = pajson.read_json(stream).select(columns)
        except (pa.ArrowException, OSError, KeyError) as error:
            raise OutputError(f"{path} in the output is not a readable batch file: {error}.") \
                from error
        for column in columns:
            values[column].extend(table.column(column).to_pylist())
    return values
