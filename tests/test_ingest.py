"""Reading inputs: encodings, file kinds, JSONL line errors, directory walking, bad input."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from mt.decode import decode_bytes
from mt.errors import InputError
from mt.ingest import JsonlLineError, iter_documents, iter_inputs, read_path, read_text

ARTICLE = (
    "وزير الخارجية يزور بغداد\n\n"
    "وصل وزير الخارجية إلى بغداد صباح اليوم في زيارة رسمية تستمر يومين، "
    "وقال المتحدث باسم الوزارة إن الزيارة تهدف إلى تعزيز التعاون بين البلدين.\n"
)
SHORT = "قال الوزير إن الوضع مستقر."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(ARTICLE.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(ARTICLE.encode("utf-16"), "utf-16", id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16", id="utf-16-be"),
        pytest.param(ARTICLE.encode("cp1256"), "cp1256", id="windows-1256"),
        pytest.param(ARTICLE.encode("iso8859_6"), "iso8859-6", id="iso-8859-6"),
        pytest.param(SHORT.encode("cp1256"), "cp1256", id="windows-1256-short"),
        pytest.param(SHORT.encode("iso8859_6"), "iso8859-6", id="iso-8859-6-short"),
    ],
)
def test_decode_detects_the_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data, "test")
    assert found == encoding
    assert text.lstrip("\ufeff") in (ARTICLE, SHORT)


def test_a_file_that_changes_encoding_midway_is_decoded_line_by_line() -> None:
    first, second = "السطر الأول من المقال.\n", "والسطر الثاني بترميز آخر تماما.\n"
    text, encoding = decode_bytes(first.encode("utf-8") + second.encode("cp1256"), "test")
    assert text == first + second
    assert encoding == "utf-8+cp1256"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b"  \n\t\n ", "is empty", id="whitespace-only"),
        pytest.param(codecs.BOM_UTF8, "is empty", id="bom-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="nul-bytes"),
        pytest.param("نص بلا علامة".encode("utf-16-le"), "without a byte-order mark",
                     id="utf-16-without-bom"),
        pytest.param(bytes(range(0x80, 0x100)) * 10, "no known encoding", id="high-bytes"),
        pytest.param("日本語のテキストです。".encode("shift_jis"), "no known encoding",
                     id="shift-jis"),
        pytest.param(bytes(range(1, 32)) * 20, "binary", id="control-characters"),
        pytest.param("ًٌٍَُِ".encode(), "no letters or digits", id="only-diacritics"),
    ],
)
def test_bad_text_files_are_one_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        read_path(path)
    assert str(path) in str(caught.value)
    assert str(caught.value).count(". ") == 0  # one sentence


def test_control_characters_are_cleaned_out() -> None:
    doc = read_text("قال\x00 الوزير\x07 إن\tالوضع مستقر.", "d")
    assert doc.text == "قال الوزير إن الوضع مستقر."


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_path(tmp_path / "nope.txt")


def test_text_file_becomes_one_document_with_its_stem_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("cp1256"))
    (doc,) = read_path(path)
    assert (doc.doc_id, doc.encoding, doc.source_path) == ("article", "cp1256", str(path))
    assert [b.kind for b in doc.blocks] == ["heading", "content"]
    for block in doc.blocks:
        assert doc.text[block.start : block.start + len(block.text)] == block.text


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        pytest.param("123 456", True, id="only-digits"),
        pytest.param("The minister arrived in Baghdad.", True, id="only-english"),
        pytest.param("😀 😀", False, id="only-emoji"),
        pytest.param("\u202eقال الوزير\u202c", True, id="rtl-override"),
        pytest.param("مست\u200dشفى المدينة", True, id="zero-width-joiner"),
        pytest.param("کتاب یک ۀ", True, id="persian-letters"),
        pytest.param("وصل الوزير 😀 إلى بغداد.", True, id="emoji-in-text"),
    ],
)
def test_unusual_but_valid_text(text: str, ok: bool) -> None:
    if ok:
        assert read_text(text, "d").text
    else:
        with pytest.raises(InputError):
            read_text(text, "d")


def test_jsonl_yields_one_result_per_line_and_reports_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": SHORT}, ensure_ascii=False),
        "{broken",
        "",
        json.dumps({"id": 7, "text": SHORT}),
        json.dumps({"id": "c", "text": ["not", "a", "string"]}),
        json.dumps({"text": SHORT}),
        json.dumps(["a list"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(iter_documents(path))
    assert [r.doc_id if not isinstance(r, Exception) else r.line for r in results] == [
        "a", 2, "7", 5, "batch-6", 7,
    ]
    errors = [r for r in results if isinstance(r, JsonlLineError)]
    assert "line 2 is not valid JSON" in str(errors[0])
    assert "no string field `text`" in str(errors[1])
    with pytest.raises(JsonlLineError):
        read_path(path)


def test_jsonl_is_read_lazily(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "x", "text": SHORT}) + "\n", encoding="utf-8")
    results = iter_documents(path)
    with path.open("a", encoding="utf-8") as handle:  # appended after the reader was made
        handle.write(json.dumps({"id": "y", "text": SHORT}) + "\n")
    assert [doc.doc_id for doc in results] == ["x", "y"]


def test_html_is_reduced_to_its_article(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{SHORT} الفقرة رقم {i} من المقال الطويل.</p>" for i in range(6))
    html = (
        "<html><head><title>عنوان المقال</title></head><body>"
        "<nav><a href='/'>الرئيسية</a> <a href='/s'>رياضة</a></nav>"
        f"<article><h1>عنوان المقال</h1>{paragraphs}</article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (doc,) = read_path(path)
    assert "الفقرة رقم 5" in doc.text
    assert "جميع الحقوق محفوظة" not in doc.text
    assert [b.text for b in doc.blocks if b.kind == "content"][0].startswith(SHORT)


def test_html_in_windows_1256_is_decoded_before_extraction(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1256"><title>عنوان</title></head><body><article>'
        f"<h1>عنوان الخبر</h1><p>{SHORT} {SHORT}</p><p>{SHORT}</p></article></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_bytes(html.encode("cp1256"))
    (doc,) = read_path(path)
    assert doc.encoding == "cp1256"
    assert [b.kind for b in doc.blocks][:2] == ["heading", "content"]
    assert SHORT in doc.text


def test_malformed_html_still_gives_its_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.htm"
    path.write_text("<html><body><div><p>" + SHORT + "<p>" + SHORT + "</div", encoding="utf-8")
    (doc,) = read_path(path)
    assert SHORT in doc.text


def test_directory_walk_is_sorted_recursive_and_survives_symlink_loops(tmp_path: Path) -> None:
    for name in ["b.txt", "a.html", "sub/c.jsonl", "sub/skip.md", "sub/deeper/d.htm"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(SHORT, encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_inputs([str(tmp_path)])]
    assert found == ["a.html", "b.txt", "sub/c.jsonl", "sub/deeper/d.htm"]


def test_directory_without_inputs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="holds no input files"):
        list(iter_inputs([str(tmp_path)]))


def test_stdin_and_named_files_pass_through(tmp_path: Path) -> None:
    assert list(iter_inputs(["-", "missing.txt"])) == [Path("-"), Path("missing.txt")]
