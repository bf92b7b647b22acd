"""The machine-translation cache: decoded hypotheses in SQLite, so a repeated sentence costs
nothing. (The translation memory, in CAT tools' sense, is the human one: mt.human_memory.)

One file in the user cache directory, in WAL mode so several jisr processes can read and write it
at once. An entry's key is everything that decides the decoder's output: the model (id, revision
and a fingerprint of its files), the engine, the decoding settings, the target prefix forced on
that sentence (the glossary's effect on decoding) and the source as the model sees it, i.e. its
SentencePiece pieces, which are the model's own normalisation. Hypotheses are stored whole, with
log-probs as float64 and attention as .npy bytes, so a hit gives exactly what decoding gave.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mt.engines.alignment_attention import AttentionChoice
from mt.engines.base import DecodeOptions, Engine, Hypothesis, with_calibration
from mt.engines.calibration import Bounds
from mt.engines.model_source import model_key
from mt.errors import InputError
from mt.userdirs import cache_dir

logger = logging.getLogger(__name__)

MEMORY_FILE = "memory.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    key BLOB PRIMARY KEY,
    settings TEXT NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT NOT NULL,
    source_tokens TEXT NOT NULL,
    logprobs BLOB NOT NULL,
    attention BLOB,
    extra TEXT NOT NULL,
    created REAL NOT NULL
) WITHOUT ROWID
"""
# When each output directory's batch began: a hit decoded since then was decoded by this batch
# (a run and its --resume continuations), so its row says origin mt, as an uninterrupted run's.
BATCHES_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (outdir TEXT PRIMARY KEY, started REAL NOT NULL)
"""
LOOKUP_CHUNK = 500  # keys per SELECT, under SQLite's bound-parameter limit
DEFAULT_OPTIONS = DecodeOptions()


@dataclass(frozen=True)
class MemoryStats:
    path: Path
    entries: int
    settings: int  # distinct model/engine/decoding combinations
    size_bytes: int

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.entries} translations under {self.settings} model/decoding "
            f"settings, {self.size_bytes / 1e6:.1f} MB"
        )


class TranslationMemory:
    """The memory file, with one SQLite connection per thread: a connection may only be used by
    the thread that opened it, and a Ray actor builds its translator in one thread and calls it
    from another. Processes share the file through SQLite's own locking (WAL)."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / MEMORY_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.db.execute(SCHEMA)
            self.db.execute(BATCHES_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise unreadable(self.path, error) from error

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Used by this thread only; `close` may close it from another, once all are done.
            connection = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # WAL keeps the file consistent
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def get_many(
        self, keys: Sequence[bytes], earlier_than: float = math.inf
    ) -> dict[bytes, Hypothesis]:
        """The stored hypotheses of `keys`; those stored before `earlier_than` are marked
        from_memory (an earlier batch decoded them)."""
        found: dict[bytes, Hypothesis] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            rows = self.db.execute(
                "SELECT key, text, tokens, source_tokens, logprobs, attention, extra, created "
                f"FROM memory WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for key, *row, created in rows:
                found[key] = _hypothesis(*row)
                found[key].from_memory = created < earlier_than
        return found

    def batch_started(self, output: str, resume: bool) -> float:
        """When the batch writing into `output` (a directory or URI) began: now, or with
        `resume` when the run it resumes began."""
        key, now = output, time.time()
        with self.db:
            if resume:
                row = self.db.execute(
                    "SELECT started FROM batches WHERE outdir = ?", (key,)).fetchone()
                if row:
                    return row[0]
            self.db.execute("INSERT OR REPLACE INTO batches VALUES (?, ?)", (key, now))
        return now

    def put_many(self, settings: str, entries: Iterable[tuple[bytes, Hypothesis]]) -> None:
        now = time.time()
        with self.db:  # one transaction
            self.db.executemany(
                "INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(key, settings, *_row(hyp), now) for key, hyp in entries],
            )

    def stats(self) -> MemoryStats:
        entries, settings = self.db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT settings) FROM memory"
        ).fetchone()
        size = sum(
            file.stat().st_size
            for file in self.path.parent.glob(self.path.name + "*")  # with -wal and -shm
        )
        return MemoryStats(self.path, entries, settings, size)

    def clear(self) -> int:
        with self.db:
            removed = self.db.execute("DELETE FROM memory").rowcount
        self.db.execute("VACUUM")
        return removed

    def close(self) -> None:
        """Close every thread's connection (call it once no thread uses the memory any more)."""
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()


def unreadable(path: Path, error: sqlite3.Error) -> InputError:
    """The error for a memory file that SQLite cannot read as jisr wrote it."""
    return InputError(f"{path} is not a memory file jisr can read ({error}); nothing was "
                      "changed. Move it away and jisr starts a new one.")


