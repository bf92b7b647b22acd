"""jisr's reviewed TSV, as the HTML review page downloads it: the translation TSV with a
`review` column, `approved` or `edited` on the rows a translator reviewed."""

from __future__ import annotations

from pathlib import Path

from aligned.readers import read_tsv as read_rows
from aligned.reviewed.base import ReviewedFile
from mt.errors import InputError

REVIEW_COLUMN = "review"
REVIEWED = ("approved", "edited")


def read_tsv(path: Path) -> ReviewedFile:
    rows = read_rows(path)
    if rows and REVIEW_COLUMN not in rows[0]:
        raise InputError(
            f"{path}: no {REVIEW_COLUMN} column (jisr tm import reads the reviewed TSV that the "
            "HTML review page downloads, XLIFF 1.2 or TMX 1.4)."
        )
    reviewed = ReviewedFile(path)
    for line, row in enumerate(rows, start=2):
        state = row[REVIEW_COLUMN].strip()
        if state and state not in REVIEWED:
            raise InputError(f"{path}:{line}: review is {state!r}, not approved, edited or empty.")
        if not state:
            reviewed.skipped["not reviewed"] += 1
            continue
        has_id = "doc_id" in row and "seg" in row
        unit = f"{row['doc_id']}:{row['seg']}" if has_id else f"line {line}"
        reviewed.add(unit, row["source"], row["target"], f"{path}:{line}")
    return reviewed
