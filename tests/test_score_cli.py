"""`jisr score` through the real CLI: a corrected TSV comes back in and goes out scored."""

import io
import json
from pathlib import Path

import pytest

from mt.app.score import render_tsv
from tests.cli_helpers import read_tsv, run_jisr
from tests.test_score_ranking import build_pairs

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def pairs_tsv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("score_cli") / "pairs.tsv"
    path.write_text(render_tsv(build_pairs()), encoding="utf-8")
    return path


def test_score_no_model_writes_the_tsv_back_to_stdout(pairs_tsv):
    result = run_jisr("score", str(pairs_tsv), "--no-model")
    assert result.returncode == 0, result.stderr.decode()
    table = read_tsv(io.StringIO(result.stdout.decode("utf-8")))
    assert list(table.columns[:3]) == ["kind_of_pair", "source", "target"]
    assert {"score", "flag", "numbers", "repetition", "reasons"} <= set(table.columns)
    intact = table[table.kind_of_pair == "intact"].score.astype(float).mean()
    broken = table[table.kind_of_pair != "intact"].score.astype(float).mean()
    assert intact > broken + 0.3


def test_score_writes_every_requested_format_next_to_the_output(pairs_tsv, tmp_path):
    out = tmp_path / "scored.tsv"
    result = run_jisr(
        "score", str(pairs_tsv), "--no-model", "-o", str(out), "--formats", "tsv,jsonl,tmx,html"
    )
    assert result.returncode == 0, result.stderr.decode()
    assert len(read_tsv(out)) == len(build_pairs())
    records = [json.loads(line) for line in (tmp_path / "scored.jsonl").open(encoding="utf-8")]
    # No model; what decides score and flag (weights, thresholds) recorded; the version last.
    assert records[0]["signature"].startswith("model:none|weights:")
    assert "|ok:0.7|bad:0.4|" in records[0]["signature"]
    assert records[0]["signature"].rsplit("|", 1)[1].startswith("v:")
    assert (tmp_path / "scored.tmx").exists() and (tmp_path / "scored.html").exists()


def test_score_reads_a_tmx_back(tmp_path, pairs_tsv):
    run_jisr("score", str(pairs_tsv), "--no-model", "-o", str(tmp_path / "a.tsv"),
             "--formats", "tmx")
    result = run_jisr("score", str(tmp_path / "a.tmx"), "--no-model")
    assert result.returncode == 0, result.stderr.decode()
    assert len(read_tsv(io.StringIO(result.stdout.decode()))) == len(build_pairs())


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["missing.tsv", "--no-model"], "does not exist", id="missing-file"),
        pytest.param([str(DATA / "tmx14.dtd"), "--no-model"], "cannot read", id="unknown-suffix"),
        pytest.param([str(DATA / "pairs.tsv"), "--no-model", "--formats", "html"], "-o",
                     id="formats-without-output"),
    ],
)
def test_score_errors_are_one_sentence(args, message):
    result = run_jisr("score", *args)
    assert result.returncode != 0
    stderr = result.stderr.decode()
    assert message in stderr and "Traceback" not in stderr


def test_score_cleans_every_field_as_the_translation_tsv_does(tmp_path):
    # JSON may carry a line separator or a vertical tab inside a field; the scored TSV may not
    # (str.splitlines would cut the row), and no word is lost: each becomes a space.
    records = [
        {"source": "قال الوزير إن الحدود مفتوحة.", "target": "The minister\u2028said the border"
                                                         "\x0bis open."},
        {"source": "وصل الوفد أمس.", "target": "The delegation\r\narrived yesterday."},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run_jisr("score", str(path), "--no-model")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert len(text.splitlines()) == 1 + len(records)
    table = read_tsv(io.StringIO(text))
    assert table["target"].tolist() == ["The minister said the border is open.",
                                        "The delegation arrived yesterday."]
