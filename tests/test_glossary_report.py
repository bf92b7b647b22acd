"""The consistency report: entry usage per document and overall, and suggested entries."""

from __future__ import annotations

import csv
import io

from aligned.formats import FORMATS, WriteContext
from glossary.enforce import plan
from glossary.match import Matcher
from glossary.report import ALL_DOCUMENTS, REPORT_COLUMNS, report_rows, suggestions
from glossary.termbase import Entry, TermBase
from mt.document import Document, Segment

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
        ("entry", "one", "الحشد الشعبي", "PMF", "2", "2", "0",
         "Popular Mobilization Forces (PMF) (1) | PMF (1)"),
        ("entry", "two", "الحشد الشعبي", "PMF", "1", "0", "1",
         "Popular Mobilization Forces (PMF) (1)"),
        ("entry", ALL_DOCUMENTS, "الحشد الشعبي", "PMF", "3", "2", "1",
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
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == list(REPORT_COLUMNS)
    assert [r[:5] for r in rows[1:]] == [
        ["entry", "one", "الحشد الشعبي", "PMF", "1"],
        ["entry", ALL_DOCUMENTS, "الحشد الشعبي", "PMF", "1"],
    ]
