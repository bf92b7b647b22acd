"""Fuzzy matches end to end on the trained mini model (issue 23): half of a slice of the held-out
set is translated, reviewed in its XLIFF as a CAT tool would (targets replaced by the house
references, states set), imported; the other half, with some of the first half's sentences
carrying another number and one sentence exactly as imported, is translated. The matches show
with their percentage in TSV, JSONL, XLIFF and the page (Chromium), a sentence that differs only
in a number is offered the human translation with the number replaced, and `jisr tm stats` prints
the run's bands. A few dozen sentences: well under a minute of CPU."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from tests.cli_helpers import own_cache, read_tsv, run_jisr
from tests.review_browser import ARGS, CHROMIUM, download, require_browser

pytestmark = pytest.mark.slow

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
HALF = 16  # sentences in each half
LEFT_UNREVIEWED = 2  # units of the first half the CAT tool leaves as they were
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
NUMBER = re.compile(r"[0-9٠-٩]+")


def number_variant(source: str, reference: str) -> tuple[str, str] | None:
    """`source` with its one number changed, and `reference` with it changed the same way; None
    unless the sentence has one number, written once in the English as digits."""
    numbers = NUMBER.findall(source)
    if len(numbers) != 1:
        return None
    old = numbers[0].translate(ARABIC_DIGITS)
    if len(re.findall(rf"(?<![\d,]){old}(?![\d,])", reference)) != 1:
        return None
    new = str(int(old) + 7)
    written = new.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) \
        if numbers[0] != old else new
    return (source.replace(numbers[0], written),
            re.sub(rf"(?<![\d,]){old}(?![\d,])", new, reference))


def review_as_a_cat_tool(xliff: Path, house: dict[str, str], out: Path) -> None:
    """Replace each target by the house reference and set its state, as memoQ or OmegaT
    would: one unit in two approved (state final), the others translated; the last units left
    as the machine's (needs-review-translation)."""
    tree = etree.parse(str(xliff))
    units = tree.getroot().iter(f"{{{XLIFF}}}trans-unit")
    for number, unit in enumerate(units):
        if number >= HALF - LEFT_UNREVIEWED:
            break
        target = unit.find(f"{{{XLIFF}}}target")
        target.text = house[unit.find(f"{{{XLIFF}}}source").text]
        target.attrib.pop("state-qualifier")
        target.set("state", "final" if number % 2 else "translated")
        if number % 2:
            unit.set("approved", "yes")
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="module")
def run(mini_model_dir, tmp_path_factory):
    heldout = read_tsv(mini_model_dir / "heldout.tsv")
    work = tmp_path_factory.mktemp("fuzzy_mini")
    env = own_cache(work / "cache")
    first = heldout.iloc[:HALF]
    house = dict(zip(first["source"], first["house_reference"], strict=True))
    (work / "first.txt").write_text("\n".join(first["source"]) + "\n", encoding="utf-8")
    translated = run_jisr("translate", str(work / "first.txt"), "-o", str(work / "one"),
                          "--model", str(mini_model_dir), "--formats", "xliff", env=env)
    assert translated.returncode == 0, translated.stderr.decode()
    review_as_a_cat_tool(work / "one" / "first.xlf", house, work / "first.reviewed.xlf")
    imported = run_jisr("tm", "import", str(work / "first.reviewed.xlf"), env=env)
    assert imported.returncode == 0, imported.stderr.decode()

    reviewed = list(first["source"])[: HALF - LEFT_UNREVIEWED]
    variants = dict(filter(None, (number_variant(s, house[s]) for s in reviewed)))
    exact = reviewed[0]
    second = [*heldout.iloc[HALF:2 * HALF]["source"], *variants, exact]
    (work / "second.txt").write_text("\n".join(second) + "\n", encoding="utf-8")
    result = run_jisr("translate", str(work / "second.txt"), "-o", str(work / "two"), "--model",
                      str(mini_model_dir), "--formats", "tsv,jsonl,xliff,html", env=env)
    assert result.returncode == 0, result.stderr.decode()
    return {"work": work, "env": env, "imported": imported.stdout.decode(), "second": second,
            "variants": variants, "exact": exact, "house": house,
            "tsv": read_tsv(work / "two" / "second.tsv")}


def test_the_cat_tools_file_is_imported(run):
    assert run["imported"].startswith(
        f"{run['work'] / 'first.reviewed.xlf'}: {HALF - LEFT_UNREVIEWED} added, 0 replaced, "
        f"{LEFT_UNREVIEWED} skipped ({LEFT_UNREVIEWED} not approved, state "
        "needs-review-translation)")
    assert len(run["variants"]) >= 3  # the slice has enough sentences with one number


