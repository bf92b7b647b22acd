"""The review page in headless Chromium (Debian's /usr/bin/chromium): the DOM, escaping, the
filter, hover alignment, no network request; a screenshot is kept under artifacts/."""

from pathlib import Path

import pytest

from aligned.formats import WriteContext, writer_for
from tests.review_browser import ARGS, CHROMIUM, require_browser
from tests.review_document import HOSTILE_SOURCE, HOSTILE_TARGET, review_document

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _browser_present() -> None:
    require_browser()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    path = tmp_path_factory.mktemp("html") / "article-1.html"
    writer_for("html").write([review_document()], path, WriteContext(signature="v:test"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.requests = requests
        yield page
        browser.close()


def test_page_requests_nothing_but_itself(page):
    assert [url for url in page.requests if not url.startswith("file:")] == []


def test_arabic_is_right_to_left_and_english_left(page):
    arabic = page.locator(".row .ar").first
    assert arabic.get_attribute("dir") == "rtl" and arabic.get_attribute("lang") == "ar"
    english_box = page.locator(".row .en").first.bounding_box()
    arabic_box = arabic.bounding_box()
    assert english_box["x"] < arabic_box["x"]


def test_html_in_the_article_renders_as_text(page):
    assert page.locator("main script").count() == 0  # only the page's own script, after main
    hostile = page.locator(".row", has_text="alert").first
    assert hostile.locator(".ar").inner_text().split() == HOSTILE_SOURCE.split()
    assert hostile.locator(".en").inner_text().split() == HOSTILE_TARGET.split()


def test_rows_are_shaded_by_flag_with_reasons_in_words(page):
    bad = page.locator(".row.flag-bad").first
    assert "repeats itself" in bad.locator(".reasons").inner_text()
    colours = {flag: page.locator(f".row.flag-{flag}").first.evaluate(
        "e => getComputedStyle(e).backgroundColor") for flag in ("ok", "review", "bad")}
    assert len(set(colours.values())) == 3


def test_glossary_term_is_highlighted_on_both_sides(page):
    row = page.locator(".row").nth(1)
    assert row.locator(".ar .term").count() == 3  # قوات سوريا الديمقراطية
    assert " ".join(row.locator(".en .term").all_inner_texts()) == "Syrian Democratic Forces (SDF)"


def test_hovering_a_word_highlights_its_aligned_word(page):
    row = page.locator(".row").nth(1)
    row.locator('.ar .w[data-i="7"]').hover()  # قتلوا. -> killed. (link 7-9)
    assert row.locator(".en .w.hl").all_inner_texts() == ["killed."]
    row.locator('.en .w[data-i="7"]').hover()  # fighters -> مقاتلا (link 6-7)
    assert row.locator(".ar .w.hl").all_inner_texts() == ["مقاتلا"]
    page.mouse.move(0, 0)


def test_boilerplate_is_collapsed(page):
    details = page.locator("details.boilerplate")
    assert details.count() == 1
    assert details.evaluate("e => e.open") is False
    assert not details.locator(".row").first.is_visible()


def test_filter_shows_only_review_and_bad_rows_and_screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)
    full = ARTIFACTS / "review_page.png"
    page.screenshot(path=str(full), full_page=True)
    page.locator("#only-flagged").check()
    visible = [row for row in page.locator(".row").all() if row.is_visible()]
    assert {row.get_attribute("class").split()[1] for row in visible} == {"flag-review", "flag-bad"}
    filtered = ARTIFACTS / "review_page_filtered.png"
    page.screenshot(path=str(filtered), full_page=True)
    page.locator("#only-flagged").uncheck()
    print(f"screenshots: {full} {filtered}")
