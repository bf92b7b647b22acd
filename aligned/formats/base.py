"""What every output format shares: the writer interface, field cleaning and atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mt.document import Document
from mt.errors import OutputError

# C0/C1 controls, line and paragraph separators: never inside a field of a line-based format.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_field(text: str) -> str:
    """A value safe for one field of a TSV row: every control character becomes a space."""
    return _CONTROL.sub(" ", text)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place: no reader ever
    sees a half-written file, and a failed write leaves nothing behind."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except OSError as error:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
        reason = error.strerror or str(error)
        raise OutputError(f"Cannot write {path}: {reason}.") from error


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

    @abstractmethod
    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        """The whole file as text."""
