"""End to end through the CLI with the real tiny Marian model: what `jisr translate` guarantees."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import own_cache, read_tsv, run_jisr

ARTICLE = Path(__file__).parent / "data" / "article_ar.txt"
CONTRACT = ["doc_id", "seg", "para", "kind", "source", "target", "score", "flag", "glossary"]

pytestmark = pytest.mark.slow


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def translated(tiny_model_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_jisr("translate", str(ARTICLE), "-o", str(out), "--model", str(tiny_model_dir))
    assert result.returncode == 0, result.stderr.decode()
    return out


def test_tsv_has_contract_columns_and_one_row_per_segment(translated):
    table = read_tsv(translated / "article_ar.tsv")
    assert list(table.columns[: len(CONTRACT)]) == CONTRACT
    assert table["seg"].astype(int).tolist() == list(range(len(table)))
    assert set(table["kind"]) == {"content", "heading", "boilerplate"}
    assert set(table["flag"]) <= {"ok", "review", "bad", "skipped"}


def test_boilerplate_is_kept_and_skipped(translated):
    table = read_tsv(translated / "article_ar.tsv")
    boiler = table[table["kind"] == "boilerplate"]
    assert "Photo of author" in set(boiler["source"])
    assert any("المصدر" in source for source in boiler["source"])
    assert (boiler["flag"] == "skipped").all()
    assert (boiler["target"] == "").all()


def test_every_content_sentence_is_translated_with_a_score(translated):
    table = read_tsv(translated / "article_ar.tsv")
    content = table[table["kind"] != "boilerplate"]
    assert (content["target"].str.strip() != "").all()
    scores = content["score"].astype(float)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert set(content["flag"]) <= {"ok", "review", "bad"}


def test_sources_reproduce_the_article_text(translated):
    table = read_tsv(translated / "article_ar.tsv")
    article = ARTICLE.read_text(encoding="utf-8")
    paragraphs = [p for p in re.split(r"\n\s*\n", article) if p.strip()]
    joined = {para: squeeze("".join(rows["source"])) for para, rows in table.groupby("para")}
    assert sorted(joined.values()) == sorted(squeeze(p) for p in paragraphs)


def test_sentence_splitting_of_the_article(translated):
    table = read_tsv(translated / "article_ar.tsv")
    sources = table[table["kind"] == "content"]["source"].tolist()
    # The Arabic comma does not end a sentence; the decimal 2.5 does not either.
    assert any("البلدين، وتنسيق" in s for s in sources)
    assert any("2.5 في المئة" in s for s in sources)
    # The misplaced period of scraped text ends the first sentence, not the second.
    assert any(s.rstrip().endswith(".") and "الرسمية)" in s for s in sources)
    assert any(s.startswith("وبموافقة") for s in sources)
    # A quotation of two sentences is cut into them, each quote mark with its own sentence.
    assert any("«نحن نعمل" in s and s.endswith("الاستقرار.") for s in sources)
    assert any(s.startswith("وهذا هو") and s.endswith("هدفنا الأول».") for s in sources)


def test_english_file_has_one_paragraph_per_source_paragraph(translated):
    table = read_tsv(translated / "article_ar.tsv")
    kept = table[table["kind"] != "boilerplate"]
    english = (translated / "article_ar.en.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in english.split("\n\n") if p.strip()]
    assert len(paragraphs) == kept["para"].nunique()


def test_stdin_to_stdout_matches_file_mode(translated, tiny_model_dir):
    result = run_jisr("translate", "-", "--model", str(tiny_model_dir), stdin=ARTICLE.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    piped = read_tsv(io.StringIO(result.stdout.decode("utf-8")))
    from_file = read_tsv(translated / "article_ar.tsv")
    # The second run is served by the machine-translation cache: the same rows, origin mt-cache.
    assert piped.drop(columns=["doc_id", "origin"]).equals(
        from_file.drop(columns=["doc_id", "origin"]))
    translated_rows = from_file["target"] != ""
    assert set(from_file.loc[translated_rows, "origin"]) == {"mt"}
    assert set(piped.loc[translated_rows, "origin"]) == {"mt-cache"}


def test_directory_mode_and_determinism(tiny_model_dir, tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    shutil.copy(ARTICLE, inputs / "one.txt")
    (inputs / "sub" / "two.txt").write_text("قال الرئيس إن المفاوضات مستمرة.\n", encoding="utf-8")
    (inputs / "notes.md").write_text("not an input", encoding="utf-8")
    runs = []
    for name in ("a", "b"):  # each with its own cache: a warm one would say origin mt-cache
        out = tmp_path / name
        result = run_jisr("translate", str(inputs), "-o", str(out), "--model", str(tiny_model_dir),
                          env=own_cache(tmp_path / f"cache-{name}"))
        assert result.returncode == 0, result.stderr.decode()
        runs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    expected = {Path("one.tsv"), Path("one.en.txt"), Path("sub/two.tsv"), Path("sub/two.en.txt"),
                Path("jisr-manifest.ndjson")}
    assert set(runs[0]) == expected
    assert runs[0] == runs[1]


def test_long_line_without_punctuation_is_translated_in_pieces(tiny_model_dir, tmp_path):
    words = ["الحدود", "الأمن", "المعبر", "الحكومة", "الجنود", "بغداد", "الاتفاق"]
    line = " ".join(words[i % len(words)] for i in range(120_000))  # about 1 MB of UTF-8
    assert len(line.encode("utf-8")) > 1_000_000
    source = tmp_path / "long.txt"
    source.write_text(line, encoding="utf-8")
    out = tmp_path / "out"
    # The random model never stops: a short budget keeps its 1,200 pieces' decoding cheap.
    result = run_jisr("translate", str(source), "-o", str(out), "--model", str(tiny_model_dir),
                      "--beam", "1", "--max-new-tokens", "16")
    assert result.returncode == 0, result.stderr.decode()
    table = read_tsv(out / "long.tsv")
    assert len(table) == 1
    assert table.loc[0, "split"] == "1"
    assert squeeze(table.loc[0, "source"]) == squeeze(line)
    assert table.loc[0, "target"].strip()


def _one_clear_sentence(stderr: bytes) -> str:
    text = stderr.decode("utf-8").strip()
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("jisr: error:")]
    assert len(errors) >= 1, text
    return errors[0]


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_bytes(b"  \n\t\n  \n")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp / "nodir").mkdir()
    (tmp / "nodir" / "readme.md").write_text("nothing to translate here")
    return {
        "missing": tmp / "does-not-exist.txt",
        "empty": tmp / "empty.txt",
        "whitespace-only": tmp / "blank.txt",
        "binary": tmp / "binary.txt",
        "directory-without-inputs": tmp / "nodir",
    }


@pytest.mark.parametrize(
    "case", ["missing", "empty", "whitespace-only", "binary", "directory-without-inputs"]
)
def test_bad_input_gives_one_sentence_and_no_output(case, tiny_model_dir, tmp_path):
    path = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out"
    result = run_jisr("translate", str(path), "-o", str(out), "--model", str(tiny_model_dir))
    assert result.returncode != 0
    _one_clear_sentence(result.stderr)
    assert not out.exists() or not any(out.rglob("*.tsv"))


def _model_without_tokenizer(tiny_model_dir: Path, tmp: Path) -> Path:
    broken = tmp / "no-tokenizer"
    shutil.copytree(tiny_model_dir, broken)
    for spm in broken.glob("*.spm"):
        spm.unlink()
    return broken


@pytest.mark.parametrize("case", ["missing-dir", "no-tokenizer", "offline-hub-id"])
def test_unloadable_model_gives_one_sentence(case, tiny_model_dir, tmp_path):
    model = {
        "missing-dir": str(tmp_path / "no-such-model"),
        "no-tokenizer": str(_model_without_tokenizer(tiny_model_dir, tmp_path)),
        "offline-hub-id": "Helsinki-NLP/opus-mt-ar-en",
    }[case]
    out = tmp_path / "out"
    result = run_jisr("translate", str(ARTICLE), "-o", str(out), "--model", model)
    assert result.returncode == 2
    message = _one_clear_sentence(result.stderr)
    if case == "offline-hub-id":
        assert "--model" in message and "HF_HUB_OFFLINE" in message
    else:
        assert model in message
    assert not out.exists() or not any(out.iterdir())


def test_unwritable_output_gives_one_sentence(tiny_model_dir, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run_jisr(
        "translate", str(ARTICLE), "-o", str(blocker / "out"), "--model", str(tiny_model_dir)
    )
    assert result.returncode == 3
    assert "a-file" in _one_clear_sentence(result.stderr)


def test_the_default_engine_is_ctranslate2(tiny_model_dir, tmp_path):
    """`--engine auto` (the default) must load CTranslate2, not fall back to transformers
    quietly: the tests of the default engine rely on it."""
    result = run_jisr("translate", str(ARTICLE), "-o", str(tmp_path), "--model",
                      str(tiny_model_dir), "--formats", "jsonl", "--max-new-tokens", "8")
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "falling back" not in stderr
    signatures = {json.loads(line)["signature"]
                  for line in (tmp_path / "article_ar.jsonl").read_text().splitlines()}
    assert len(signatures) == 1
    assert "|engine:ctranslate2|" in signatures.pop()
