"""Shared fixtures. The tiny Marian model is built once per test session (a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.make_tiny_model import build_model  # scripts/ is a namespace package on pythonpath


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised MarianMT model with real SentencePiece models (opus-mt layout)."""
    return build_model(tmp_path_factory.mktemp("tiny_model"), "tiny", 0)


@pytest.fixture(scope="session", autouse=True)
def isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Converted models and the translation memory go to a session tmp dir, never the user's
    cache; CLI subprocesses inherit the variable."""
    with pytest.MonkeyPatch.context() as patch:
        path = tmp_path_factory.mktemp("jisr_cache")
        patch.setenv("JISR_CACHE_DIR", str(path))
        yield path
