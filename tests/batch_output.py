"""Reading the rows of `jisr batch` and holding them against the TSV rows of `jisr translate`."""

from __future__ import annotations

from pathlib import Path

# Word alignment links come from the argmax of nearly uniform attention in a random model, where
# a 1e-6 difference can move a link between near-tied words; coverage is rounded the same way.
NOT_COMPARED = ("alignment",)


def tsv_text(value) -> str:
    """A record value as the translation TSV writes it."""
    if value is None or value != value:  # pandas reads a null float as NaN
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def batch_rows(out: Path):
    import pyarrow.parquet as pq

    return pq.read_table(out).to_pandas()


def mismatches(records: list[dict], translated: dict[tuple, dict]) -> list[tuple]:
    """(doc_id, seg, column) of every value of `records` that differs from the TSV row of
    `translated` ((doc_id, seg) -> row) as the TSV would write it."""
    found = []
    for record in records:
        expected = translated[(record["doc_id"], record["seg"])]
        found += [(record["doc_id"], record["seg"], column) for column in expected
                  if column not in NOT_COMPARED and tsv_text(record[column]) != expected[column]]
    return found
