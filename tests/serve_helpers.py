"""The serve tests' side of scripts/serve_process.py: the server fails under CI=true, and skips
elsewhere, where FastAPI and uvicorn are missing; the mini model's held-out sentences."""

from __future__ import annotations

from pathlib import Path

import serve_process
from tests.cli_helpers import read_tsv
from tests.components import require_module


class Server(serve_process.Server):
    def __init__(self, *args: str, cache_dir: Path):
        require_module("uvicorn", 'FastAPI and uvicorn (pip install -e ".[serve]")')
        super().__init__(*args, cache_dir=cache_dir)


def heldout_sources(model_dir: Path, count: int) -> list[str]:
    """The first `count` distinct held-out sources of the mini model."""
    sources = read_tsv(model_dir / "heldout.tsv")["source"].tolist()
    return list(dict.fromkeys(sources))[:count]


