"""The consistency report: entry usage per document and overall, and suggested entries."""

from __future__ import annotations

import io
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligned.formats import FORMATS, WriteContext
from glossary.match import Matcher
from glossary.report import (
    ALL_DOCUMENTS,
    REPORT_COLUMNS,
    TermCounts,
    count_rows,
    merged_rows,
    report_rows,
    suggestions,
    total_rows,
)
from glossary.termbase import Entry, TermBase
from glossary.uses import plan, verify_human
from mt.document import Document, Segment
from tests.cli_helpers import read_tsv

MATCHER = Matcher(TermBase((Entry("الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)"),)))


def document(doc_id: str, rows: list[tuple[str, str, str]]) -> Document:
    """A translated document from (source, target, alignment) rows."""
    segments = [
        Segment(doc_id, i, 0, "content", source, 0, len(source), mt_source=source,
                target=target, alignment=alignment)
        for i, (source, target, alignment) in enumerate(rows)
    ]
    return Document(doc_id, "", [], segments)


def with_terms(doc: Document, applied: bool = True) -> Document:
    for segment, uses in zip(doc.segments, plan(doc.segments, MATCHER), strict=True):
        for use in uses:
            use.tier = 1 if applied else None
        segment.matches = uses
    return doc


def test_entry_usage_per_document_and_overall() -> None:
    one = with_terms(document("one", [("قال الحشد الشعبي", "x", ""), ("الحشد الشعبي", "y", "")]))
    two = with_terms(document("two", [("الحشد الشعبي", "z", "")]), applied=False)
    rows = [r for r in report_rows([one, two]) if r[0] == "entry"]
    assert rows == [
        ("entry", "one", "الحشد الشعبي", "PMF", "2", "2", "0", "0",
         "PMF (1) | Popular Mobilization Forces (PMF) (1)"),  # a tie: by text
        ("entry", "two", "الحشد الشعبي", "PMF", "1", "0", "1", "0",
         "Popular Mobilization Forces (PMF) (1)"),
        ("entry", ALL_DOCUMENTS, "الحشد الشعبي", "PMF", "3", "2", "1", "0",
         "Popular Mobilization Forces (PMF) (2) | PMF (1)"),
    ]


def test_name_rendered_two_ways_is_suggested() -> None:
    docs = [
        document("a", [
            ("قال فالح الفياض أمس", "Falih al-Fayyadh said yesterday", "1-0 2-1 0-2 3-3"),
            ("التقى فالح الفياض الوزير", "He met Faleh al-Fayadh and the minister",
             "0-1 1-2 2-3 3-6"),
        ]),
        document("b", [
            ("وصل فالح الفياض", "Falih al-Fayyadh arrived", "1-0 2-1 0-2"),
            ("قال الوزير", "The minister said", "1-1 0-2"),  # sentence-initial capital only
        ]),
    ]
    (found,) = suggestions(docs)
    assert found.source == "فالح الفياض"
    assert found.renderings == (("Falih al-Fayyadh", 2), ("Faleh al-Fayadh", 1))
    assert found.target == "Falih al-Fayyadh"


def test_consistent_names_and_glossary_terms_are_not_suggested() -> None:
    docs = [document("a", [
        ("قال فالح الفياض", "Falih al-Fayyadh said", "1-0 2-1 0-2"),
        ("وصل فالح الفياض", "Falih al-Fayyadh arrived", "1-0 2-1 0-2"),
    ])]
    assert suggestions(docs) == []
    termed = with_terms(document("b", [
        ("الحشد الشعبي", "the Popular Mobilization Forces (PMF)", "0-1 1-2 1-3 1-4"),
        ("وصل الحشد الشعبي", "Hashd Shaabi arrived", "1-0 2-1 0-2"),
    ]))
    assert suggestions([*docs, termed]) == []


def test_sentences_with_terms_still_yield_suggestions() -> None:
    docs = [with_terms(document("a", [
        ("قال الحشد الشعبي وفالح الفياض", "PMF and Falih al-Fayyadh said", "1-0 2-0 3-2 4-3 0-4"),
        ("وصل فالح الفياض", "Faleh Fayadh arrived", "1-0 2-1 0-2"),
    ]))]
    (found,) = suggestions(docs)
    assert found.source == "فالح الفياض"
    assert found.renderings == (("Faleh Fayadh", 1), ("Falih al-Fayyadh", 1))


def test_terms_format_is_a_registered_tsv() -> None:
    doc = with_terms(document("one", [("الحشد الشعبي", "PMF", "")]))
    text = FORMATS["terms"]().render([doc], WriteContext())
    frame = read_tsv(io.StringIO(text))
    assert list(frame.columns) == list(REPORT_COLUMNS)
    assert frame.iloc[:, :5].values.tolist() == [
        ["entry", "one", "الحشد الشعبي", "PMF", "1"],
        ["entry", ALL_DOCUMENTS, "الحشد الشعبي", "PMF", "1"],
    ]


# --- merging the counts of parts (inputs, workers) -------------------------------------------

