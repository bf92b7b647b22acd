"""`jisr cache stats|clear` report on and empty the translation memory of JISR_CACHE_DIR."""

from __future__ import annotations

from pathlib import Path

from mt.cache import TranslationMemory
from tests.cli_helpers import run_jisr
from tests.test_cache import make_hypothesis


def test_stats_then_clear(tmp_path: Path):
    env = {"JISR_CACHE_DIR": str(tmp_path)}
    TranslationMemory(tmp_path / "memory.sqlite3").put_many(
        "settings", [(b"a", make_hypothesis()), (b"b", make_hypothesis())]
    )
    stats = run_jisr("cache", "stats", env=env)
    assert stats.returncode == 0, stats.stderr
    assert "2 translations under 1 model/decoding settings" in stats.stdout.decode()
    assert str(tmp_path) in stats.stdout.decode()
    cleared = run_jisr("cache", "clear", env=env)
    assert cleared.returncode == 0 and "removed 2" in cleared.stdout.decode()
    assert "0 translations" in run_jisr("cache", "stats", env=env).stdout.decode()
