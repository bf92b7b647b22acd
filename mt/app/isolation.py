"""Failure isolation, for `jisr translate` and `jisr batch` alike: documents are translated
together (length-sorted batches fill up across articles); when that run fails, each unit (an
input, an article) is translated again alone, so that only the units that break fail."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from mt.document import Document
from mt.errors import JisrError
from mt.segment import segment_document

log = logging.getLogger(__name__)


def translate_isolated(
    translate: Callable[[list[Document]], object],
    docs: list[Document],
    units: Sequence[list[Document]],
) -> list[str | None]:
    """`translate(docs)`; if it raises, `translate(unit)` for each unit, each unit's documents
    segmented afresh first (undoing what the failed run set on their segments). Returns each
    unit's error in words, or None. A stop signal (KeyboardInterrupt) is no Exception: it
    goes through."""
    try:
        translate(docs)
        return [None] * len(units)
    except Exception as error:  # noqa: BLE001 - find the unit that breaks the group
        log.info("%d documents failed together (%s); translating them unit by unit",
                 len(docs), describe(error))
    errors: list[str | None] = []
    for unit in units:
        try:
            for doc in unit:
                segment_document(doc)
            translate(unit)
            errors.append(None)
        except Exception as error:  # noqa: BLE001 - one bad unit must not sink the batch
            log.debug("translation failed", exc_info=True)
            errors.append(describe(error))
    return errors


def describe(error: BaseException) -> str:
    """An error in words: jisr's own errors are sentences already; others get their type."""
    if isinstance(error, JisrError):
        return str(error)
    return f"{type(error).__name__}: {error}".rstrip(": ") + "."
