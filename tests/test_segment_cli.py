"""`jisr segment` needs no model: lines and TSV output of the cleaned article."""

from __future__ import annotations

import io
from pathlib import Path

from tests.cli_helpers import read_tsv, run_jisr

ARTICLE = Path(__file__).parent / "data" / "article_ar.txt"


def test_lines_leave_boilerplate_out():
    result = run_jisr("segment", str(ARTICLE))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0] == "وزير الخارجية يزور بغداد لبحث أمن الحدود"
    assert "Photo of author" not in lines
    assert all(line.strip() for line in lines)


def test_tsv_offsets_point_into_the_cleaned_text():
    result = run_jisr("segment", str(ARTICLE), "--format", "tsv")
    assert result.returncode == 0, result.stderr.decode()
    table = read_tsv(io.StringIO(result.stdout.decode("utf-8")))
    assert list(table.columns) == ["doc_id", "seg", "para", "kind", "start", "end", "source"]
    starts, ends = table["start"].astype(int), table["end"].astype(int)
    assert (starts < ends).all()
    assert (starts.iloc[1:].to_numpy() >= ends.iloc[:-1].to_numpy()).all()
    assert (ends - starts >= table["source"].str.len()).all()


def test_segment_reads_stdin():
    result = run_jisr("segment", "-", stdin=ARTICLE.read_bytes())
    from_file = run_jisr("segment", str(ARTICLE))
    assert result.returncode == 0
    assert result.stdout == from_file.stdout


def test_unknown_format_is_one_sentence():
    result = run_jisr("segment", str(ARTICLE), "--format", "xml")
    assert result.returncode == 2
    assert result.stderr.decode().strip().startswith("jisr: error: Unknown format 'xml'")
