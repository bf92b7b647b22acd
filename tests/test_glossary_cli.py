"""`jisr glossary match` and `jisr glossary check` through the real CLI (no model needed)."""

from __future__ import annotations

import io
from pathlib import Path

from tests.cli_helpers import read_tsv, run_jisr


def test_match_lists_offsets_into_the_document(tmp_path: Path) -> None:
    text = "قال مسؤول إن قسد انسحبت.\n\nوأكد أن للحشد الشعبي دورا في الرقة."
    mine = tmp_path / "mine.tsv"
    mine.write_text("source\ttarget\nمسؤول\tofficial\n", encoding="utf-8")
    result = run_jisr("glossary", "match", "-", "--glossary", str(mine), stdin=text.encode())
    assert result.returncode == 0, result.stderr.decode()
    table = read_tsv(io.BytesIO(result.stdout))
    assert list(table.columns) == ["doc_id", "seg", "start", "end", "surface", "entry", "target"]
    assert list(table["target"]) == ["official", "SDF", "PMF", "Raqqa"]
    assert list(table["surface"]) == ["مسؤول", "قسد", "للحشد الشعبي", "الرقة"]
    for row in table.itertuples():
        assert text[int(row.start) : int(row.end)] == row.surface


def test_match_without_default_glossary(tmp_path: Path) -> None:
    result = run_jisr("glossary", "match", "-", "--no-default-glossary", stdin="قسد".encode())
    assert result.returncode == 0 and result.stdout.decode().count("\n") == 1  # the header


def test_check_exit_codes_and_lines(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.tsv"
    good.write_text("قسد,SDF\n", encoding="utf-8")
    bad.write_text("source\ttarget\nقسد\tSDF\nقسد\tS.D.F.\n", encoding="utf-8")
    ok = run_jisr("glossary", "check", str(good))
    assert (ok.returncode, ok.stdout) == (0, b"")
    failed = run_jisr("glossary", "check", str(bad))
    assert failed.returncode == 1
    assert failed.stdout.decode().startswith(f"{bad}:3: error: 'قسد' is already at {bad}:2")


def test_bad_glossary_is_one_sentence_before_any_model_loads(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\nقسد\t\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("قسد", encoding="utf-8")
    result = run_jisr("translate", str(article), "--model", str(tmp_path / "no-model"),
                      "--glossary", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == f"jisr: error: {bad}:2: empty target."
