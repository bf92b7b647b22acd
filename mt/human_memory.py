"""The translation memory: human translations, reviewed targets that `jisr translate` serves
before any decoding.

They live in the machine-translation cache's SQLite file (their own table), keyed by the source
as the model sees it (`normalize_for_mt`: Unicode forms, invisible marks, digits and spacing made
uniform), so an exact match survives the cosmetic differences between a scraped article and a
CAT tool's copy of it. Unlike decoded entries they hold for every model and setting: a human
translation does not depend on how a machine would have translated. Each keeps where it came
from (file, unit id) and when it was imported. A later import of the same source replaces the
earlier translation; `store` says what it replaced.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from mt.arabic import normalize_for_mt
from mt.cache import TranslationMemory, unreadable

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


def digest(translations: Mapping[str, HumanTranslation]) -> str:
    """A short hash of what `translations` would serve, for the output signature."""
    content = hashlib.sha256()
    for key in sorted(translations):
        content.update(f"{key}\x1e{translations[key].target}\x1d".encode())
    return content.hexdigest()[:12]


def _translation(row: tuple) -> HumanTranslation:
    return HumanTranslation(*row)


class HumanMemory:
    """The translation memory: the human translations' table in the cache's file, through its
    connections (one per thread)."""

    def __init__(self, path: Path | None = None):
        self.memory = TranslationMemory(path)
        self.path = self.memory.path
        try:
            self.db.execute(SCHEMA)
            self.db.execute("SELECT source, target, file, unit, imported FROM human LIMIT 0")
        except sqlite3.DatabaseError as error:  # a `human` table of another shape
            raise unreadable(self.path, error) from error

    @property
    def db(self) -> sqlite3.Connection:
        return self.memory.db

    def load(self) -> dict[str, HumanTranslation]:
        """Every human translation by `source_key`: what a run serves, read once at its start
        so that an import during the run changes none of its outputs."""
        rows = self.db.execute("SELECT source, target, file, unit, imported FROM human")
        return {translation.key: translation for translation in map(_translation, rows)}

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
                previous = _translation(row) if row else None
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
        yield from map(_translation, rows)

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM human").fetchone()[0]

    def clear(self) -> int:
        with self.db:
            return self.db.execute("DELETE FROM human").rowcount

    def close(self) -> None:
        self.memory.close()
