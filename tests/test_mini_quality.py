"""The quality score with a model that translates (the trained mini model): calibrated on the
model's own distribution, its signals separate broken pairs from intact ones better than the
model-free signals, flag at most 1% of intact pairs, and the retry of weak translations is rare."""

from __future__ import annotations

import pytest

from aligned.calibration import bounds_of
from measure_quality import measure
from tests.cli_helpers import read_tsv, run_jisr


def test_bounds_follow_the_distribution():
    """90% of the values get full marks, the 1st percentile at least 0.75, and the bounds
    move with the distribution, whatever its scale."""
    import numpy as np

    values = list(np.linspace(-1.0, -0.1, 200))
    floor, ceiling = bounds_of(values)
    assert np.mean([v >= ceiling for v in values]) == pytest.approx(0.9, abs=0.01)
    tail = np.percentile(values, 1)
    assert (tail - floor) / (ceiling - floor) >= 0.75
    assert bounds_of([x * 10 for x in values]) == pytest.approx((floor * 10, ceiling * 10))


@pytest.mark.parametrize("engine", ["auto", "transformers"])
def test_calibrated_model_adds_information(mini_model_dir, own_cache_dir, engine):
    results = measure(mini_model_dir, engine, cache=own_cache_dir)
    calibrated, no_model = results["model, calibrated"], results["no model"]
    assert calibrated["overall"] >= 0.99
    assert calibrated["swapped"] >= 0.98
    assert calibrated["intact flagged"] <= 0.01
    assert calibrated["overall"] > no_model["overall"]
    assert calibrated["swapped"] > no_model["swapped"]


def test_calibration_is_kept_and_used(mini_model_dir, own_cache_dir, tmp_path):
    from mt.app.calibrate import calibrate_model
    from mt.engines import load_engine

    heldout = read_tsv(mini_model_dir / "heldout.tsv")
    before = load_engine("ctranslate2", str(mini_model_dir))
    assert before.calibration is None and "|cal:" not in before.signature()
    path, bounds = calibrate_model(before, list(heldout["source"]), list(heldout["reference"]))
    assert path.is_relative_to(own_cache_dir)
    after = load_engine("auto", str(mini_model_dir))
    assert after.calibration.keys() == bounds.keys()
    for name, pair in bounds.items():  # approx compares no nested mappings in newer pytest
        assert after.calibration[name] == pytest.approx(pair)
    assert "|cal:" in after.signature()
    hyp = after.translate([heldout["source"][0]])[0]
    assert hyp.extra["calibration"] == bounds

    source = tmp_path / "heldout.txt"
    source.write_text("\n".join(heldout["source"]) + "\n", encoding="utf-8")
    result = run_jisr("translate", str(source), "-o", str(tmp_path / "out"), "--model",
                      str(mini_model_dir), "--no-default-glossary", "--no-cache")
    assert result.returncode == 0, result.stderr.decode()
    rows = read_tsv(tmp_path / "out" / "heldout.tsv")
    assert (rows["retried"] == "1").mean() <= 0.02  # rare on a model that translates


def test_the_glossary_words_are_not_the_models_doubt(mini_model_dir, own_cache_dir):
    """Calibrated with the glossary on, of the sentences that come out exactly as the house
    wants at most 3% are flagged review or bad, and the signals still tell those translations
    from broken ones (a loop, a lost half, a changed number...) with the renderings known."""
    from measure_quality import measure_translated, read_rows
    from mt.app.calibrate import calibrate_model
    from mt.engines import load_engine

    heldout = read_rows((mini_model_dir / "heldout.tsv").read_text(encoding="utf-8"))
    half = len(heldout) // 2
    calibrate_model(load_engine("ctranslate2", str(mini_model_dir)),
                    [r["source"] for r in heldout[:half]],
                    [r["reference"] for r in heldout[:half]])
    found = measure_translated(mini_model_dir, "ctranslate2", heldout[half:], own_cache_dir)
    glossed = found["translate, default glossary"]
    assert glossed["exact"] >= 0.8 * half
    assert glossed["exact flagged"] <= 0.03
    assert found["glossary's exact pairs, forced"]["overall"] >= 0.99
