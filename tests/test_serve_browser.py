"""The live review page of `jisr serve` in headless Chromium (Debian's /usr/bin/chromium), on the
trained mini model: an approved edit goes into the human memory and the next request for that
sentence comes back origin=human; "continue from my words" and the alternatives are offered and
taken; the page talks to nothing but the service. A screenshot is kept under artifacts/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.review_browser import ARGS, CHROMIUM, require_browser
from tests.serve_helpers import Server, heldout_sources

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
EDITED = "The reviewer wrote this sentence herself."

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reviewed(mini_model_dir, tmp_path_factory):
    require_browser()
    from playwright.sync_api import sync_playwright

    sentences = heldout_sources(mini_model_dir, 3)
    seen: dict = {"sentences": sentences}
    with Server("--model", str(mini_model_dir),
                cache_dir=tmp_path_factory.mktemp("serve-review")) as server, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        seen["errors"], seen["requests"] = [], []
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.on("request", lambda request: seen["requests"].append(request.url))
        page.goto(server.url + "/review")
        page.fill("textarea[name=text]", " ".join(sentences))
        page.click("#translate")
        rows = page.locator(".row")
        rows.first.wait_for()
        seen["rows"] = rows.count()
        seen["targets"] = [rows.nth(i).get_attribute("data-target") for i in range(3)]

        rows.nth(0).locator(".en").fill(EDITED)
        rows.nth(0).locator(".approved-box").check()
        rows.nth(0).locator('.live-status[data-state="saved"]').wait_for()
        seen["after approval"] = httpx.post(server.url + "/v1/translate", timeout=120,
                                            json={"text": sentences[0]}).json()["rows"][0]

        prefix = "Yesterday " + seen["targets"][1].split()[0]
        rows.nth(1).locator(".en").fill(prefix)
        rows.nth(1).locator("button.continue").click()
        offer = rows.nth(1).locator(".offers .offer").first
        offer.wait_for()
        seen["prefix"], seen["continuation"] = prefix, offer.inner_text()
        offer.click()
        seen["taken"] = rows.nth(1).locator(".en").inner_text()
        seen["taken row"] = rows.nth(1).get_attribute("class")

        rows.nth(2).locator("button.alternatives").click()
        rows.nth(2).locator(".offers .offer").first.wait_for()
        seen["alternatives"] = rows.nth(2).locator(".offers .offer").all_inner_texts()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve_review_page.png"), full_page=True)
        browser.close()
        seen["origin"] = server.url
    return seen


def test_the_page_shows_every_sentence_and_calls_only_the_service(reviewed):
    assert reviewed["rows"] == 3 and all(reviewed["targets"])
    assert reviewed["errors"] == []
    assert [url for url in reviewed["requests"] if not url.startswith(reviewed["origin"])] == []


def test_an_approved_edit_is_served_as_human_at_once(reviewed):
    row = reviewed["after approval"]
    assert (row["source"], row["target"], row["origin"]) == (
        reviewed["sentences"][0], EDITED, "human")


def test_continue_from_my_words_offers_a_completion_that_can_be_taken(reviewed):
    assert reviewed["continuation"].startswith(reviewed["prefix"])
    assert len(reviewed["continuation"]) > len(reviewed["prefix"])
    assert reviewed["taken"] == reviewed["continuation"]
    assert "edited" in reviewed["taken row"].split()


def test_alternatives_are_offered(reviewed):
    found = reviewed["alternatives"]
    assert 1 <= len(found) <= 4 and len(set(found)) == len(found)
