"""`jisr eval`: sacrebleu corpus scores with signatures; mismatched files are one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run_jisr

REFERENCE = ["The minister arrived in Baghdad on Monday.", "Talks will resume next week."]


def test_a_hypothesis_equal_to_its_reference_scores_100(tmp_path: Path):
    ref = tmp_path / "ref.en.txt"
    ref.write_text("\n".join(REFERENCE) + "\n", encoding="utf-8")
    result = run_jisr("eval", str(ref), str(ref), "--metrics", "bleu,chrf,ter")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines] == ["BLEU", "chrF2", "TER"]
    assert "= 100.00" in lines[0] and "= 100.00" in lines[1] and "= 0.00" in lines[2]
    assert all("|version:" in line for line in lines)


@pytest.mark.parametrize(
    "hyp_lines, metrics, message",
    [
        pytest.param(REFERENCE[:1], "bleu", "has 1 lines but", id="line-counts-differ"),
        pytest.param(REFERENCE, "meteor", "Unknown metric", id="unknown-metric"),
    ],
)
def test_bad_eval_input_is_one_sentence(tmp_path: Path, hyp_lines, metrics, message):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(hyp_lines) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REFERENCE) + "\n", encoding="utf-8")
    result = run_jisr("eval", str(hyp), str(ref), "--metrics", metrics)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr and message in stderr


def test_missing_reference_is_one_sentence(tmp_path: Path):
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("x\n", encoding="utf-8")
    result = run_jisr("eval", str(hyp), str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert result.stderr.decode().strip().startswith("jisr: error: Input file")
