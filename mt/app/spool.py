"""Translated documents of a large input, kept on disk until the input is finished, so that its
outputs can be rendered in passes over them without holding them all in memory."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from mt.document import Document


class DocumentSpool:
    """An anonymous temporary file of pickled documents: unlinked from the start, so that even
    a killed run leaves nothing behind."""

    def __init__(self, directory: Path | None = None):
        self._file = tempfile.TemporaryFile(dir=directory)
        self.count = 0

    def extend(self, docs: Iterable[Document]) -> None:
        self._file.seek(0, 2)
        for doc in docs:
            pickle.dump(doc, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += 1

    def __iter__(self) -> Iterator[Document]:
        """One pass over the documents, in the order they were added."""
        self._file.flush()
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> DocumentSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
