"""Human translations: reviewed targets that `jisr translate` serves before any decoding.

They live in the translation memory's SQLite file (its own table), keyed by the source as the
model sees it (`normalize_for_mt`: Unicode forms, invisible marks, digits and spacing made
uniform), so an exact match survives the cosmetic differences between a scraped article and a
CAT tool's copy of it. Unlike decoded entries they hold for every model and setting: a human
translation does not depend on how a machine would have translated. Each keeps where it came
from (file, unit id) and when it was imported. A later import of the same source replaces the
earlier translation; `store` says what it replaced.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mt.arabic import normalize_for_mt
from mt.cache import MEMORY_FILE
from mt.userdirs import cache_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS human (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    file TEXT NOT NULL,
    unit TEXT NOT NULL,
    imported REAL NOT NULL
) WITHOUT ROWID
"""
LOOKUP_CHUNK = 500  # keys per SELECT, under SQLite's bound-parameter limit


def source_key(source: str) -> str:
    return normalize_for_mt(source)


@dataclass(frozen=True)
class HumanTranslation:
    source: str
    target: str
    file: str  # where it was imported from
    unit: str  # its id there: an XLIFF trans-unit id, a TMX tuid, a TSV doc_id:seg
    imported: float = 0.0  # seconds since the epoch; set when stored

    @property
    def key(self) -> str:
        return source_key(self.source)


@dataclass(frozen=True)
class Stored:
    """What storing one translation did: added, replaced `previous`, or nothing (the memory
    already held the same target)."""

    translation: HumanTranslation
    outcome: str  # "added", "replaced" or "unchanged"
    previous: HumanTranslation | None = None


class HumanMemory:
    """One connection, for the thread that made it: every process or thread opens its own."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / MEMORY_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(SCHEMA)

    def lookup(self, sources: Sequence[str]) -> dict[str, HumanTranslation]:
        """The human translation of each source that has one, by `source_key`."""
        keys = list(dict.fromkeys(source_key(source) for source in sources))
        found: dict[str, HumanTranslation] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            rows = self.db.execute(
                "SELECT key, source, target, file, unit, imported FROM human "
                f"WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for key, *row in rows:
                found[key] = HumanTranslation(*row)
        return found

    def store(self, translations: Iterable[HumanTranslation]) -> list[Stored]:
        """Store every translation in one transaction, in order: a later one for the same source
        replaces an earlier one. All or nothing."""
        now = time.time()
        outcomes = []
        with self.db:
            for translation in translations:
                key = translation.key
                row = self.db.execute(
                    "SELECT source, target, file, unit, imported FROM human WHERE key = ?", (key,)
                ).fetchone()
                previous = HumanTranslation(*row) if row else None
                if previous is not None and previous.target == translation.target:
                    outcomes.append(Stored(translation, "unchanged", previous))
                    continue
                self.db.execute(
                    "INSERT OR REPLACE INTO human VALUES (?, ?, ?, ?, ?, ?)",
                    (key, translation.source, translation.target, translation.file,
                     translation.unit, now),
                )
                outcomes.append(Stored(translation, "replaced" if previous else "added", previous))
        return outcomes

    def __iter__(self) -> Iterator[HumanTranslation]:
        """Every human translation, oldest import first."""
        rows = self.db.execute(
            "SELECT source, target, file, unit, imported FROM human ORDER BY imported, key"
        )
        for row in rows:
            yield HumanTranslation(*row)

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM human").fetchone()[0]

    def clear(self) -> int:
        with self.db:
            return self.db.execute("DELETE FROM human").rowcount

    def close(self) -> None:
        self.db.close()
