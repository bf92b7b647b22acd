"""Shared fixtures. The tiny Marian model is built once per test session (a few seconds); the
trained mini model once per content of the scripts that make it, cached on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

import mini_models
from make_tiny_model import build_model
from tests.cli_helpers import own_cache

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised MarianMT model with real SentencePiece models (opus-mt layout)."""
    return build_model(tmp_path_factory.mktemp("tiny_model"), "tiny", 0)


def _trained(world: str) -> Path:
    try:
        return mini_models.trained(mini_models.WORLDS[world])
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def mini_model_dir() -> Path:
    """The default world's trained mini model (scripts/mini_models.py)."""
    return _trained("default")


@pytest.fixture(scope="session")
def plain_world_model_dir() -> Path:
    """The plain world's mini model: the glossary's tests measure on both worlds."""
    return _trained("plain")


@pytest.fixture(scope="session", autouse=True)
def isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Converted models and the translation memory go to a session tmp dir, never the user's
    cache; CLI subprocesses inherit the variable."""
    with pytest.MonkeyPatch.context() as patch:
        path = tmp_path_factory.mktemp("jisr_cache")
        patch.setenv("JISR_CACHE_DIR", str(path))
        yield path


@pytest.fixture
def own_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of the test's own (`own_cache`), in the environment: a calibration or
    memory entry written there is seen by no other test."""
    path = tmp_path / "cache"
    monkeypatch.setenv("JISR_CACHE_DIR", own_cache(path)["JISR_CACHE_DIR"])
    return path


# Fixtures that build or load a model: a test that uses one is slow wherever it stands, so that
# `pytest -m "not slow"` (the README's fast command) trains and loads nothing.
MODEL_FIXTURES = ("tiny_model_dir", "mini_model_dir", "plain_world_model_dir")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(name in MODEL_FIXTURES for name in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