def test_a_sentence_with_another_number_is_offered_the_human_translation_with_it(run):
    rows = run["tsv"]
    assert list(rows["source"]) == run["second"]  # every sentence, once, in order
    by_source = rows.set_index("source")
    for source, expected in run["variants"].items():
        row = by_source.loc[source]
        assert 75 <= int(row["tm_match"]) <= 99
        assert (row["tm_target"], row["tm_adapted"]) == (expected, "1")
        assert row["origin"] == "mt"  # the target stays the model's: the match is offered
    served = by_source.loc[run["exact"]]
    assert (served["origin"], served["target"], served["tm_match"]) == (
        "human", run["house"][run["exact"]], "")


def test_jsonl_and_xliff_carry_the_same_matches(run):
    from translate.storage import xliff

    rows = run["tsv"]
    records = [json.loads(line) for line in
               (run["work"] / "two" / "second.jsonl").read_text(encoding="utf-8").splitlines()]
    store = xliff.xlifffile((run["work"] / "two" / "second.xlf").read_bytes())
    units = [unit for unit in store.units if not unit.isheader()]
    assert len(records) == len(units) == len(rows)
    matched = 0
    for (_, row), record, unit in zip(rows.iterrows(), records, units, strict=True):
        percents = [match["percent"] for match in record["tm_matches"]]
        assert percents == sorted(percents, reverse=True)
        assert all(75 <= p <= 99 for p in percents)
        alternatives = unit.getalttrans()
        assert [int(a.xmlelement.get("match-quality")) for a in alternatives] == percents
        state = unit.xmlelement.find(f"{{{XLIFF}}}target").get("state-qualifier")
        assert state == ("exact-match" if row["origin"] == "human" else "mt-suggestion")
        if row["tm_match"]:
            matched += 1
            assert percents[0] == int(row["tm_match"])
            assert alternatives[0].target == row["tm_target"]
            assert alternatives[0].xmlelement.get("origin") == (
                "tm+placeables" if row["tm_adapted"] == "1" else "tm")
    assert matched >= len(run["variants"])


def test_the_page_shows_the_match_and_adopts_it_in_one_click(run):
    require_browser()
    from playwright.sync_api import sync_playwright

    rows = run["tsv"]
    # A variant whose machine translation differs from the match, when the model left one.
    differing = [s for s, target in run["variants"].items()
                 if rows.loc[rows["source"] == s, "target"].item() != target]
    first_variant = (differing or list(run["variants"]))[0]
    index = rows.index[rows["source"] == first_variant][0]
    row = rows.loc[index]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(accept_downloads=True)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((run["work"] / "two" / "second.html").as_uri())
        assert page.locator(".row .tm-match").count() == (rows["tm_match"] != "").sum()
        shown = page.locator(".row").nth(index)
        assert shown.locator(".badge.tm").inner_text() == f"TM {row['tm_match']}%"
        assert shown.locator(".tm-text").inner_text() == row["tm_target"]
        # The memory's Arabic with the word that differs marked: the old number.
        marked = shown.locator(".tm-ar mark").all_inner_texts()
        assert len(marked) == 1 and NUMBER.fullmatch(marked[0])
        assert marked[0] not in first_variant
        shown.locator(".use-tm").click()
        assert shown.locator(".en").inner_text() == row["tm_target"]
        # An edit, or an approval where the model had written the same English already.
        review = "edited" if row["target"] != row["tm_target"] else "approved"
        assert review in shown.get_attribute("class").split()
        reviewed = download(page, "#download-tsv", run["work"])
        browser.close()
    assert errors == []
    adopted = read_tsv(reviewed).loc[index]
    assert (adopted["target"], adopted["origin"], adopted["review"]) == (
        row["tm_target"], "human", review)


def test_tm_stats_prints_the_runs_bands(run):
    result = run_jisr("tm", "stats", str(run["work"] / "two"), env=run["env"])
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    counts = {line[:20].strip(): int(line.split()[-2]) for line in lines[2:]}
    rows = run["tsv"]
    fuzzy = {name: count for name, count in counts.items() if name.startswith("fuzzy")}
    assert list(fuzzy)[:3] == ["fuzzy 95-99%", "fuzzy 85-94%", "fuzzy 75-84%"]
    assert counts["exact (100%)"] == 1
    assert sum(fuzzy.values()) == (rows["tm_match"] != "").sum() >= len(run["variants"])
    assert counts["new"] == len(rows) - 1 - sum(fuzzy.values())
    assert counts["total"] == len(rows)
