"""An evaluation set for sentence alignment, derived from parallel documents with known 1-1 pairs.

The documents (tests/data/align_eval/*.tsv: `arabic<TAB>english` per line, a blank line between
paragraphs, the first line the headline) are written for jisr. Each is turned into cases whose
gold beads are known, by the edits translators make, chosen by a seeded random generator:
- "merges": two adjacent sentences merged on one side (2-1, 1-2), three merged (3-1 or 1-3),
  two sentences re-split at another point (2-2), and an unrelated sentence inserted (0-1 or 1-0);
- "omissions": a sentence deleted on each side (1-0, 0-1), a whole paragraph dropped on one side,
  a paragraph of unrelated sentences added on the other, and one merge.
Score with bead_prf: strict precision, recall and F1 (a bead counts only if both of its id sets
match a gold bead exactly), micro-averaged over all beads of all cases.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aligned.sides import Side

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "align_eval"
VARIANTS = ("merges", "omissions")

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Unit:
    """A gold bead under construction: the Arabic and English sentences that correspond."""

    ar: tuple[str, ...]
    en: tuple[str, ...]
    para: float
    kind: str = "content"
    edited: bool = False

    @property
    def plain(self) -> bool:
        return not self.edited and self.kind == "content" and len(self.ar) == len(self.en) == 1


@dataclass(frozen=True)
class EvalCase:
    name: str
    src: Side
    tgt: Side
    gold: list[BeadIds]


def load_document(path: Path) -> list[Unit]:
    units: list[Unit] = []
    para = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            para += 1
            continue
        ar, en = line.split("\t")
        kind = "heading" if not units else "content"
        units.append(Unit((ar,), (en,), para, kind))
    return units


def load_documents(directory: Path = EVAL_DIR) -> dict[str, list[Unit]]:
    return {path.stem: load_document(path) for path in sorted(directory.glob("*.tsv"))}


def build_cases(seed: int = 0, directory: Path = EVAL_DIR) -> list[EvalCase]:
    """Every document in every variant; the same seed gives the same cases."""
    docs = load_documents(directory)
    cases = []
    for name in docs:
        for variant in VARIANTS:
            rng = random.Random(f"{seed}:{name}:{variant}")
            units = _edited(docs, name, variant, rng)
            cases.append(case_from_units(f"{name}:{variant}", units))
    return cases


def long_case(sentences: int, seed: int = 0, directory: Path = EVAL_DIR) -> EvalCase:
    """One long document pair of at least `sentences` sentences a side, for benchmarks: the
    documents over and over in a seeded order, each copy edited as a case of build_cases is
    (merges, re-splits, deletions, insertions, dropped and added paragraphs).

    Repetition dilutes the anchors (a key in more than anchors.MAX_SENTENCES sentences counts
    for nothing), so this measures speed and memory more than accuracy."""
    docs = load_documents(directory)
    rng = random.Random(f"{seed}:long")
    units: list[Unit] = []
    copy = 0
    while min(sum(len(u.ar) for u in units), sum(len(u.en) for u in units)) < sentences:
        name = rng.choice(list(docs))
        edited = _edited(docs, name, rng.choice(VARIANTS), rng)
        # Paragraph keys of each copy come after the previous copy's (a document has < 100).
        units += [replace(u, para=copy * 100 + u.para) for u in edited]
        copy += 1
    return case_from_units(f"long:{seed}", units)


def _edited(docs: dict[str, list[Unit]], name: str, variant: str,
            rng: random.Random) -> list[Unit]:
    """Document `name` edited by `variant`; inserted sentences come from the other documents."""
    others = [u for other in docs if other != name for u in docs[other] if u.plain]
    edit = _merges if variant == "merges" else _omissions
    return edit(list(docs[name]), others, rng)


def case_from_units(name: str, units: Sequence[Unit]) -> EvalCase:
    src_texts, tgt_texts, gold = [], [], []
    src_paras, tgt_paras, src_kinds, tgt_kinds = [], [], [], []
    for unit in units:
        src_ids = tuple(range(len(src_texts), len(src_texts) + len(unit.ar)))
        tgt_ids = tuple(range(len(tgt_texts), len(tgt_texts) + len(unit.en)))
        gold.append((src_ids, tgt_ids))
        src_texts += unit.ar
        tgt_texts += unit.en
        src_paras += [unit.para] * len(unit.ar)
        tgt_paras += [unit.para] * len(unit.en)
        src_kinds += [unit.kind] * len(unit.ar)
        tgt_kinds += [unit.kind] * len(unit.en)
    return EvalCase(
        name,
        Side.of(src_texts, _renumber(src_paras), src_kinds),
        Side.of(tgt_texts, _renumber(tgt_paras), tgt_kinds),
        gold,
    )


def _renumber(paras: Sequence[float]) -> list[int]:
    """Paragraph keys in order of appearance -> 0, 1, 2 ... (a dropped paragraph leaves no gap)."""
    order = {key: index for index, key in enumerate(dict.fromkeys(paras))}
    return [order[key] for key in paras]


# --- edits -----------------------------------------------------------------------------------

def _runs(units: Sequence[Unit], length: int) -> list[int]:
    """Start indices of `length` plain units in a row within one paragraph."""
    return [
        k for k in range(len(units) - length + 1)
        if all(u.plain and u.para == units[k].para for u in units[k:k + length])
    ]


def _merge(units: list[Unit], rng: random.Random, length: int, side: str) -> None:
    starts = _runs(units, length)
    if not starts:
        return
    k = rng.choice(starts)
    group = units[k:k + length]
    ar = tuple(u.ar[0] for u in group)
    en = tuple(u.en[0] for u in group)
    if side == "en":
        en = (" ".join(en),)
    else:
        ar = (" ".join(ar),)
    units[k:k + length] = [Unit(ar, en, group[0].para, edited=True)]


def _resplit(units: list[Unit], rng: random.Random) -> None:
    """Two English sentences cut at another word boundary: the second's first half moves up."""
    starts = _runs(units, 2)
    if not starts:
        return
    k = rng.choice(starts)
    first, second = units[k], units[k + 1]
    words = second.en[0].split()
    cut = max(1, len(words) // 2)
    en = (first.en[0] + " " + " ".join(words[:cut]), " ".join(words[cut:]))
    units[k:k + 2] = [Unit(first.ar + second.ar, en, first.para, edited=True)]


def _delete(units: list[Unit], rng: random.Random, side: str) -> None:
    starts = _runs(units, 1)
    if not starts:
        return
    k = rng.choice(starts)
    unit = units[k]
    units[k] = replace(unit, ar=() if side == "ar" else unit.ar,
                       en=() if side == "en" else unit.en, edited=True)


def _insert(units: list[Unit], others: Sequence[Unit], rng: random.Random, side: str) -> None:
    k = rng.randrange(2, len(units))
    foreign = rng.choice(others)
    text = foreign.ar if side == "ar" else ()
    units.insert(k, Unit(text, foreign.en if side == "en" else (), units[k - 1].para, edited=True))


def _drop_paragraph(units: list[Unit], rng: random.Random, side: str) -> float:
    paras = sorted({u.para for u in units if u.kind == "content"})
    para = rng.choice(paras[1:-1] or paras)
    for k, unit in enumerate(units):
        if unit.para == para:
            units[k] = replace(unit, ar=() if side == "ar" else unit.ar,
                               en=() if side == "en" else unit.en, edited=True)
    return para


def _add_paragraph(units: list[Unit], others: Sequence[Unit], rng: random.Random, side: str,
                   avoid: float) -> None:
    """A paragraph of two unrelated sentences, after a paragraph other than `avoid`."""
    paras = sorted({u.para for u in units if u.kind == "content" and u.para != avoid})
    after = rng.choice(paras[:-1] or paras)
    k = max(i for i, u in enumerate(units) if u.para == after) + 1
    for foreign in reversed(rng.sample(list(others), 2)):
        ar, en = (foreign.ar, ()) if side == "ar" else ((), foreign.en)
        units.insert(k, Unit(ar, en, after + 0.5, edited=True))


def _merges(units: list[Unit], others: Sequence[Unit], rng: random.Random) -> list[Unit]:
    _merge(units, rng, 2, "en")
    _merge(units, rng, 2, "ar")
    _merge(units, rng, 3, rng.choice(("en", "ar")))
    _resplit(units, rng)
    _insert(units, others, rng, rng.choice(("en", "ar")))
    return units


def _omissions(units: list[Unit], others: Sequence[Unit], rng: random.Random) -> list[Unit]:
    dropped_side = rng.choice(("en", "ar"))
    dropped = _drop_paragraph(units, rng, dropped_side)
    _add_paragraph(units, others, rng, "ar" if dropped_side == "en" else "en", dropped)
    _delete(units, rng, "en")
    _delete(units, rng, "ar")
    _merge(units, rng, 2, rng.choice(("en", "ar")))
    return units


# --- scoring ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int


def bead_prf(pairs: Iterable[tuple[Sequence[BeadIds], Sequence[BeadIds]]]) -> PRF:
    """Strict bead precision/recall/F1 over (predicted, gold) bead lists, micro-averaged."""
    correct = predicted = gold = 0
    for predicted_beads, gold_beads in pairs:
        predicted_set, gold_set = set(predicted_beads), set(gold_beads)
        correct += len(predicted_set & gold_set)
        predicted += len(predicted_set)
        gold += len(gold_set)
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, gold, predicted)
