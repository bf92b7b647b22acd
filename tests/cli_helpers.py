"""Running the real CLI as a subprocess, the way users and pipelines run it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def run_jisr(*args: str, stdin: bytes | None = None, env: dict | None = None):
    """Run `python -m mt ARGS` from the repository root; returns the CompletedProcess."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mt", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=900,
    )


def read_tsv(path_or_buffer) -> pd.DataFrame:
    """Read a jisr TSV the way the contract says: no quoting, everything as text."""
    return pd.read_csv(
        path_or_buffer, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False
    )
