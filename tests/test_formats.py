import json
from pathlib import Path

import pytest
from lxml import etree

from aligned.formats import FORMATS, WriteContext, parse_formats, writer_for
from aligned.readers import read_pairs
from mt.errors import ConfigurationError, InputError
from tests.review_document import HOSTILE_SOURCE, HOSTILE_TARGET, review_document

DATA = Path(__file__).parent / "data"
CONTEXT = WriteContext(signature="model:tiny|rev:none|engine:transformers|beam:model|v:0.1.0")


def _write(name: str, tmp_path: Path) -> Path:
    writer = writer_for(name)
    path = tmp_path / f"article-1{writer.suffix}"
    writer.write([review_document()], path, CONTEXT)
    return path


def test_registry_offers_every_format_and_explains_unknown_ones():
    assert {"tsv", "txt", "jsonl", "tmx", "xliff", "html"} <= set(FORMATS)
    with pytest.raises(ConfigurationError, match="jsonl"):
        parse_formats("tsv,docx")


def test_jsonl_has_one_object_per_segment_with_every_column_and_signal(tmp_path):
    path = _write("jsonl", tmp_path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    doc = review_document()
    assert len(records) == len(doc.segments)
    first = records[1]
    assert {"doc_id", "seg", "para", "kind", "source", "target", "score", "flag", "glossary",
            "alignment", "signals", "reasons", "retried", "split"} <= set(first)
    assert first["signals"] == doc.segments[1].signals
    assert all(r["signature"] == CONTEXT.signature for r in records)


def test_tmx_is_valid_against_the_tmx_14_dtd(tmp_path):
    path = _write("tmx", tmp_path)
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    tree = etree.parse(str(path))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert tree.getroot().find("header").get("srclang") == "ar"


def test_tmx_leaves_boilerplate_out_and_carries_score_and_flag(tmp_path):
    tree = etree.parse(str(_write("tmx", tmp_path)))
    units = tree.getroot().findall("body/tu")
    doc = review_document()
    kept = [s for s in doc.segments if s.kind != "boilerplate"]
    assert len(units) == len(kept)
    props = {p.get("type"): p.text for p in units[2].findall("prop")}
    assert (props["x-flag"], props["x-score"]) == (kept[2].flag, f"{kept[2].score:.4f}")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [v.get(xml_lang) for v in units[0].findall("tuv")] == ["ar", "en"]


def test_xliff_reads_back_with_translate_toolkit(tmp_path):
    from translate.storage import xliff

    store = xliff.xlifffile(_write("xliff", tmp_path).read_bytes())
    doc = review_document()
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == [s.source for s in doc.segments]
    translated = [u for u in units if u.target]
    assert [u.target for u in translated] == [s.target for s in doc.segments if s.target]
    for unit in translated:
        target = unit.xmlelement.find("{urn:oasis:names:tc:xliff:document:1.2}target")
        assert target.get("state") == "needs-review-translation"
        assert target.get("state-qualifier") == "mt-suggestion"
    assert "jisr score 0.5000, flag review" in units[2].getnotes()
    assert store.getsourcelanguage() == "ar" and store.gettargetlanguage() == "en"


@pytest.mark.parametrize("name", ["tsv", "jsonl", "tmx"])
def test_readers_bring_the_written_pairs_back(name, tmp_path):
    rows = read_pairs(_write(name, tmp_path))
    expected = [s for s in review_document().segments
                if name != "tmx" or s.kind != "boilerplate"]
    assert [(r["source"], r["target"]) for r in rows] == [(s.source, s.target) for s in expected]
    assert [r["flag"] for r in rows] == [s.flag for s in expected]


def test_reader_refuses_an_unknown_suffix(tmp_path):
    path = tmp_path / "pairs.docx"
    path.write_text("x")
    with pytest.raises(InputError, match=".tsv"):
        read_pairs(path)


def test_html_escapes_every_text_and_requests_nothing(tmp_path):
    page = _write("html", tmp_path).read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "default-src 'none'" in page  # the page may load nothing from anywhere
    assert 'src="' not in page and "href=" not in page and "@import" not in page
    assert HOSTILE_SOURCE.split()[0] in page and HOSTILE_TARGET.split()[0] in page


@pytest.mark.parametrize("name", ["jsonl", "tmx", "xliff", "html"])
def test_writers_are_deterministic(name, tmp_path):
    first = _write(name, tmp_path).read_bytes()
    assert _write(name, tmp_path).read_bytes() == first
