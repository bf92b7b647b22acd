"""The resume manifest of an output directory: which inputs are done, from which bytes, with
which settings, and which outputs (with their hashes) they left.

One JSON object per line in OUTDIR/jisr-manifest.ndjson, appended (and fsynced) after an
input's outputs are renamed into place, so a record never names an output that is not on
disk. A run killed mid-append leaves at most one torn last line; it is dropped when the
manifest is next opened, and the file is rewritten whole (temporary file plus rename), sorted
by key, when a run ends. The directory is locked for the length of a run: two runs writing
into one directory would remove each other's temporary files.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aligned.formats.base import TEMP_SUFFIX, atomic_write
from mt.errors import OutputError

log = logging.getLogger(__name__)

MANIFEST_NAME = "jisr-manifest.ndjson"
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


@dataclass
class Record:
    """One finished input."""

    key: str  # the output stem relative to OUTDIR: unique per input in a directory
    input: str  # the path as it was given
    input_sha256: str
    settings_sha256: str
    outputs: dict[str, str] = field(default_factory=dict)  # path relative to OUTDIR -> sha256
    articles: int = 0
    segments: int = 0
    problems: list[str] = field(default_factory=list)  # lines that could not be read, and why


class Manifest:
    """The manifest of one output directory, open (and the directory locked) for one run."""

    def __init__(self, outdir: Path, settings_sha256: str, resume: bool):
        self.outdir = outdir
        self.path = outdir / MANIFEST_NAME
        self.settings_sha256 = settings_sha256
        self.resume = resume
        self.records: dict[str, Record] = {}
        self._lock_fd: int | None = None

    def __enter__(self) -> Manifest:
        self._lock()
        try:
            remove_stale_temporaries(self.outdir)
            self.records = self._load()
            self._compact()
        except OSError as error:
            self._unlock()
            raise OutputError(f"Cannot open {self.path}: {error.strerror or error}.") from error
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._compact()
        except OutputError as error:  # every record is already appended: nothing is lost
            log.warning("%s", error)
        finally:
            self._unlock()

    def done(self, key: str, input_sha256: str) -> Record | None:
        """The record of `key` when --resume may skip it: same input bytes, same settings, and
        every output still on disk with the bytes it was written with."""
        record = self.records.get(key)
        if not self.resume or record is None:
            return None
        if (record.input_sha256, record.settings_sha256) != (input_sha256, self.settings_sha256):
            return None
        for name, digest in record.outputs.items():
            path = self.outdir / name
            if not path.is_file() or sha256_file(path) != digest:
                log.info("%s: %s changed since it was written; translating again", key, name)
                return None
        return record

    def output_hashes(self, paths: list[Path]) -> dict[str, str]:
        return {str(path.relative_to(self.outdir)): sha256_file(path) for path in paths}

    def add(self, record: Record) -> None:
        """Append `record` durably (one write of one line, then fsync)."""
        line = json.dumps(asdict(record), ensure_ascii=False, sort_keys=True) + "\n"
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            raise OutputError(f"Cannot write {self.path}: {error.strerror or error}.") from error
        self.records[record.key] = record

    def _load(self) -> dict[str, Record]:
        if not self.path.exists():
            return {}
        records: dict[str, Record] = {}
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    record = Record(**json.loads(line))
                except (ValueError, TypeError):
                    log.warning("%s line %d is incomplete; ignoring it", self.path, number)
                    continue
                records[record.key] = record  # the latest record of a key wins
        return records

    def _compact(self) -> None:
        lines = [
            json.dumps(asdict(self.records[key]), ensure_ascii=False, sort_keys=True) + "\n"
            for key in sorted(self.records)
        ]
        if lines or self.path.exists():
            atomic_write(self.path, "".join(lines))

    def _lock(self) -> None:
        try:
            self._lock_fd = os.open(self.outdir, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self._unlock()
            raise OutputError(
                f"Another jisr run is writing to {self.outdir}; wait for it or choose another -o."
            ) from error
        except OSError as error:
            self._unlock()
            raise OutputError(f"Cannot lock {self.outdir}: {error.strerror or error}.") from error

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None


def remove_stale_temporaries(outdir: Path) -> None:
    """Delete the temporary files a killed run left behind (their names end in TEMP_SUFFIX)."""
    for path in outdir.rglob(f".*{TEMP_SUFFIX}"):
        log.info("removing %s, left by an interrupted run", path)
        path.unlink(missing_ok=True)