ROWS = [  # (source, target, alignment): names, a glossary term, a conjunction, plain text
    ("قال فالح الفياض أمس", "Falih al-Fayyadh said yesterday", "1-0 2-1 0-2 3-3"),
    ("التقى فالح الفياض الوزير", "He met Faleh al-Fayadh and the minister", "0-1 1-2 2-3 3-6"),
    ("وصل وفالح الفياض", "Falih Fayadh arrived", "1-0 2-1 0-2"),
    ("الحشد الشعبي", "the Popular Mobilization Forces (PMF)", "0-1 1-2 1-3 1-4"),
    ("وصل الحشد الشعبي", "Hashd Shaabi arrived", "1-0 2-1 0-2"),
    ("قال الوزير", "The minister said", "1-1 0-2"),
    ("زار نيجيرفان بارزاني بغداد", "Nechirvan Barzani visited Baghdad", "1-0 2-1 0-2 3-3"),
    ("استقبل نيجيرفان بارزاني الوفد", "Nechirvan al-Barzani received the delegation",
     "1-0 2-1 0-2 3-4"),
]


def corpus(picks: list[tuple[list[int], bool]]) -> list:
    """Documents d0, d1, ... of the ROWS picked, with glossary terms applied or failed."""
    return [with_terms(document(f"d{i}", [ROWS[r] for r in rows]), applied)
            for i, (rows, applied) in enumerate(picks)]


def split(docs: list, cuts: list[int]) -> list[list]:
    bounds = [0, *sorted(c % (len(docs) + 1) for c in cuts), len(docs)]
    return [docs[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def round_trip(counts: TermCounts) -> TermCounts:
    """Counts as a sidecar file holds them."""
    return TermCounts.from_json(json.loads(json.dumps(counts.as_json(), ensure_ascii=False)))


@pytest.mark.parametrize(
    ("picks", "cuts"),
    [
        pytest.param([([0, 3], True), ([1, 4], False), ([2, 6], True), ([7, 5], True)], [2],
                     id="two-halves"),
        pytest.param([([0], True), ([1], True)], [1], id="renderings-split-across-parts"),
        pytest.param([([2], True), ([0, 1], True)], [1], id="conjunction-form-in-another-part"),
        pytest.param([([3, 4], True), ([3], False), ([6], True), ([7], True)], [1, 2, 3],
                     id="one-document-per-part"),
        pytest.param([([0, 1], True), ([5], True)], [0, 0], id="empty-parts"),
    ],
)
def test_merged_parts_give_the_report_over_all_documents(picks, cuts) -> None:
    docs = corpus(picks)
    parts = [round_trip(TermCounts.of(part)) for part in split(docs, cuts)]
    expected = report_rows(docs)
    assert list(merged_rows(parts)) == expected
    merged = TermCounts()
    for part in parts:
        merged.merge(part)
    assert list(count_rows(merged)) == expected


def test_a_name_after_a_conjunction_is_shown_in_its_bare_form() -> None:
    docs = corpus([([2], True), ([2], True), ([0], True)])  # وفالح twice, فالح once
    (found,) = suggestions(docs)
    assert found.source == "فالح الفياض"
    assert found.renderings == (("Falih Fayadh", 2), ("Falih al-Fayyadh", 1))


def test_a_name_seen_once_per_part_is_suggested_over_the_batch() -> None:
    one, two = corpus([([0], True), ([1], True)])
    assert suggestions([one]) == suggestions([two]) == []
    rows = list(merged_rows([TermCounts.of([one]), TermCounts.of([two])]))
    assert rows[-1][:5] == ("suggestion", ALL_DOCUMENTS, "فالح الفياض", "Faleh al-Fayadh", "2")


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.tuples(st.lists(st.integers(0, len(ROWS) - 1), max_size=4), st.booleans()),
                   max_size=6),
    cuts=st.lists(st.integers(0, 6), max_size=3),
    seed=st.integers(0, 1000),
)
def test_merging_is_exact_in_any_order(picks, cuts, seed) -> None:
    docs = corpus(picks)
    parts = [TermCounts.of(part) for part in split(docs, cuts)]
    assert list(merged_rows(parts)) == report_rows(docs)
    random.Random(seed).shuffle(parts)  # workers finish in any order: the totals do not care
    shuffled = TermCounts()
    for part in parts:
        shuffled.merge(round_trip(part), documents=False)
    assert list(total_rows(shuffled)) == list(total_rows(TermCounts.of(docs)))


def test_human_translations_are_checked_not_forced_and_their_breaks_counted() -> None:
    doc = document("one", [
        ("قال الحشد الشعبي إن", "The Popular Mobilization Forces (PMF) said", ""),
        ("هاجم الحشد الشعبي", "The militias attacked", ""),  # breaks the glossary: no PMF
    ])
    targets = [seg.target for seg in doc.segments]
    verify_human(doc.segments, plan(doc.segments, MATCHER))
    assert [seg.target for seg in doc.segments] == targets
    assert [seg.glossary for seg in doc.segments] == [
        "الحشد الشعبي=Popular Mobilization Forces (PMF):human", "الحشد الشعبي=PMF:failed"]
    rows = [r for r in report_rows([doc]) if r[0] == "entry"]
    assert rows[0][4:8] == ("2", "1", "1", "1")  # occurrences, applied, failed, human_failed
