"""`jisr mt-cache stats|clear` report on and empty the machine-translation cache of
JISR_CACHE_DIR; `jisr cache`, its name until 0.2, still works and says it is deprecated."""

from __future__ import annotations

from pathlib import Path

import pytest

from mt.cache import TranslationMemory
from tests.cli_helpers import run_jisr
from tests.test_cache import make_hypothesis

DEPRECATION = "`jisr cache` is deprecated"


@pytest.mark.parametrize("command", ["mt-cache", "cache"])
def test_stats_then_clear(tmp_path: Path, command: str):
    env = {"JISR_CACHE_DIR": str(tmp_path)}
    TranslationMemory(tmp_path / "memory.sqlite3").put_many(
        "settings", [(b"a", make_hypothesis()), (b"b", make_hypothesis())]
    )
    stats = run_jisr(command, "stats", env=env)
    assert stats.returncode == 0, stats.stderr
    assert "2 translations under 1 model/decoding settings" in stats.stdout.decode()
    assert str(tmp_path) in stats.stdout.decode()
    assert (DEPRECATION in stats.stderr.decode()) == (command == "cache")
    cleared = run_jisr(command, "clear", env=env)
    assert cleared.returncode == 0 and "removed 2" in cleared.stdout.decode()
    assert "0 translations" in run_jisr(command, "stats", env=env).stdout.decode()
