"""Running the real CLI as a subprocess, the way users and pipelines run it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def _env(env: dict | None) -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO), **(env or {})}


def own_cache(path: Path) -> dict[str, str]:
    """The environment of a cache directory of its own at `path`: a fresh translation memory and
    no calibration, but the session's converted models (linked, not copied). Converting the same
    model again would prove nothing new and costs each test seconds."""
    from mt.engines.ct2_conversion import CONVERTED_DIR

    shared = Path(os.environ["JISR_CACHE_DIR"]) / CONVERTED_DIR
    shared.mkdir(parents=True, exist_ok=True)
    path.mkdir(parents=True, exist_ok=True)
    if not (path / CONVERTED_DIR).exists():
        (path / CONVERTED_DIR).symlink_to(shared, target_is_directory=True)
    return {"JISR_CACHE_DIR": str(path)}


def run_jisr(*args: str, stdin: bytes | None = None, env: dict | None = None):
    """Run `python -m mt ARGS` from the repository root; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "mt", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        env=_env(env),
        timeout=900,
    )


def start_jisr(*args: str, env: dict | None = None, stderr=subprocess.PIPE) -> subprocess.Popen:
    """Start `python -m mt ARGS` without waiting, to signal it while it runs. A long run should
    send `stderr` to a file: nobody reads the pipe while it runs, and a full pipe blocks it."""
    return subprocess.Popen(
        [sys.executable, "-m", "mt", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env=_env(env),
    )


def read_tsv(path_or_buffer) -> pd.DataFrame:
    """Read a jisr TSV the way the contract says: no quoting, everything as text."""
    return pd.read_csv(
        path_or_buffer, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False
    )


def read_tsv_rows(path_or_buffer) -> list[dict[str, str]]:
    """A jisr TSV as a list of rows, each a dict of column -> text."""
    return read_tsv(path_or_buffer).to_dict("records")
