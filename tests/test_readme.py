"""The README's and docs/'s examples run on a clean clone: the inputs they name are in the
repository, their links lead to files that exist, and every example that needs no model runs as
written and succeeds."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").rglob("*.md"))]
TEXTS = {page: page.read_text(encoding="utf-8") for page in PAGES}
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
# Written by scripts (the CLI reference, the measurements): their code blocks are no examples.
GENERATED = {REPO / "docs" / "cli.md", REPO / "docs" / "measurements.md"}
CODE_LINES = [(page, line.strip()) for page, text in TEXTS.items() if page not in GENERATED
              for block in FENCED.findall(text) for line in block.splitlines()]
# Commands that need no model, so they run here as they stand in the pages.
MODEL_FREE = ("jisr segment ", "jisr glossary ", "jisr eval ")
REPOSITORY_DIRS = ("tests/", "scripts/", "glossary/", "mt/", "aligned/", "docs/")


def _name(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def _command(line: str) -> list[str]:
    return shlex.split(line.split("  #")[0].rstrip("\\ "))


def _repo_paths(line: str) -> list[str]:
    return [word.rstrip("/") for word in _command(line) if word.startswith(REPOSITORY_DIRS)]


def test_the_pages_name_no_input_outside_the_repository():
    assert [_name(page) for page, text in TEXTS.items() if "../shared" in text] == []


def test_every_repository_path_in_an_example_exists():
    paths = {(_name(page), path) for page, line in CODE_LINES
             if line.startswith(("jisr ", "python ", "cat "))
             for path in _repo_paths(line)}
    assert len({page for page, _ in paths}) > 5, "few pages name a file: the test proves little"
    assert sorted(item for item in paths if not (REPO / item[1]).exists()) == []


def test_every_link_to_a_file_of_the_repository_exists():
    links = {(page, target.split("#")[0]) for page, text in TEXTS.items()
             for target in re.findall(r"\]\(([^)\s]+)\)", FENCED.sub("", text))
             if not target.startswith(("http://", "https://", "#"))}
    assert links, "no page links to another: the test would prove nothing"
    missing = sorted((_name(page), target) for page, target in links
                     if not (page.parent / target).resolve().exists())
    assert missing == []


def test_the_readme_stays_short():
    assert len(TEXTS[REPO / "README.md"].splitlines()) <= 220


def test_the_cli_reference_is_what_the_cli_says():
    result = subprocess.run(
        [sys.executable, "scripts/cli_reference.py", "--check"], cwd=REPO, capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


EXAMPLES = sorted({line for _, line in CODE_LINES
                   if line.startswith(MODEL_FREE) or (line.startswith("jisr ")
                                                      and "--no-model" in line
                                                      and "[" not in line)})


@pytest.mark.parametrize("line", EXAMPLES)
def test_model_free_example_runs_as_written(line: str, tmp_path: Path):
    (tmp_path / "tests").symlink_to(REPO / "tests")  # the pages' paths, outputs into tmp_path
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
