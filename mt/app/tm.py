"""`jisr tm`: the translation memory (human translations), imported from reviewed files,
exported as TMX, counted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligned.formats.base import atomic_write
from aligned.formats.tmx import human_tmx
from aligned.reviewed.importing import FileReport, import_reviewed
from mt.cache import TranslationMemory
from mt.human_memory import HumanMemory


def import_files(paths: Sequence[str | Path]) -> list[FileReport]:
    return import_reviewed(paths, HumanMemory())


def export_tmx(path: Path) -> int:
    """Write every human translation to `path` as TMX 1.4; returns how many."""
    memory = HumanMemory()
    translations = list(memory)
    atomic_write(path, human_tmx(translations))
    return len(translations)


def stats() -> list[str]:
    """The file's entries: the translation memory's human translations, and the
    machine-translation cache's entries (served as origin `mt-cache`)."""
    human = list(HumanMemory())
    machine = TranslationMemory().stats()
    files = len({translation.file for translation in human})
    return [
        f"{machine.path} ({machine.size_bytes / 1e6:.1f} MB)",
        f"human: {len(human)} translation(s) imported from {files} file(s)",
        f"mt-cache: {machine.entries} machine translation(s) under {machine.settings} "
        "model/decoding setting(s)",
    ]
