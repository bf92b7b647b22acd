"""What every output format shares: the writer interface, field cleaning and atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mt.document import Document
from mt.errors import OutputError

# C0/C1 controls (tab, CR and LF among them), line and paragraph separators: never inside a
# field of a line-based format. The one rule for every TSV field jisr writes.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_field(text: str) -> str:
    """A value safe for one field of a TSV row: each run of control characters becomes one
    space, so words on either side stay apart and no text is lost (a CR LF is one space)."""
    return _CONTROL.sub(" ", text)


# Temporary files of atomic writes end with this, so that a run killed mid-write leaves files a
# later run can recognise as its own and remove (mt.app.manifest does, under its directory lock).
TEMP_SUFFIX = ".jisr-tmp"


def _file_mode() -> int:
    """What open() would give a new file under the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place: no reader ever
    sees a half-written file, and a failed write leaves nothing behind."""
    atomic_write_parts(path, [data])


def atomic_write_parts(path: Path, parts: Iterable[str | bytes]) -> None:
    """`atomic_write` for content produced in parts (a large input's output, streamed)."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                        dir=path.parent)
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes it private; outputs are for others to read
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part.encode("utf-8") if isinstance(part, str) else part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(f"Cannot write {path}: {reason}.") from error
    finally:  # also on Ctrl-C, which is no OSError
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)


@dataclass(frozen=True)
class WriteContext:
    """What a writer needs beyond the documents."""

    signature: str = ""  # model, engine, decoding, glossary hash and jisr version


class Writer(ABC):
    """One output format. `render` turns the documents of one input into the file's content."""

    name: ClassVar[str]  # the --formats name
    suffix: ClassVar[str]  # appended to the output stem

    def write(self, docs: Sequence[Document], path: Path, context: WriteContext) -> None:
        atomic_write(path, self.render(docs, context))

    def write_streamed(
        self, docs: Callable[[], Iterable[Document]], path: Path, context: WriteContext
    ) -> None:
        """Write the documents of a large input without holding them all: `docs()` gives a
        fresh pass over them (from a spool on disk) each time it is called."""
        atomic_write_parts(path, self.render_parts(docs, context))

    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        """The file's content in parts; formats that can stream override this. The default
        holds every document in memory."""
        yield self.render(list(docs()), context)

    @abstractmethod
    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        """The whole file as text."""


class StreamingWriter(Writer):
    """A format written document by document: it implements only `render_parts`."""

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        return "".join(self.render_parts(lambda: docs, context))

    @abstractmethod
    def render_parts(
        self, docs: Callable[[], Iterable[Document]], context: WriteContext
    ) -> Iterator[str]:
        """The file's content in parts, each pass over `docs()` holding one document at a time."""
