"""Segments as typed records: the rows of `jisr batch`'s Parquet and JSONL output.

The columns are the translation TSV's, in its order, with native types (int, float, bool)
instead of text. The TSV has a column for each signal the run produced; a record has one for
every registered signal (None when absent), so that all rows of a corpus share one schema.
"""

from __future__ import annotations

from aligned.formats.tsv import EXTRA_COLUMNS, TM_COLUMNS, TSV_COLUMNS
from aligned.signals import SIGNALS
from mt.document import Segment

SIGNAL_COLUMNS = tuple(sorted(SIGNALS))
RECORD_COLUMNS = (*TSV_COLUMNS, *EXTRA_COLUMNS, *SIGNAL_COLUMNS, *TM_COLUMNS)
# The reason on the rows of an article that could not be read or translated.
FAILURE_PREFIX = "article failed: "


def segment_record(seg: Segment) -> dict[str, object]:
    record: dict[str, object] = {
        "doc_id": seg.doc_id,
        "seg": seg.seg,
        "para": seg.para,
        "kind": seg.kind,
        "source": seg.source,
        "target": seg.target,
        "score": seg.score,
        "flag": seg.flag,
        "glossary": seg.glossary,
        "origin": seg.origin,
        "split": seg.split,
        "retried": seg.retried,
        "reasons": "; ".join(seg.reasons),
        "alignment": seg.alignment,
    }
    record.update({name: seg.signals.get(name) for name in SIGNAL_COLUMNS})
    best = seg.tm_matches[0] if seg.tm_matches else None
    record["tm_match"] = best.percent if best else None
    record["tm_target"] = best.offered if best else ""
    record["tm_adapted"] = bool(best.adapted) if best else None  # as the TSV: empty
    return record


def failed_segment_record(seg: Segment, error: str) -> dict[str, object]:
    """A segment of an article whose translation failed: kept, untranslated, flagged bad."""
    blank = Segment(seg.doc_id, seg.seg, seg.para, seg.kind, seg.source, seg.start, seg.end)
    blank.flag = "bad"
    blank.reasons.append(FAILURE_PREFIX + error)
    return segment_record(blank)


def failed_article_record(doc_id: str, error: str) -> dict[str, object]:
    """The one row of an article that could not be read: nothing of it to show but its id."""
    return failed_segment_record(Segment(doc_id, 0, 0, "content", "", 0, 0), error)
