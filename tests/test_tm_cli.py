"""The translator's loop through the CLI with the real tiny model: translate, review (in the page
in Chromium, or in the XLIFF as a CAT tool would), `jisr tm import`, translate again; the memory's
export and stats; stale and broken files; --no-cache; a resumed batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from tests.cli_helpers import own_cache, read_tsv, run_jisr
from tests.review_browser import require_browser, review

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "article_ar.txt"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"

pytestmark = pytest.mark.slow


def translate(model: Path, inputs: list[Path] | Path, out: Path, env: dict, *extra: str):
    """`jisr translate`; the random model never stops by itself, a short cap keeps runs quick."""
    inputs = inputs if isinstance(inputs, list) else [inputs]
    result = run_jisr("translate", *map(str, inputs), "-o", str(out), "--model", str(model),
                      "--max-new-tokens", "16", *extra, env=env)
    assert result.returncode == 0, result.stderr.decode()
    return read_tsv(out / f"{inputs[0].stem}.tsv") if inputs[0].is_file() else None


def jisr_tm(env: dict, *args: str):
    return run_jisr("tm", *args, env=env)


def human_count(env: dict) -> int:
    stats = jisr_tm(env, "stats")
    assert stats.returncode == 0, stats.stderr.decode()
    line = next(line for line in stats.stdout.decode().splitlines() if line.startswith("human:"))
    return int(line.split()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict:
    return own_cache(tmp_path / "cache")


def test_the_loop_through_the_review_page(tiny_model_dir, tmp_path, env):
    require_browser()
    first = translate(tiny_model_dir, ARTICLE, tmp_path / "one", env, "--formats",
                      "tsv,html,xliff,terms")
    content = first.index[first["kind"] != "boilerplate"].tolist()
    edits = {content[1]: "The spokesman said the visit aims to strengthen security ties.",
             content[3]: 'He added: "We work with our partners" & <b>others</b>.'}
    approved = content[5]
    tsv, xliff, seen = review(tmp_path / "one" / "article_ar.html", tmp_path, edits, [approved])
    assert seen["errors"] == []

    imported = jisr_tm(env, "import", str(tsv), str(xliff))
    assert imported.returncode == 0, imported.stderr.decode()
    report = imported.stdout.decode().splitlines()
    assert report[0].startswith(f"{tsv}: 3 added, 0 replaced, ")
    assert report[1].startswith(f"{xliff}: 0 added, 0 replaced, ")
    assert "3 already in the memory" in report[1]
    assert human_count(env) == 3

    second = translate(tiny_model_dir, ARTICLE, tmp_path / "two", env, "--formats", "tsv,terms")
    assert second["source"].tolist() == first["source"].tolist()  # every sentence, once
    for index, row in second.iterrows():
        before = first.loc[index]
        if index in edits:
            assert (row["target"], row["origin"]) == (edits[index], "human")
        elif index == approved:
            assert (row["target"], row["origin"]) == (before["target"], "human")
        elif row["kind"] == "boilerplate":
            assert (row["target"], row["origin"]) == ("", "")
        else:
            assert (row["target"], row["origin"]) == (before["target"], "mt-cache")
            assert before["origin"] == "mt"
    human = second[second["origin"] == "human"]
    assert (human["score"] != "").all() and (human["alignment"] != "").all()
    terms = read_tsv(tmp_path / "two" / "article_ar.terms.tsv")
    assert "human_failed" in terms.columns

    exported = jisr_tm(env, "export", "-o", str(tmp_path / "memory.tmx"))
    assert exported.returncode == 0, exported.stderr.decode()
    tree = etree.parse(str(tmp_path / "memory.tmx"))
    assert etree.DTD(str(DATA / "tmx14.dtd")).validate(tree)
    targets = sorted(seg.text for seg in tree.iterfind("body/tu/tuv[2]/seg"))
    assert targets == sorted([*edits.values(), first.loc[approved, "target"]])

    no_cache = translate(tiny_model_dir, ARTICLE, tmp_path / "three", env, "--no-cache")
    assert "human" not in set(no_cache["origin"])
    assert no_cache["target"].tolist() == first["target"].tolist()


def test_xliff_reviewed_in_a_cat_tool_comes_back(tiny_model_dir, tmp_path, env):
    first = translate(tiny_model_dir, ARTICLE, tmp_path / "one", env, "--formats", "tsv,xliff")
    tree = etree.parse(str(tmp_path / "one" / "article_ar.xlf"))
    units = tree.getroot().findall(f".//{{{XLIFF_NS}}}trans-unit[{{{XLIFF_NS}}}target]")
    corrected = {}
    for unit, text in zip(units[1:3], ["The minister arrived in Baghdad this morning.",
                                       "Growth reached 2.5 percent last year."], strict=True):
        target = unit.find(f"{{{XLIFF_NS}}}target")
        target.text = text
        target.set("state", "translated")  # what a CAT tool writes on a confirmed segment
        del target.attrib["state-qualifier"]
        corrected[unit.find(f"{{{XLIFF_NS}}}source").text] = text
    reviewed = tmp_path / "article_ar.reviewed.xlf"
    tree.write(str(reviewed), xml_declaration=True, encoding="UTF-8")

    imported = jisr_tm(env, "import", str(reviewed))
    assert imported.returncode == 0, imported.stderr.decode()
    second = translate(tiny_model_dir, ARTICLE, tmp_path / "two", env)
    human = second[second["origin"] == "human"]
    assert dict(zip(human["source"], human["target"], strict=True)) == corrected
    others = second["origin"] != "human"
    assert second.loc[others, "target"].tolist() == first.loc[others, "target"].tolist()


def test_a_stale_file_changes_no_row_and_a_broken_one_is_refused(tiny_model_dir, tmp_path, env):
    first = translate(tiny_model_dir, ARTICLE, tmp_path / "one", env)
    stale = tmp_path / "old.tmx"
    shutil.copy(DATA / "reviewed" / "omegat.tmx", stale)  # other sentences than the article's
    imported = jisr_tm(env, "import", str(stale))
    assert imported.returncode == 0 and imported.stdout.decode().startswith(f"{stale}: 2 added")
    again = translate(tiny_model_dir, ARTICLE, tmp_path / "two", env)
    assert again["target"].tolist() == first["target"].tolist()
    assert "human" not in set(again["origin"])

    broken = tmp_path / "broken.xlf"
    text = (DATA / "reviewed" / "bulletin.mqxliff").read_text(encoding="utf-8")
    broken.write_text(text.replace("Power returned", "Power \ufffd returned"), encoding="utf-8")
    refused = jisr_tm(env, "import", str(DATA / "reviewed" / "bulletin.mqxliff"), str(broken))
    stderr = refused.stderr.decode()
    assert refused.returncode == 2
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "broken.xlf" in stderr and "nothing was imported" in stderr
    assert human_count(env) == 2  # only the stale file's


def test_a_resumed_batch_serves_what_was_imported_since(tiny_model_dir, tmp_path, env):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / "a.txt")
    (corpus / "b.txt").write_text(
        "أعلنت البلدية إغلاق السوق القديم للصيانة.\n\nوقال رئيس البلدية إن الأعمال ستنتهي قريبا.\n",
        encoding="utf-8")
    translate(tiny_model_dir, [corpus], tmp_path / "out", env)
    reviewed = tmp_path / "fix.tmx"
    reviewed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="Trados '
        'Studio" creationtoolversion="18" o-tmf="SDL TM8 Format" datatype="xml" segtype='
        '"sentence" adminlang="en-US" srclang="ar-SA"/><body><tu creationdate="20260110T101500Z"'
        ' creationid="STUDIO\\\\leila" usagecount="0"><tuv xml:lang="ar-SA"><seg>وقال رئيس '
        "البلدية إن الأعمال ستنتهي قريبا.</seg></tuv><tuv xml:lang=\"en-US\"><seg>The mayor "
        "said the work would end soon.</seg></tuv></tu></body></tmx>", encoding="utf-8")
    assert jisr_tm(env, "import", str(reviewed)).returncode == 0

    translate(tiny_model_dir, [corpus], tmp_path / "out", env, "--resume")
    resumed = read_tsv(tmp_path / "out" / "b.tsv")
    assert resumed.loc[1, ["target", "origin"]].tolist() == [
        "The mayor said the work would end soon.", "human"]
    # What one uninterrupted run after the import writes: a cold memory holding the same human
    # translation (the resumed batch's own decodings count as its own, origin mt).
    cold = own_cache(tmp_path / "cold-cache")
    assert jisr_tm(cold, "import", str(reviewed)).returncode == 0
    translate(tiny_model_dir, [corpus], tmp_path / "fresh", cold)
    for name in ("a.tsv", "b.tsv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
