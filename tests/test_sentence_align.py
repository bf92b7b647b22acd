"""The aligner on the evaluation documents: n:m beads, dropped paragraphs, F1 over the
length-only baseline, 10,000 sentences a side in a bounded band."""

from __future__ import annotations

import numpy as np
import pytest

from align_eval_set import (
    EVAL_DIR,
    Unit,
    bead_prf,
    build_cases,
    case_from_units,
    load_document,
)
from aligned.anchors import AnchorReader
from aligned.bead_costs import BeadCells
from aligned.dp import BEAD_TYPES
from aligned.sentence_align import AlignSettings, Side, _Features, align_sides, length_only
from glossary.termbase import load_default


def _pairs(alignment):
    return [(bead.src, bead.tgt) for bead in alignment.beads]


def _drop(units: list[Unit], para: float, side: str) -> list[Unit]:
    return [
        Unit(() if side == "ar" and u.para == para else u.ar,
             () if side == "en" and u.para == para else u.en, u.para, u.kind)
        for u in units
    ]


DROPS = ((2, 4), (4, 2), (3, 5))  # (paragraph the English drops, paragraph the Arabic drops)


def _dropped_case(doc: str, en_para: int, ar_para: int):
    units = load_document(EVAL_DIR / f"{doc}.tsv")
    return case_from_units(doc, _drop(_drop(units, en_para, "en"), ar_para, "ar"))


@pytest.mark.parametrize(
    ("doc", "en_para", "ar_para"),
    [
        pytest.param("01_port", 4, 2, id="port"),
        pytest.param("04_rates", 2, 4, id="rates"),
        pytest.param("07_startup", 3, 5, id="startup"),
        pytest.param("10_exams", 2, 4, id="exams"),
    ],
)
def test_dropped_paragraph_on_each_side_comes_back_as_deletions_and_insertions(
    doc, en_para, ar_para
):
    case = _dropped_case(doc, en_para, ar_para)
    predicted = _pairs(align_sides(case.src, case.tgt))
    deletions = [bead for bead in case.gold if not bead[0] or not bead[1]]
    assert len(deletions) >= 5
    assert predicted == case.gold  # nothing smeared across the neighbours


def test_dropped_paragraphs_across_the_evaluation_documents():
    cases = [_dropped_case(path.stem, *drop) for path in sorted(EVAL_DIR.glob("*.tsv"))
             for drop in DROPS]
    exact = sum(_pairs(align_sides(c.src, c.tgt)) == c.gold for c in cases)
    assert exact >= 0.9 * len(cases)  # 28 of 30 when written; the rest swap like paragraphs


def test_merged_and_split_sentences_are_recovered():
    units = load_document(EVAL_DIR / "02_drought.tsv")
    first, second = units[2], units[3]  # the end of the first paragraph: English merged them
    merged = Unit(first.ar + second.ar, (first.en[0] + " " + second.en[0],), first.para)
    third, fourth = units[4], units[5]  # the start of the second: Arabic merged them
    split = Unit((third.ar[0] + " " + fourth.ar[0],), third.en + fourth.en, third.para)
    case = case_from_units("merges", [*units[:2], merged, split, *units[6:]])
    predicted = _pairs(align_sides(case.src, case.tgt))
    assert ((2, 3), (2,)) in predicted
    assert ((4,), (3, 4)) in predicted
    assert predicted == case.gold


def test_headings_pair_with_headings():
    src = Side.of(["عنوان", "جملة أولى طويلة نسبيا في النص.", "جملة ثانية."],
                  [0, 1, 1], ["heading", "content", "content"])
    tgt = Side.of(["A headline", "A fairly long first sentence of the text.", "Second one."],
                  [0, 1, 1], ["heading", "content", "content"])
    assert _pairs(align_sides(src, tgt))[0] == ((0,), (0,))


def test_model_free_alignment_beats_length_only_on_the_evaluation_set():
    cases = build_cases(seed=1)
    reader = AnchorReader.with_glossary(load_default())
    jisr = bead_prf((_pairs(align_sides(c.src, c.tgt, reader=reader)), c.gold) for c in cases)
    baseline = bead_prf((_pairs(align_sides(c.src, c.tgt, length_only())), c.gold) for c in cases)
    assert jisr.f1 > baseline.f1 + 0.25
    assert jisr.f1 > 0.7


def test_evaluation_cases_are_deterministic_and_cover_every_bead_type():
    first, again = build_cases(seed=3), build_cases(seed=3)
    assert [c.gold for c in first] == [c.gold for c in again]
    assert [c.src.texts for c in first] == [c.src.texts for c in again]
    kinds = {(len(s), len(t)) for case in first for s, t in case.gold}
    assert kinds >= {(1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1)}
    assert kinds & {(1, 3), (3, 1)}


def test_ten_thousand_sentences_a_side_align_in_a_bounded_band():
    n = 10_000
    rng = np.random.default_rng(7)
    lengths = rng.integers(20, 200, size=n)
    src = Side.of(["ب" * int(k) for k in lengths])
    tgt_lengths = [int(k * 1.3 + rng.normal(0, 4)) for k in lengths]
    del tgt_lengths[5000]  # one sentence the translation lacks
    tgt = Side.of(["e" * max(k, 1) for k in tgt_lengths])
    settings = AlignSettings()
    alignment = align_sides(src, tgt, settings)
    # Memory is O(n * width): every DP and cost array is (n + 1) x band width.
    assert alignment.band_width <= 2 * (2 * settings.half_width) + 1
    features = _Features.build(src, tgt, settings, AnchorReader())
    from aligned.dp import Band

    band = Band.diagonal(n, len(tgt), settings.half_width)
    costs = features.costs(band, alignment.length_model)
    assert {cost.shape for cost in costs.values()} == {(n + 1, 2 * settings.half_width + 1)}
    assert BeadCells.of(band, 1, 1).valid.size == (n + 1) * band.width
    assert set(costs) == set(BEAD_TYPES)
    pairs = _pairs(alignment)
    assert [i for s, _ in pairs for i in s] == list(range(n))
    assert [j for _, t in pairs for j in t] == list(range(n - 1))
    assert ((5000,), ()) in pairs
    assert sum(1 for s, t in pairs if len(s) == len(t) == 1) >= n - 10


@pytest.mark.slow
def test_model_pass_force_decodes_only_beads_near_the_best_path(tiny_model_dir):
    """Forced decoding (a model pass per bead) is asked for beads within forced_margin of the
    best path, not for every bead of the band; a margin no bead exceeds scores them all."""
    from aligned.mt_similarity import BeadSimilarity
    from mt.engines import load_engine

    engine = load_engine("transformers", str(tiny_model_dir), threads=1)
    case = build_cases(seed=0)[0]
    similarity = BeadSimilarity(engine, case.src.texts, case.tgt.texts)  # caches every span
    runs = []
    for margin in (AlignSettings.forced_margin, float("inf")):
        alignment = align_sides(case.src, case.tgt, AlignSettings(forced_margin=margin),
                                similarity=similarity)
        runs.append((_pairs(alignment), similarity.forced_count))
    (near, near_count), (every, every_count) = runs
    pairing = sum(1 for src, tgt in near if src and tgt)
    assert pairing <= near_count < every_count / 5
    assert near == every
