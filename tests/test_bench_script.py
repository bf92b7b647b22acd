"""scripts/bench.py --quick, as a fresh clone runs it: every setting that wraps jisr's own
functions (the translate settings patch the pipeline's stages) must still match them. A random
tiny model stands in for the opus-mt-ar-en shaped one, which the script builds itself."""

from __future__ import annotations

import shutil
import subprocess
import sys

from cli_helpers import REPO

SETTINGS = ("plain", "ctranslate2", "translate")


def test_quick_benchmark_measures_every_setting(tiny_model_dir, tmp_path):
    build = tmp_path / "build"
    shutil.copytree(tiny_model_dir, build / "opus-mt-ar-en-random")
    result = subprocess.run(
        [sys.executable, "scripts/bench.py", "--quick", "--build-dir", str(build),
         "--settings", ",".join(SETTINGS), "--runs", "1", "--sentences", "2", "--tokens", "4"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {line.split("|")[1].strip(): line.split("|")
            for line in result.stdout.splitlines() if line.startswith("| ")}
    for setting in SETTINGS:
        assert float(rows[setting][3]) > 0, result.stdout  # target tokens/s, median
    assert "segment(s) to retry" in result.stdout  # the translate setting's stage breakdown
