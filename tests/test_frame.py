"""The Python API's DataFrame: one row per segment, in order, with the batch rows' columns."""

from __future__ import annotations

import pandas as pd

from aligned.formats.frame import documents_frame
from aligned.formats.records import RECORD_COLUMNS
from mt.document import Segment
from mt.ingest import read_text


def test_frame_has_a_row_per_segment_in_order_with_native_types():
    first = read_text("قال الوزير إن الاجتماع انتهى.", "a")
    first.segments = [
        Segment("a", 0, 0, "heading", "عنوان", 0, 5, target="Title", score=0.9, flag="ok"),
        Segment("a", 1, 1, "content", "قال الوزير.", 6, 17, target="He said.", score=0.5,
                flag="review", signals={"mean_logprob": -0.7}),
    ]
    second = read_text("نص", "b")
    second.segments = [Segment("b", 0, 0, "boilerplate", "اقرأ أيضا", 0, 9, flag="skipped")]
    frame = documents_frame([first, second])
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert list(zip(frame["doc_id"], frame["seg"], strict=True)) == [("a", 0), ("a", 1), ("b", 0)]
    assert frame["target"].tolist() == ["Title", "He said.", ""]
    assert frame["flag"].tolist() == ["ok", "review", "skipped"]
    assert pd.api.types.is_integer_dtype(frame["seg"])
    assert frame["score"].tolist()[:2] == [0.9, 0.5] and pd.isna(frame["score"][2])
    assert frame["mean_logprob"][1] == -0.7 and pd.isna(frame["mean_logprob"][0])
