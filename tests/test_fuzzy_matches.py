"""Fuzzy matches from the translation memory, without a model: the percentage on folded words,
the index against a brute-force scan, placeables, the analysis bands, the outputs (TSV columns,
JSONL fields, XLIFF alt-trans read back with translate-toolkit) and the refusals."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from aligned.formats import WriteContext, writer_for
from aligned.readers import read_tsv
from aligned.reviewed import read_reviewed
from aligned.tm.analysis import analysis, band
from aligned.tm.index import FuzzyIndex, percent
from aligned.tm.lookup import offer_fuzzy_matches
from aligned.tm.words import folded_words, words_with_spans
from glossary.match import Matcher
from glossary.termbase import load_termbases
from mt.document import Document, Segment
from mt.errors import InputError
from mt.human_memory import HumanMemory, HumanTranslation

RAQQA = "قال الرئيس إن 1,500 شخص قتلوا في الرقة اليوم"
RAQQA_EN = "The president said 1,500 people were killed in Raqqa today"
SDF = "وأضاف المتحدث أن قوات سوريا الديمقراطية سيطرت على المدينة بعد معارك عنيفة"
SDF_EN = ("The spokesman added that the Syrian Democratic Forces (SDF) took the city after heavy "
          "fighting")


def human(source: str, target: str = "x", unit: str = "1") -> HumanTranslation:
    return HumanTranslation(source, target, "memory.xlf", unit)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_termbases((), default=True))


def offered(sentence: str, memory: list[HumanTranslation], matcher=None, threshold=75, limit=3):
    segment = Segment("doc", 0, 0, "content", sentence, 0, len(sentence))
    offer_fuzzy_matches(FuzzyIndex(memory), [segment], matcher, threshold, limit)
    return segment.tm_matches


@pytest.mark.parametrize("sentence, expected", [
    pytest.param("قالَ الرَّئيسُ إنّ 1,500 شخصٍ قُتلوا في الرقه اليوم", 99, id="marks-and-ta"),
    pytest.param("قال الرئيس ان ١٬٥٠٠ شخص قتلوا في الرقة اليوم", 99, id="alef-and-eastern-digits"),
    pytest.param("قال الرئيس إن 2,000 شخص قتلوا في الرقة اليوم", 88, id="one-of-nine"),
    pytest.param("قال الرئيس إن 2,000 شخص قتلوا في الموصل اليوم", 77, id="two-of-nine"),
    pytest.param("قال الرئيس إن 1,500 شخص قتلوا في الرقة", 88, id="one-word-less"),
    pytest.param("قال الرئيس إن 1,500 شخص قتلوا في الرقة اليوم وأمس ايضا", 81, id="two-more"),
])
def test_the_percentage_counts_words_of_the_folded_arabic(sentence, expected):
    matches = offered(sentence, [human(RAQQA, RAQQA_EN)], threshold=50)
    assert [m.percent for m in matches] == [expected]


def test_the_threshold_and_the_limit_keep_the_closest_first():
    memory = [human(RAQQA, unit="a"), human(RAQQA.replace("اليوم", "أمس"), unit="b"),
              human(RAQQA.replace("الرئيس", "الوزير").replace("اليوم", "أمس"), unit="c")]
    sentence = RAQQA.replace("اليوم", "أمس")  # b exactly (but not served here), a 88, c 88
    assert [(m.unit, m.percent) for m in offered(sentence, memory, limit=3)] == [
        ("b", 99), ("a", 88), ("c", 88)]
    assert [m.unit for m in offered(sentence, memory, limit=1)] == ["b"]
    assert [m.unit for m in offered(sentence, memory[:1] + memory[2:], threshold=89)] == []


def test_matches_never_cross_the_source_language():
    latin = "The president said 1,500 people were killed in Raqqa today"
    memory = [human(latin, "x"), human(RAQQA, RAQQA_EN)]
    assert offered(latin, memory, threshold=1) == []
    assert [m.source for m in offered(RAQQA + " ايضا", memory)] == [RAQQA]


def test_the_index_finds_what_a_scan_of_every_entry_finds():
    rng = random.Random(7)
    vocabulary = [f"كلمة{chr(0x628 + i)}" for i in range(30)] + ["في", "من", "قال", "إن"]
    weights = [1] * 30 + [20] * 4  # a few words in almost every sentence, as in news
    sources = sorted({" ".join(rng.choices(vocabulary, weights, k=rng.randint(3, 12)))
                      for _ in range(1500)})
    index = FuzzyIndex(human(source, unit=str(i)) for i, source in enumerate(sources))
    for threshold in (50, 75, 90):
        for _ in range(40):
            query = " ".join(rng.choices(vocabulary, weights, k=rng.randint(3, 12)))
            words = folded_words(query)
            scanned = sorted(
                (-p, s) for s in sources
                if (p := percent(Levenshtein.normalized_similarity(words, folded_words(s))))
                >= threshold)
            found = [(-c.percent, c.translation.source)
                     for c in index.lookup(query, threshold, limit=len(sources))]
            assert found == scanned


def test_a_number_that_differs_is_replaced_in_the_human_translation():
    (match,) = offered("قال الرئيس إن ٢٠٠٠ شخص قتلوا في الرقة اليوم", [human(RAQQA, RAQQA_EN)])
    assert match.target == RAQQA_EN  # the human translation, as it is
    assert match.adapted == "The president said 2,000 people were killed in Raqqa today"
    assert match.offered == match.adapted
    assert [match.source[a:b] for a, b in match.changed] == ["1,500"]


def test_a_glossary_name_that_differs_takes_the_glossarys_rendering(matcher):
    sentence = SDF.replace("قوات سوريا الديمقراطية", "الحشد الشعبي")
    (match,) = offered(sentence, [human(SDF, SDF_EN)], matcher, threshold=70)
    assert match.adapted == ("The spokesman added that the Popular Mobilization Forces (PMF) "
                             "took the city after heavy fighting")
    assert [match.source[a:b] for a, b in match.changed] == ["قوات", "سوريا", "الديمقراطية"]


@pytest.mark.parametrize("sentence, target", [
    pytest.param("قال الوزير إن 2,000 شخص قتلوا في الرقة اليوم", RAQQA_EN, id="another-word-too"),
    pytest.param("قال الرئيس إن 2,000 شخص قتلوا في الرقة اليوم",
                 "The president said 1,500 of 1,500 were killed in Raqqa today", id="twice"),
    pytest.param("قال الرئيس إن 2,000 شخص قتلوا في الرقة اليوم",
                 "The president said fifteen hundred died in Raqqa today", id="in-words"),
])
def test_nothing_is_adapted_unless_only_placeables_differ_and_each_is_found_once(
        sentence, target, matcher):
    (match,) = offered(sentence, [human(RAQQA, target)], matcher)
    assert (match.adapted, match.offered) == ("", target)


def _document(matches: bool) -> Document:
    segment = Segment("doc", 0, 0, "content", "قال الرئيس إن 2,000 شخص قتلوا في الرقة اليوم",
                      0, 46, target="machine", score=0.5, flag="review", origin="mt")
    if matches:
        offer_fuzzy_matches(FuzzyIndex([human(RAQQA, RAQQA_EN, "u1"),
                                        human(RAQQA.replace("اليوم", "أمس"), "Yesterday", "u2")]),
                            [segment], None, 50)
    served = Segment("doc", 1, 0, "content", RAQQA, 47, 90, target=RAQQA_EN, score=0.9,
                     flag="ok", origin="human")
    return Document("doc", "", [], [segment, served])


def test_tsv_appends_the_best_match_after_every_column_of_before(tmp_path):
    without, with_matches = tmp_path / "a.tsv", tmp_path / "b.tsv"
    writer_for("tsv").write([_document(False)], without, WriteContext())
    writer_for("tsv").write([_document(True)], with_matches, WriteContext())
    before = without.read_text(encoding="utf-8").splitlines()[0].split("\t")
    after = with_matches.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert before == after and after[-3:] == ["tm_match", "tm_target", "tm_adapted"]
    rows = read_tsv(with_matches)
    assert [(r["tm_match"], r["tm_target"], r["tm_adapted"]) for r in rows] == [
        ("88", "The president said 2,000 people were killed in Raqqa today", "1"), ("", "", "")]


def test_jsonl_carries_every_match(tmp_path):
    path = tmp_path / "doc.jsonl"
    writer_for("jsonl").write([_document(True)], path, WriteContext())
    first, served = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    assert [(m["percent"], m["unit"], m["adapted"] != "") for m in first["tm_matches"]] == [
        (88, "u1", True), (77, "u2", False)]
    assert served["tm_matches"] == []


def test_xliff_offers_alt_trans_and_states_every_target(tmp_path):
    from translate.storage import xliff

    path = tmp_path / "doc.xlf"
    writer_for("xliff").write([_document(True)], path, WriteContext())
    store = xliff.xlifffile(path.read_bytes())
    fuzzy, served = (u for u in store.units if not u.isheader())
    alternatives = fuzzy.getalttrans()
    assert [a.target for a in alternatives] == [
        "The president said 2,000 people were killed in Raqqa today", "Yesterday"]
    assert [a.source for a in alternatives] == [RAQQA, RAQQA.replace("اليوم", "أمس")]
    elements = [a.xmlelement for a in alternatives]
    assert [(e.get("match-quality"), e.get("origin")) for e in elements] == [
        ("88", "tm+placeables"), ("77", "tm")]
    ns = "{urn:oasis:names:tc:xliff:document:1.2}"
    states = [t.get("state-qualifier") for t in store.document.iter(f"{ns}target")]
    assert states == ["mt-suggestion", "leveraged-tm", "leveraged-tm", "exact-match"]
    assert served.target == RAQQA_EN
    # Read back as reviewed work, a proposal is never taken for a translation.
    assert [t.unit for t in read_reviewed(path).translations] == ["doc:1"]


def test_the_analysis_counts_exact_fuzzy_by_band_and_new():
    def row(origin: str, match: str, kind: str = "content", flag: str = "ok") -> dict:
        return {"kind": kind, "flag": flag, "origin": origin, "tm_match": match,
                "source": "كلمة كلمة"}
    rows = [row("human", ""), row("mt", "99"), row("mt", "95"), row("mt-cache", "94"),
            row("mt", "75"), row("mt", "60"), row("mt", ""), row("", "", "boilerplate", "skipped")]
    lines = analysis(rows)
    counts = {line[:20].strip(): line.split()[-2:] for line in lines[1:]}
    assert counts == {"exact (100%)": ["1", "2"], "fuzzy 95-99%": ["2", "4"],
                      "fuzzy 85-94%": ["1", "2"], "fuzzy 75-84%": ["1", "2"],
                      "fuzzy under 75%": ["1", "2"], "new": ["1", "2"], "total": ["7", "14"]}
    assert band(84) == "fuzzy 75-84%" and band(85) == "fuzzy 85-94%"


def test_a_memory_file_jisr_cannot_read_is_left_as_it_is(tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database " * 100)
    with pytest.raises(InputError, match="not a memory file jisr can read"):
        HumanMemory(garbage)
    assert garbage.read_bytes() == b"not a database " * 100
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE human (key TEXT, note TEXT)")
    with pytest.raises(InputError, match="no such column"):
        HumanMemory(other)


@pytest.mark.parametrize("languages", [
    'source-language="en" target-language="ar"', 'source-language="ar" target-language="fr"'])
def test_an_xliff_in_another_direction_is_refused(tmp_path, languages):
    path = tmp_path / "other.xlf"
    path.write_text(
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        f'<file original="x" {languages} datatype="plaintext"><body>'
        '<trans-unit id="1"><source>The president</source>'
        '<target state="translated">الرئيس</target></trans-unit></body></file></xliff>',
        encoding="utf-8")
    with pytest.raises(InputError, match="Arabic-to-English"):
        read_reviewed(path)


def test_tm_stats_refuses_what_is_not_a_runs_translation_tsv(tmp_path):
    from tests.cli_helpers import run_jisr

    old = tmp_path / "old.tsv"
    old.write_text("doc_id\tseg\tkind\tsource\ttarget\tflag\torigin\nd\t0\tcontent\tس\tx\tok\tmt\n",
                   encoding="utf-8")
    for path, message in ((old, "no tm_match column"), (tmp_path / "gone", "no such file")):
        result = run_jisr("tm", "stats", str(path))
        assert result.returncode == 2
        error = result.stderr.decode()
        assert message in error and "Traceback" not in error and len(error.splitlines()) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="قالرئيسأإآٱىؤئةهکیَُِّْـ\u200c\u200f\u00a0 \t.,،1٢٫٬5-ديموقراطİ", max_size=40))
def test_words_folded_chunk_by_chunk_are_the_glossarys_fold_of_the_whole(text):
    assert folded_words(text) == list(words_with_spans(text).words)
