"""Reviewing a page in headless Chromium (Debian's /usr/bin/chromium) as a translator does:
open it from disk, edit targets, approve rows, download the reviewed TSV and XLIFF."""

from pathlib import Path

from tests.components import require, require_module

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def require_browser() -> None:
    """Skip (under CI=true, fail) a test when the browser is missing."""
    require(CHROMIUM.exists(), "Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    require_module("playwright.sync_api", "Playwright (pip install -e '.[dev]')")


def download(page, button: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(button)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def review(page_path: Path, downloads: Path, edits: dict[int, str], approved: list[int]):
    """Open the page from disk in Chromium, edit and approve rows, download both files.
    Returns (TSV path, XLIFF path, what the test saw in the page)."""
    from playwright.sync_api import sync_playwright

    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        rows = page.locator(".row")
        for index, text in edits.items():
            rows.nth(index).locator(".en").fill(text)
        for index in approved:
            rows.nth(index).locator(".approved-box").check()
        seen["errors"] = errors
        seen["counts"] = (page.locator("#edited-count").inner_text(),
                          page.locator("#approved-count").inner_text())
        seen["background"] = {
            name: rows.nth(index).evaluate("e => getComputedStyle(e).backgroundColor + ' ' + "
                                           "getComputedStyle(e.querySelector('.en')).backgroundColor")
            for name, index in (("untouched", 1), ("edited", min(edits, default=1)),
                                ("approved", max(approved, default=1)))
        }
        seen["markup in targets"] = page.locator(".en b, .en script").count()
        page.locator("#only-open").check()
        seen["open rows"] = [row.get_attribute("data-unit") for row in rows.all()
                             if row.is_visible()]
        page.locator("#only-open").uncheck()
        tsv = download(page, "#download-tsv", downloads)
        xliff = download(page, "#download-xliff", downloads)
        browser.close()
    return tsv, xliff, seen


