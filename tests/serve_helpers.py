"""The serve tests' side of scripts/serve_process.py: the server fails under CI=true, and skips
elsewhere, where FastAPI and uvicorn are missing; both it and `jisr translate` reuse the
session's converted models; the mini model's held-out sentences."""

from __future__ import annotations

from pathlib import Path

import serve_process
from tests.cli_helpers import own_cache, read_tsv
from tests.components import require_module


class Server(serve_process.Server):
    """The service in a cache directory of its own that shares the session's converted models."""

    def __init__(self, *args: str, cache_dir: Path):
        require_module("uvicorn", 'FastAPI and uvicorn (pip install -e ".[serve]")')
        own_cache(cache_dir)
        super().__init__(*args, cache_dir=cache_dir)


def cli_rows(articles: dict[str, str], folder: Path, *args: str) -> dict[str, list[dict]]:
    """serve_process.cli_rows, whose cache directory (`folder`/cache) shares the session's
    converted models."""
    own_cache(folder / "cache")
    return serve_process.cli_rows(articles, folder, *args)


def heldout_sources(model_dir: Path, count: int) -> list[str]:
    """The first `count` distinct held-out sources of the mini model."""
    sources = read_tsv(model_dir / "heldout.tsv")["source"].tolist()
    return list(dict.fromkeys(sources))[:count]