def _row(hyp: Hypothesis) -> tuple:
    attention = None
    if hyp.attention is not None:
        buffer = io.BytesIO()
        np.save(buffer, hyp.attention, allow_pickle=False)  # keeps dtype and shape
        attention = buffer.getvalue()
    return (
        hyp.text,
        json.dumps(hyp.tokens, ensure_ascii=False),
        json.dumps(hyp.source_tokens, ensure_ascii=False),
        np.asarray(hyp.token_logprobs, dtype=np.float64).tobytes(),
        attention,
        json.dumps(hyp.extra, ensure_ascii=False),
    )


def _hypothesis(
    text: str, tokens: str, source_tokens: str, logprobs: bytes, attention: bytes | None,
    extra: str,
) -> Hypothesis:
    return Hypothesis(
        text=text,
        tokens=json.loads(tokens),
        token_logprobs=np.frombuffer(logprobs, dtype=np.float64).tolist(),
        source_tokens=json.loads(source_tokens),
        attention=None if attention is None else np.load(io.BytesIO(attention)),
        extra=json.loads(extra),
    )


class CachedEngine:
    """The machine-translation cache around an engine, by composition, not a subclass:
    `translate` looks each sentence up first and has the engine decode only the misses, each
    distinct one once; everything else is the engine's, delegated. It offers the engine's public
    interface (mt.engines.base.TranslationEngine), so every stage takes either."""

    def __init__(self, engine: Engine, memory: TranslationMemory, since: float | None = None):
        self.engine = engine
        self.memory = memory
        # Hits stored before this were decoded by an earlier batch: from_memory (origin mt-cache).
        self.since = time.time() if since is None else since
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.engine.name

    @property
    def model_id(self) -> str:
        return self.engine.model_id

    @property
    def revision(self) -> str | None:
        return self.engine.revision

    @property
    def max_source_tokens(self) -> int:
        return self.engine.max_source_tokens

    @property
    def calibration(self) -> Bounds | None:
        return self.engine.calibration

    @property
    def attention(self) -> AttentionChoice:
        return self.engine.attention

    @calibration.setter
    def calibration(self, bounds: Bounds | None) -> None:
        self.engine.calibration = bounds

    def translate(
        self,
        sources: Sequence[str],
        options: DecodeOptions = DEFAULT_OPTIONS,
        progress: Callable[[int], None] | None = None,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[Hypothesis]:
        settings = (
            f"{model_key(self.model_id, self.revision)}|"
            f"engine:{self.engine.name}/{self.engine.output_version}|"
            f"{options.signature()}|attention:{self.attention.key if options.with_attention else 0}"
            f"{'' if options.with_scores else '|scores:0'}"
        )
        keys = [
            self._key(settings, source, prefixes[i] if prefixes else None)
            for i, source in enumerate(sources)
        ]
        found = self.memory.get_many(list(dict.fromkeys(keys)), earlier_than=self.since)
        todo: dict[bytes, int] = {}  # key -> index of its first source: each decoded once
        for index, key in enumerate(keys):
            if key not in found and key not in todo:
                todo[key] = index
        if progress and len(sources) > len(todo):
            progress(len(sources) - len(todo))
        if todo:
            fresh = self.engine.translate(
                [sources[i] for i in todo.values()],
                options,
                progress,
                [prefixes[i] for i in todo.values()] if prefixes else None,
            )
            found.update(zip(todo, fresh, strict=True))
            self.memory.put_many(settings, zip(todo, fresh, strict=True))
        self.hits += len(sources) - len(todo)
        self.misses += len(todo)
        logger.info(
            "machine-translation cache: %d of %d sentences found",
            len(sources) - len(todo), len(sources),
        )
        return with_calibration([found[key] for key in keys], self.engine.calibration)

    def _key(self, settings: str, source: str, prefix: str | None) -> bytes:
        pieces = "\x1f".join(self.engine.encode(source))
        # The form keys had when forced phrases came before the prefix: old entries still hit.
        forced = f"\x1d{prefix}" if prefix else ""
        return hashlib.sha256(f"{settings}\x1e{forced}\x1e{pieces}".encode()).digest()[:20]

    def score(
        self, sources: Sequence[str], targets: Sequence[str], max_batch_tokens: int = 4096,
        with_attention: bool = True,
    ) -> list[Hypothesis]:
        return self.engine.score(sources, targets, max_batch_tokens, with_attention)

    def alternatives(
        self, source: str, count: int, options: DecodeOptions = DEFAULT_OPTIONS
    ) -> list[str]:
        return self.engine.alternatives(source, count, options)  # offered, never stored

    def encode(self, text: str) -> list[str]:
        return self.engine.encode(text)

    def count_source_tokens(self, text: str) -> int:
        return self.engine.count_source_tokens(text)

    def signature(self) -> str:
        return self.engine.signature()
