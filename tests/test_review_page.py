"""Reviewing in the page, in headless Chromium opened from disk: edit targets in place, approve
rows, filter to what is still to review, download the reviewed TSV and XLIFF; hostile text stays
text all the way."""


import pytest

from aligned.formats import WriteContext, writer_for
from aligned.reviewed import read_reviewed
from tests.cli_helpers import read_tsv_rows
from tests.review_browser import require_browser, review
from tests.review_document import review_document

EDITED = {  # row index -> the translator's target
    2: "The ministry said 45 people were injured in the explosion.",
    3: 'Thousands of displaced people went home, "finally" <b>safe</b> & sound.',
}
APPROVED = 7

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("review")
    page = folder / "article-1.html"
    writer_for("html").write([review_document()], page, WriteContext(signature="v:test"))
    return review(page, folder, EDITED, [APPROVED])


def test_edits_and_approvals_show_in_the_page(reviewed):
    _, _, seen = reviewed
    assert seen["errors"] == []
    assert seen["counts"] == ("2", "1")
    assert len(set(seen["background"].values())) == 3  # untouched, edited, approved all differ
    assert seen["markup in targets"] == 0  # typed "<b>" is text, not an element


def test_the_filter_leaves_only_rows_still_to_review(reviewed):
    _, _, seen = reviewed
    doc = review_document()
    expected = [f"article-1:{seg.seg}" for seg in doc.segments
                if seg.kind != "boilerplate" and seg.seg != APPROVED]
    assert seen["open rows"] == expected


def test_downloaded_tsv_has_every_row_with_edits_and_review_states(reviewed):
    tsv, _, _ = reviewed
    assert tsv.name == "article-1.reviewed.tsv"
    rows = read_tsv_rows(tsv)
    doc = review_document()
    assert [row["source"] for row in rows] == [seg.source for seg in doc.segments]
    for row, seg in zip(rows, doc.segments, strict=True):
        if seg.seg in EDITED:
            assert (row["target"], row["review"], row["origin"]) == (
                EDITED[seg.seg], "edited", "human")
            assert row["alignment"] == ""
        elif seg.seg == APPROVED:
            assert (row["target"], row["review"], row["origin"]) == (
                seg.target, "approved", "human")
        else:
            assert (row["target"], row["review"], row["origin"]) == (seg.target, "", "")


def test_downloaded_xliff_carries_states_that_a_cat_tool_reads(reviewed):
    from translate.storage.xliff import xlifffile

    _, xliff, _ = reviewed
    assert xliff.name == "article-1.reviewed.xlf"
    store = xlifffile(xliff.read_bytes())
    units = {unit.getid().split("\x04")[-1]: unit for unit in store.units}  # file\x04id
    for index, text in EDITED.items():
        unit = units[f"article-1:{index}"]
        assert unit.target == text
        assert unit.xmlelement.find(unit.namespaced("target")).get("state") == "translated"
    approved = units[f"article-1:{APPROVED}"]
    assert approved.isapproved()
    assert approved.xmlelement.find(approved.namespaced("target")).get("state") == "final"
    untouched = units["article-1:1"]
    assert not untouched.isapproved()
    assert untouched.xmlelement.find(untouched.namespaced("target")).get("state") == (
        "needs-review-translation")


def test_both_downloads_read_back_as_the_same_human_translations(reviewed):
    tsv, xliff, _ = reviewed
    doc = review_document()
    expected = [(doc.segments[i].source, EDITED.get(i, doc.segments[i].target))
                for i in sorted([*EDITED, APPROVED])]
    for path in (tsv, xliff):
        assert [(t.source, t.target) for t in read_reviewed(path).translations] == expected
