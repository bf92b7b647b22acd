"""Reading reviewed work back: XLIFF 1.2 and TMX as CAT tools write them (their namespaces,
attributes, inline codes and states), jisr's own files, and files refused whole."""

from pathlib import Path

import pytest
from lxml import etree

from aligned.formats import WriteContext, writer_for
from aligned.formats.tmx import human_tmx
from aligned.reviewed import read_reviewed
from mt.errors import InputError
from mt.human_memory import HumanTranslation
from tests.review_document import review_document

DATA = Path(__file__).parent / "data"

# A memoQ-style XLIFF 1.2: default namespace, a tool namespace with its own attributes, units
# inside <group>, inline codes, an alt-trans proposal, every kind of state. The MQXliff namespace
# and mq: attributes are memoQ's own.
MEMOQ_XLIFF = (DATA / "reviewed" / "bulletin.mqxliff").read_text(encoding="utf-8")

# An OmegaT-style TMX 1.4: upper-case region subtags, tool attributes, inline codes, a note,
# a unit without English and one in a third language.
OMEGAT_TMX = (DATA / "reviewed" / "omegat.tmx").read_text(encoding="utf-8")


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cat_tool_xliff_states_decide_what_is_human(tmp_path):
    reviewed = read_reviewed(_file(tmp_path, "bulletin.mqxliff", MEMOQ_XLIFF))
    assert [(t.unit, t.target) for t in reviewed.translations] == [
        ("1", "The minister arrived in Baghdad on Sunday morning."),  # translated, <g> kept
        ("2", "The fair opened its doors to visitors."),  # approved="yes" over its state
        ("3", "Roads were closed by snow in the north."),  # signed-off, <ph> code left out
        ("6", "Power returned to the district."),  # final
    ]
    assert reviewed.translations[0].source == "وصل الوزير إلى بغداد صباح الأحد."
    assert reviewed.translations[2].source == "أغلقت الطرق بسبب الثلوج في الشمال."
    assert reviewed.translations[0].file == str(tmp_path / "bulletin.mqxliff")
    assert dict(reviewed.skipped) == {
        "not approved, state needs-review-translation": 1,
        "not approved, state new": 1,
        "no target": 1,
        'translate="no"': 1,
        "not approved, state x-memoq-edited": 1,
    }


@pytest.mark.parametrize(("state", "approved", "human"), [
    pytest.param("translated", "", True, id="translated"),
    pytest.param("final", "", True, id="final"),
    pytest.param("signed-off", "", True, id="signed-off"),
    pytest.param("needs-review-translation", "yes", True, id="approved-unit"),
    pytest.param("needs-review-translation", "", False, id="needs-review-translation"),
    pytest.param("needs-review-l10n", "", False, id="needs-review-l10n"),
    pytest.param("needs-translation", "", False, id="needs-translation"),
    pytest.param("new", "no", False, id="new-not-approved"),
    pytest.param(None, "", False, id="no-state"),
])
def test_xliff_state_table(tmp_path, state, approved, human):
    state_attribute = f' state="{state}"' if state else ""
    approved_attribute = f' approved="{approved}"' if approved else ""
    xliff = (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" '
        'source-language="ar" target-language="en" datatype="plaintext"><body>'
        f'<trans-unit id="u1"{approved_attribute}><source>سافر الوفد إلى عمان.</source>'
        f"<target{state_attribute}>The delegation travelled to Amman.</target></trans-unit>"
        "</body></file></xliff>"
    )
    reviewed = read_reviewed(_file(tmp_path, "a.xlf", xliff))
    assert len(reviewed.translations) == (1 if human else 0)


def test_other_tools_tmx_is_human_whatever_its_language_codes(tmp_path):
    reviewed = read_reviewed(_file(tmp_path, "omegat.tmx", OMEGAT_TMX))
    assert [(t.unit, t.source, t.target) for t in reviewed.translations] == [
        ("omt-1", "أعلنت الشركة عن وظائف جديدة.", "The company announced new jobs."),
        ("tu 3", "هطلت أمطار غزيرة على المدينة.", "Heavy rain fell on the city."),
    ]
    assert dict(reviewed.skipped) == {"no Arabic and English variant": 1}


