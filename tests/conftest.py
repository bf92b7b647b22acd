"""Shared fixtures. The tiny Marian model is built once per test session (a few seconds); the
trained mini model once per content of the scripts that make it, cached on disk."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from make_tiny_model import build_model

REPO = Path(__file__).resolve().parent.parent
# Everything the trained model and heldout.tsv depend on.
MINI_MODEL_INPUTS = (
    "scripts/train_mini_model.py", "scripts/mini_world.py", "scripts/make_tiny_model.py",
    "glossary/data/default.tsv",
)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised MarianMT model with real SentencePiece models (opus-mt layout)."""
    return build_model(tmp_path_factory.mktemp("tiny_model"), "tiny", 0)


def mini_model_cache() -> Path:
    """Where trained mini models are kept between sessions: $JISR_TEST_MODELS, else
    ~/.cache/jisr-test-models (outside the repository, shared by worktrees)."""
    default = Path.home() / ".cache" / "jisr-test-models"
    return Path(os.environ.get("JISR_TEST_MODELS", default))


def mini_model_key(switches: tuple[str, ...] = ()) -> str:
    import torch
    import transformers

    digest = hashlib.sha256(f"{torch.__version__} {transformers.__version__}".encode())
    for name in MINI_MODEL_INPUTS:
        digest.update((REPO / name).read_bytes())
    digest.update(" ".join(switches).encode())
    return digest.hexdigest()[:16]


def trained_mini_model(switches: tuple[str, ...] = ()) -> Path:
    """The trained mini model of scripts/train_mini_model.py with these command-line switches,
    and its heldout.tsv and test.tsv. Trained (a few minutes) only when no model of the same
    scripts and switches is cached; a lock makes concurrent sessions train once, and the
    directory appears whole (renamed into place)."""
    cache = mini_model_cache()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"mini-{mini_model_key(switches)}"
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            work = Path(tempfile.mkdtemp(dir=cache, prefix=".training-"))
            try:
                result = subprocess.run(
                    [sys.executable, str(REPO / "scripts" / "train_mini_model.py"), str(work),
                     *switches],
                    capture_output=True, timeout=3600,
                )
                if result.returncode:
                    pytest.fail(f"train_mini_model.py failed: {result.stderr.decode()[-2000:]}")
                work.rename(target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    return target


# The world opus-mt-ar-en resembles more than the default one: it never saw a glossary rendering
# in its Arabic, and a quarter of its English uses the house renderings.
PLAIN_WORLD = ("--no-injected-renderings", "--house-share", "0.25")


@pytest.fixture(scope="session")
def mini_model_dir() -> Path:
    """The default world's trained mini model (trained_mini_model)."""
    return trained_mini_model()


@pytest.fixture(scope="session")
def plain_world_model_dir() -> Path:
    """The mini model of PLAIN_WORLD: the glossary's tests measure on both worlds."""
    return trained_mini_model(PLAIN_WORLD)


@pytest.fixture(scope="session", autouse=True)
def isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Converted models and the translation memory go to a session tmp dir, never the user's
    cache; CLI subprocesses inherit the variable."""
    with pytest.MonkeyPatch.context() as patch:
        path = tmp_path_factory.mktemp("jisr_cache")
        patch.setenv("JISR_CACHE_DIR", str(path))
        yield path


# Fixtures that build or load a model: a test that uses one is slow wherever it stands, so that
# `pytest -m "not slow"` (the README's fast command) trains and loads nothing.
MODEL_FIXTURES = ("tiny_model_dir", "mini_model_dir", "plain_world_model_dir")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(name in MODEL_FIXTURES for name in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
