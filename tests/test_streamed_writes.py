"""Outputs of large inputs: written from a spool on disk in parts, the same bytes as written
whole, and atomic even when the writing stops halfway."""

from __future__ import annotations

import pytest

from aligned.formats import FORMATS, WriteContext, writer_for
from aligned.formats.base import TEMP_SUFFIX, atomic_write_parts
from mt.app.spool import DocumentSpool
from mt.document import Block, Document, Segment
from mt.errors import OutputError


def _document(number: int) -> Document:
    text = f"الخبر رقم {number}. جملة ثانية."
    doc = Document(f"doc{number}", text, [Block(text, "content", 0, 0)])
    for index, source in enumerate(text.split(". ")):
        doc.segments.append(
            Segment(doc.doc_id, index, 0, "content", source, 0, len(source),
                    target=f"news {number} part {index}", score=0.5, flag="ok",
                    signals={"length_ratio": 1.0} if number % 2 else {})
        )
    return doc


@pytest.mark.parametrize("name", list(FORMATS))
def test_written_from_a_spool_equals_written_whole(name, tmp_path):
    docs = [_document(n) for n in range(7)]
    writer, context = writer_for(name), WriteContext(signature="sig")
    with DocumentSpool(tmp_path) as spool:
        spool.extend(docs[:3])
        spool.extend(docs[3:])
        writer.write_streamed(lambda: iter(spool), tmp_path / "streamed", context)
    writer.write(docs, tmp_path / "whole", context)
    assert (tmp_path / "streamed").read_bytes() == (tmp_path / "whole").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["streamed", "whole"]  # spool unlinked


def _parts_then(error: BaseException):
    yield "first part\n"
    raise error


@pytest.mark.parametrize(
    "error, raised",
    [
        pytest.param(OSError(28, "No space left on device"), OutputError, id="disk-full"),
        pytest.param(KeyboardInterrupt(), KeyboardInterrupt, id="ctrl-c"),
    ],
)
def test_a_write_stopped_halfway_leaves_the_old_file_and_no_temporary(error, raised, tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text("the previous complete file\n")
    with pytest.raises(raised):
        atomic_write_parts(target, _parts_then(error))
    assert target.read_text() == "the previous complete file\n"
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
