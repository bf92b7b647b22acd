"""`jisr tm`: the translation memory (human translations), imported from reviewed files,
exported as TMX, counted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligned.formats.base import atomic_write
from aligned.formats.tmx import human_tmx
from aligned.readers import read_tsv
from aligned.reviewed.importing import FileReport, import_reviewed
from aligned.tm.analysis import analysis
from mt.cache import TranslationMemory
from mt.errors import InputError
from mt.human_memory import HumanMemory

# What a translation TSV of a run holds, for the analysis.
RUN_COLUMNS = ("kind", "flag", "origin", "source", "tm_match")


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


def run_analysis(paths: Sequence[Path]) -> list[str]:
    """Exact, fuzzy (by band) and new sentences of a run: its translation TSVs, or the output
    directories that hold them."""
    files = [path for given in paths for path in _translation_tsvs(given)]
    if not files:
        raise InputError(f"No translation TSV in {', '.join(map(str, paths))}.")
    rows = []
    for path in files:
        found = read_tsv(path)
        header = found[0].keys() if found else RUN_COLUMNS
        missing = [name for name in RUN_COLUMNS if name not in header]
        if missing:
            raise InputError(f"{path}: no {', '.join(missing)} column: not a translation TSV "
                             "of a jisr that offers fuzzy matches.")
        rows += found
    return [f"{len(files)} file(s): {', '.join(map(str, files))}", *analysis(rows)]


def _translation_tsvs(path: Path) -> list[Path]:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory.")
    if path.is_file():
        return [path]
    # A run writes <stem>.tsv; the terms report and the page's reviewed download are others.
    return sorted(p for p in path.rglob("*.tsv")
                  if not p.name.endswith((".terms.tsv", ".reviewed.tsv")))