def test_jisr_translation_tmx_is_machine_output_and_its_export_is_human(tmp_path):
    path = tmp_path / "article-1.tmx"
    writer_for("tmx").write([review_document()], path, WriteContext())
    machine = read_reviewed(path)
    assert machine.translations == []
    assert dict(machine.skipped) == {"machine translation (jisr output, origin mt)": 6}

    stored = [HumanTranslation("رحبت الجامعة العربية بالاتفاق.", "The Arab League welcomed it.",
                               "/work/a.xlf", "article-1:7", 1767225600.0)]
    exported = _file(tmp_path, "memory.tmx", human_tmx(stored))
    back = read_reviewed(exported)
    assert [(t.source, t.target, t.unit) for t in back.translations] == [
        ("رحبت الجامعة العربية بالاتفاق.", "The Arab League welcomed it.", "tu 1")]


def test_exported_tmx_is_valid_tmx_14_that_translate_toolkit_reads(tmp_path):
    from translate.storage.tmx import tmxfile

    stored = [
        HumanTranslation("قال الوزير إن الخطة جاهزة.", 'The minister said the "plan" is ready.',
                         "/work/a.xlf", "article-1:2", 1767225600.0),
        HumanTranslation("وصلت <المساعدات> & الأدوية.", "Aid <and> medicine arrived & more.",
                         "/work/b.tmx", "tu 4", 1767229200.0),
    ]
    path = _file(tmp_path, "memory.tmx", human_tmx(stored))
    tree = etree.parse(str(path))
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    units = tree.getroot().findall("body/tu")
    assert units[0].get("creationdate") == "20260101T000000Z"
    props = {p.get("type"): p.text for p in units[1].findall("prop")}
    assert props == {"x-origin": "human", "x-file": "/work/b.tmx", "x-unit": "tu 4"}
    with path.open("rb") as handle:
        store = tmxfile(handle, "ar", "en")
    assert [(u.source, u.target) for u in store.units] == [(t.source, t.target) for t in stored]


@pytest.mark.parametrize(("name", "text", "message"), [
    pytest.param("broken.xlf", MEMOQ_XLIFF.replace("Power returned", "Power Ø±eturned"),
                 r"broken.xlf:\d+: the target is broken \(mojibake", id="mojibake-target"),
    pytest.param("lost.xlf", MEMOQ_XLIFF.replace("on Sunday morning", "on Sunday \ufffd"),
                 r"lost.xlf:\d+: the target is broken \(U\+FFFD", id="replacement-character"),
    pytest.param("cut.xlf", MEMOQ_XLIFF[: len(MEMOQ_XLIFF) // 2],
                 "cut.xlf: not well-formed XML", id="truncated"),
    pytest.param("state.xlf", MEMOQ_XLIFF.replace('state="final"', 'state="done"'),
                 r"state.xlf:\d+: state 'done' is not an XLIFF 1.2 state", id="unknown-state"),
    pytest.param("two.xlf", '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>',
                 "XLIFF 2.0 is not read", id="xliff-2"),
    pytest.param("bad.tmx", OMEGAT_TMX.replace("Heavy rain", "Heavy \ufffd rain"),
                 r"bad.tmx:\d+: the target is broken", id="tmx-broken-target"),
    pytest.param("doc.xml", "<html><body/></html>", "neither XLIFF nor TMX", id="other-xml"),
    pytest.param("plain.tsv", "doc_id\tseg\tsource\ttarget\na\t0\tقال.\tSaid.\n",
                 "no review column", id="tsv-without-review"),
    pytest.param("odd.tsv", "source\ttarget\treview\nقال.\tSaid.\tmaybe\n",
                 r"odd.tsv:2: review is 'maybe'", id="tsv-unknown-review"),
])
def test_a_bad_file_is_refused_whole_in_one_sentence(tmp_path, name, text, message):
    with pytest.raises(InputError, match=message) as error:
        read_reviewed(_file(tmp_path, name, text))
    assert "\n" not in str(error.value)
