"""Where jisr keeps its files: converted models and the machine-translation cache (both can be
rebuilt), and the translation memory (human translations, which cannot)."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "JISR_CACHE_DIR"


def cache_dir() -> Path:
    """The user cache directory, or $JISR_CACHE_DIR when set (tests point it at a tmp dir)."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("jisr"))
