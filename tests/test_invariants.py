"""Invariants over generated Arabic-like text (hypothesis): what every output keeps whatever
the text. The glossary matcher's offsets property lives in tests/test_glossary_match.py."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aligned.formats import FORMATS, WriteContext, writer_for
from aligned.formats.base import clean_field
from aligned.readers import read_pairs
from mt.document import Block, Document, Segment
from mt.errors import InputError
from tests.arabic_text import CONTROLS, articles, fields
from tests.cli_helpers import read_tsv

CONTEXT = WriteContext(signature="model:test|v:0")
# What a line-based output may hold besides text: the field separator and the line end.
FORBIDDEN = re.compile("[" + re.escape(CONTROLS + "\r") + "]")


def _document(pairs: list[tuple[str, str]]) -> Document:
    doc = Document("doc", "", [Block("", "content", 0, 0)])
    for index, (source, target) in enumerate(pairs):
        doc.segments.append(Segment("doc", index, 0, "content", source, 0, len(source),
                                    target=target, score=0.5, flag="review",
                                    reasons=[source[:5]]))
    return doc


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


pair_lists = st.lists(st.tuples(fields(), fields()), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(pair_lists)
def test_tsv_round_trips_through_pandas(pairs):
    rendered = writer_for("tsv").render([_document(pairs)], CONTEXT)
    table = read_tsv(io.StringIO(rendered))
    assert table["source"].tolist() == [clean_field(source) for source, _ in pairs]
    assert table["target"].tolist() == [clean_field(target) for _, target in pairs]
    assert table["seg"].tolist() == [str(index) for index in range(len(pairs))]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(fields(controls=False), fields(controls=False)), min_size=1,
                max_size=6))
def test_text_without_controls_round_trips_unchanged(pairs):
    rendered = writer_for("tsv").render([_document(pairs)], CONTEXT)
    table = read_tsv(io.StringIO(rendered))
    assert list(zip(table["source"], table["target"], strict=True)) == pairs


@settings(max_examples=100, deadline=None)
@given(pair_lists)
def test_tsv_and_jsonl_read_back_the_same_pairs(pairs):
    docs = [_document(pairs)]
    with tempfile.TemporaryDirectory() as tmp:
        rows = {}
        for name in ("tsv", "jsonl"):
            path = Path(tmp) / f"pairs.{name}"
            writer_for(name).write(docs, path, CONTEXT)
            rows[name] = [(row["source"], row["target"]) for row in read_pairs(path)]
    assert rows["tsv"] == [(clean_field(s), clean_field(t)) for s, t in pairs]
    assert rows["jsonl"] == pairs  # JSON escapes instead of cleaning


# Per format, the characters that may not appear raw: a line-based format carries no control
# character but its separators; JSON escapes every one (and the line-breaking C1/U+2028/9 too,
# so that a record stays one line for str.splitlines); XML and HTML cannot carry C0 controls.
RAW_FORBIDDEN = {
    "tsv": FORBIDDEN,
    "txt": FORBIDDEN,
    "terms": FORBIDDEN,
    "jsonl": re.compile("[" + re.escape(CONTROLS + "\r\t") + "]"),
    "tmx": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]"),
    "xliff": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]"),
    "html": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]"),
}


def test_every_format_has_its_control_character_rule():
    assert set(RAW_FORBIDDEN) == set(FORMATS)


@settings(max_examples=150, deadline=None)
@given(pair_lists, st.sampled_from(sorted(FORMATS)))
def test_writers_escape_every_control_character(pairs, name):
    rendered = writer_for(name).render([_document(pairs)], CONTEXT)
    assert not RAW_FORBIDDEN[name].search(rendered), name
    if name == "tsv":
        lines = rendered.splitlines()
        assert len(lines) == 1 + len(pairs)
        assert len({line.count("\t") for line in lines}) == 1
    if name == "jsonl":
        records = [json.loads(line) for line in rendered.splitlines()]
        assert [(r["source"], r["target"]) for r in records] == pairs


@settings(max_examples=200, deadline=None)
@given(articles)
def test_segmentation_loses_and_duplicates_no_character(text):
    """Every segment's offsets point at its source in the cleaned text, segments follow each
    other without overlap, and together they hold every non-space character of the input once
    (the generated alphabet has format characters, RLO, tatweel and BOM, but no controls)."""
    from mt.ingest import read_text
    from mt.segment import segment_document

    try:
        doc = segment_document(read_text(text, "generated"))
    except InputError:  # nothing to translate (no letter or digit): nothing to segment
        assert not any(char.isalnum() for char in text)
        return
    end = 0
    for seg in doc.segments:
        assert doc.text[seg.start:seg.end] == seg.source
        assert seg.start >= end
        end = seg.end
    assert squeeze("".join(seg.source for seg in doc.segments)) == squeeze(doc.text)
    assert squeeze(doc.text) == squeeze(text)  # and cleaning dropped no visible character
