"""Translated documents as a pandas DataFrame, for the Python API: one row per segment, the
columns and native types of `jisr batch`'s rows (the translation TSV's columns, then every
registered signal)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from aligned.formats.records import RECORD_COLUMNS, segment_record
from mt.document import Document


def documents_frame(docs: Iterable[Document]) -> pd.DataFrame:
    records = [segment_record(seg) for doc in docs for seg in doc.segments]
    return pd.DataFrame.from_records(records, columns=list(RECORD_COLUMNS))
