"""The README's examples run on a clean clone: the inputs they name are in the repository, and
every example that needs no model runs as written and succeeds."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CODE_LINES = [line.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", README, re.S | re.M)
              for line in block.splitlines()]
# Commands that need no model, so they run here as they stand in the README.
MODEL_FREE = ("jisr segment ", "jisr glossary ", "jisr eval ")


def _command(line: str) -> list[str]:
    return shlex.split(line.split("  #")[0].rstrip("\\ "))


def _repo_paths(line: str) -> list[str]:
    return [word.rstrip("/") for word in _command(line)
            if word.startswith(("tests/", "scripts/", "glossary/", "mt/", "aligned/"))]


def test_readme_names_no_input_outside_the_repository():
    assert "../shared" not in README


def test_every_repository_path_in_an_example_exists():
    paths = {path for line in CODE_LINES if line.startswith(("jisr ", "python ", "cat "))
             for path in _repo_paths(line)}
    assert paths, "no example names a file: the test would prove nothing"
    assert sorted(path for path in paths if not (REPO / path).exists()) == []


EXAMPLES = [line for line in CODE_LINES
            if line.startswith(MODEL_FREE) or (line.startswith("jisr ") and "--no-model" in line
                                               and "[" not in line)]


@pytest.mark.parametrize("line", EXAMPLES)
def test_model_free_example_runs_as_written(line: str, tmp_path: Path):
    (tmp_path / "tests").symlink_to(REPO / "tests")  # the README's paths, outputs into tmp_path
    command = _command(line)
    result = subprocess.run(
        [sys.executable, "-m", "mt", *command[1:]], cwd=tmp_path, capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}, timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()
    written = [path for path in tmp_path.iterdir() if path.name != "tests"]
    # A result on stdout, in a file, or (glossary check) a summary on stderr.
    assert result.stdout or result.stderr or written, "the example printed and wrote nothing"


def test_there_are_model_free_examples_of_each_kind():
    kinds = {" ".join(_command(line)[:2]) for line in EXAMPLES}
    assert kinds >= {"jisr segment", "jisr glossary", "jisr eval", "jisr score", "jisr align"}
