"""The translation memory gives back exactly what decoding gave, keys on everything that changes
the output, and decodes each distinct miss once."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from mt.cache import CachedEngine, TranslationMemory
from mt.engines import DecodeOptions, Hypothesis

REPEATED = "قال الرئيس إن الاجتماع انتهى."
SOURCES = [REPEATED, "وصل الوزير إلى القاهرة.", REPEATED]
OPTIONS = DecodeOptions(beam=2, max_new_tokens=10)


def make_hypothesis(with_attention: bool = True) -> Hypothesis:
    return Hypothesis(
        text="The minister arrived.",
        tokens=["▁The", "▁minister", "▁arrived", "."],
        token_logprobs=[-0.5, -1.25, -0.1, -2.0, -0.015625],
        source_tokens=["▁وصل", "▁الوزير"],
        attention=np.array([[0.25, 0.75], [0.5, 0.5], [1.0, 0.0], [0.1, 0.9]], dtype=np.float32)
        if with_attention
        else None,
        extra={"forced": ["Cairo"]},
    )


@pytest.mark.parametrize(
    "with_attention", [pytest.param(True, id="attention"), pytest.param(False, id="none")]
)
def test_round_trip_is_exact(tmp_path: Path, with_attention: bool):
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    hyp = make_hypothesis(with_attention)
    memory.put_many("settings", [(b"k", hyp)])
    back = TranslationMemory(tmp_path / "m.sqlite3").get_many([b"k", b"missing"])
    assert list(back) == [b"k"]
    got = back[b"k"]
    assert (got.text, got.tokens, got.source_tokens, got.extra) == (
        hyp.text, hyp.tokens, hyp.source_tokens, hyp.extra
    )
    assert got.token_logprobs == hyp.token_logprobs
    if with_attention:
        np.testing.assert_array_equal(got.attention, hyp.attention)
    else:
        assert got.attention is None


def test_memory_file_uses_wal_and_serves_two_connections(tmp_path: Path):
    path = tmp_path / "m.sqlite3"
    writer, reader = TranslationMemory(path), TranslationMemory(path)
    writer.put_many("settings", [(b"a", make_hypothesis())])
    assert b"a" in reader.get_many([b"a"])
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_stats_and_clear(tmp_path: Path):
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    memory.put_many("one", [(b"a", make_hypothesis()), (b"b", make_hypothesis())])
    memory.put_many("two", [(b"c", make_hypothesis())])
    stats = memory.stats()
    assert (stats.entries, stats.settings) == (3, 2)
    assert stats.size_bytes > 0
    assert memory.clear() == 3
    assert memory.stats().entries == 0


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("JISR_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert TranslationMemory().path.parent == tmp_path / "elsewhere"


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path):
    from mt.engines.ctranslate2_engine import CTranslate2Engine

    return CTranslate2Engine(str(tiny_model_dir), threads=1)


@pytest.mark.slow
def test_hits_equal_fresh_decoding_and_repeats_decode_once(engine, tmp_path: Path):
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    cached = CachedEngine(engine, memory)
    first = cached.translate(SOURCES, OPTIONS)
    assert cached.misses == 2  # the repeated sentence is decoded once
    second = cached.translate(SOURCES, OPTIONS)
    assert cached.misses == 2 and cached.hits == 4
    fresh = engine.translate(SOURCES, OPTIONS)
    for a, b, c in zip(first, second, fresh, strict=True):
        assert a.text == b.text == c.text
        assert a.token_logprobs == pytest.approx(c.token_logprobs, abs=0)
        np.testing.assert_array_equal(b.attention, c.attention)


@pytest.mark.slow
@pytest.mark.parametrize(
    "options, prefixes",
    [
        pytest.param(DecodeOptions(beam=1, max_new_tokens=10), None, id="beam"),
        pytest.param(DecodeOptions(beam=2, max_new_tokens=12), None, id="max-length"),
        pytest.param(DecodeOptions(beam=2, max_new_tokens=10, no_repeat_ngram_size=2), None,
                     id="no-repeat"),
        pytest.param(DecodeOptions(beam=2, max_new_tokens=10, with_attention=False), None,
                     id="attention"),
        pytest.param(DecodeOptions(beam=2, max_new_tokens=10, with_scores=False), None,
                     id="unscored"),
        pytest.param(OPTIONS, ["Cairo"] * 3, id="glossary-prefix"),
    ],
)
def test_any_change_of_settings_misses(engine, tmp_path: Path, options, prefixes):
    cached = CachedEngine(engine, TranslationMemory(tmp_path / "m.sqlite3"))
    cached.translate(SOURCES, OPTIONS)
    cached.translate(SOURCES, options, prefixes=prefixes)
    assert cached.misses == 4


@pytest.mark.slow
def test_batch_budget_does_not_change_the_key(engine, tmp_path: Path):
    cached = CachedEngine(engine, TranslationMemory(tmp_path / "m.sqlite3"))
    cached.translate(SOURCES, OPTIONS)
    cached.translate(SOURCES, DecodeOptions(beam=2, max_new_tokens=10, max_batch_tokens=64))
    assert cached.misses == 2


@pytest.mark.slow
def test_a_new_engine_output_version_misses(engine, tmp_path: Path, monkeypatch):
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    CachedEngine(engine, memory).translate(SOURCES, OPTIONS)
    monkeypatch.setattr(type(engine), "output_version", engine.output_version + 1)
    cached = CachedEngine(engine, memory)
    cached.translate(SOURCES, OPTIONS)
    assert cached.misses == 2 and cached.hits == 1


def test_memory_built_in_one_thread_serves_another(tmp_path: Path):
    """A Ray actor builds its translator (and memory) in one thread and calls it from another."""
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    memory.put_many("settings", [(b"main", make_hypothesis())])
    found: dict = {}

    def work() -> None:
        memory.put_many("settings", [(b"thread", make_hypothesis())])
        found.update(memory.get_many([b"main", b"thread"]))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert sorted(found) == [b"main", b"thread"]
    assert sorted(memory.get_many([b"main", b"thread"])) == [b"main", b"thread"]
    memory.close()


def _write_entries(path: str, worker: int, count: int) -> None:
    memory = TranslationMemory(Path(path))
    for start in range(0, count, 10):  # many small transactions, interleaving with the other
        memory.put_many("settings", [(f"{worker}-{i}".encode(), make_hypothesis())
                                     for i in range(start, start + 10)])
    memory.close()


def test_two_processes_writing_the_same_memory_at_once_lose_nothing(tmp_path: Path):
    path = tmp_path / "m.sqlite3"
    TranslationMemory(path).close()  # the schema exists before both start
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_entries, args=(str(path), w, 300)) for w in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    keys = [f"{w}-{i}".encode() for w in (0, 1) for i in range(300)]
    assert len(TranslationMemory(path).get_many(keys)) == 600


def test_hits_of_an_earlier_batch_are_marked_and_a_resumed_batch_keeps_its_start(tmp_path):
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    started = memory.batch_started("/out/a", resume=False)
    memory.put_many("settings", [(b"k", make_hypothesis())])  # decoded by the batch into a
    assert memory.batch_started("/out/a", resume=True) == started
    assert not memory.get_many([b"k"], earlier_than=started)[b"k"].from_memory
    later = memory.batch_started("/out/b", resume=True)  # nothing to resume: begins now
    assert memory.get_many([b"k"], earlier_than=later)[b"k"].from_memory
