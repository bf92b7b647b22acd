"""Loading term bases (TSV, CSV, TBX, encodings), merging, hashing, and the checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.check import ERROR, WARNING, check_file, has_errors
from glossary.match import Matcher
from glossary.termbase import Entry, TermBase, load_default, load_termbase, load_termbases
from mt.errors import GlossaryError

TSV = (
    "source\ttarget\tfirst_mention\tvariants\tnote\n"
    "الحشد الشعبي\tPMF\tPopular Mobilization Forces (PMF)\tقوات الحشد الشعبي\tIraq\n"
    "# a comment line\n"
    "\n"
    "قسد\tSDF\t\t\t\n"
)

TBX_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
 <text><body>
  <termEntry id="c1">
   <descrip type="definition">Iraqi armed groups</descrip>
   <langSet xml:lang="ar">
    <tig><term>الحشد الشعبي</term></tig>
    <tig><term>قوات الحشد الشعبي</term></tig>
   </langSet>
   <langSet xml:lang="en">
    <tig><term>Popular Mobilization Forces</term>
     <termNote type="termType">fullForm</termNote></tig>
    <tig><term>PMF</term><termNote type="termType">acronym</termNote></tig>
   </langSet>
  </termEntry>
  <termEntry id="c2">
   <langSet xml:lang="ar-SY"><tig><term>دير الزور</term></tig></langSet>
   <langSet xml:lang="en-US"><tig><term>Deir ez-Zor</term></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""

TBX_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Core" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="ar"><termSec><term>قسد</term></termSec></langSec>
   <langSec xml:lang="en"><termSec><term>SDF</term></termSec></langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_tsv_with_header(tmp_path: Path) -> None:
    base = load_termbase(write(tmp_path, "g.tsv", TSV))
    pmf, sdf = base.entries
    assert pmf == Entry(
        "الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)", ("قوات الحشد الشعبي",), "Iraq"
    )
    assert pmf.origin.endswith("g.tsv:2")
    assert (sdf.source, sdf.target, sdf.origin.rsplit(":", 1)[1]) == ("قسد", "SDF", "5")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("deepl.csv", "قسد,SDF\nالرقة,Raqqa\n", id="deepl-csv-headerless"),
        pytest.param("deepl.tsv", "قسد\tSDF\nالرقة\tRaqqa\n", id="deepl-tsv-headerless"),
        pytest.param("google.csv", "ar,en\nقسد,SDF\nالرقة,Raqqa\n", id="google-language-header"),
        pytest.param("quoted.csv", 'source,target\n"قسد","SDF"\nالرقة,Raqqa\n', id="quoted-csv"),
        pytest.param("noext", "قسد\tSDF\nالرقة\tRaqqa\n", id="sniffed-tsv"),
    ],
)
def test_two_column_shapes(tmp_path: Path, name: str, content: str) -> None:
    base = load_termbase(write(tmp_path, name, content))
    assert [(e.source, e.target) for e in base.entries] == [("قسد", "SDF"), ("الرقة", "Raqqa")]


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param("قسد\tSDF\n".encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param("قسد\tSDF\n".encode("utf-16"), id="utf-16-bom"),
        pytest.param(("قوات سوريا الديمقراطية\tSyrian Democratic Forces\n" * 3).encode("cp1256"),
                     id="windows-1256"),
    ],
)
def test_encodings(tmp_path: Path, encoded: bytes) -> None:
    base = load_termbase(write(tmp_path, "g.tsv", encoded))
    assert base.entries[0].source in ("قسد", "قوات سوريا الديمقراطية")


def test_tbx_2008_full_form_and_acronym(tmp_path: Path) -> None:
    pmf, deir = load_termbase(write(tmp_path, "g.tbx", TBX_2008)).entries
    assert (pmf.source, pmf.target, pmf.first_mention, pmf.variants, pmf.note) == (
        "الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)", ("قوات الحشد الشعبي",),
        "Iraqi armed groups",
    )
    assert (deir.source, deir.target, deir.first_mention) == ("دير الزور", "Deir ez-Zor", "")
    assert deir.origin.endswith("g.tbx:16")


def test_tbx_2019_namespaced(tmp_path: Path) -> None:
    (entry,) = load_termbase(write(tmp_path, "g.tbx", TBX_2019)).entries
    assert (entry.source, entry.target) == ("قسد", "SDF")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("g.tsv", "source\ttarget\nقسد\t\n", "g.tsv:2: empty target", id="empty"),
        pytest.param("g.tsv", "source\ttarget\tcolour\n", "g.tsv:1: unknown column 'colour'",
                     id="unknown-column"),
        pytest.param("g.tsv", "source\ttarget\nقسد\tSDF\textra\n", "g.tsv:2: 3 cells",
                     id="cell-count"),
        pytest.param("g.tsv", "source\ttarget\tfold_ta\nقسد\tSDF\tmaybe\n", "g.tsv:2: fold_ta",
                     id="bad-flag"),
        pytest.param("g.tbx", "<martif><text>\n<body>\n</martif>", "g.tbx:3: not well-formed",
                     id="tbx-syntax"),
        pytest.param("g.tbx", TBX_2019.replace('xml:lang="en"><termSec', 'xml:lang="fr"><termSec'),
                     "no 'en' term", id="tbx-no-english"),
        pytest.param("g.tsv", b"\x81\x8d\x8f\x90\x9d" * 3, "g.tsv", id="undecodable"),
    ],
)
def test_strict_errors_name_file_and_line(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    with pytest.raises(GlossaryError, match=message):
        load_termbase(write(tmp_path, name, content))


def test_later_files_override_earlier(tmp_path: Path) -> None:
    first = write(tmp_path, "a.tsv", "قسد\tSDF\nالرقة\tRaqqa\n")
    second = write(tmp_path, "b.tsv", "قسد\tSyrian Democratic Forces\n")
    base = load_termbases([first, second], default=False)
    assert {e.source: e.target for e in base.entries} == {
        "قسد": "Syrian Democratic Forces",
        "الرقة": "Raqqa",
    }


def test_user_file_overrides_default(tmp_path: Path) -> None:
    mine = write(tmp_path, "mine.tsv", "داعش\tIslamic State\n")
    base = load_termbases([mine])
    assert len(base) == len(load_default())
    assert [m.entry.target for m in Matcher(base).find("داعش")] == ["Islamic State"]


def test_digest_depends_on_content_only(tmp_path: Path) -> None:
    one = load_termbase(write(tmp_path, "a.tsv", "قسد\tSDF\nالرقة\tRaqqa\n"))
    same = load_termbase(write(tmp_path, "b.csv", "الرقة,Raqqa\nقسد,SDF\n"))
    other = load_termbase(write(tmp_path, "c.tsv", "قسد\tSDF\nالرقة\tRakka\n"))
    assert one.digest() == same.digest() != other.digest()
    assert one.signature().startswith("gloss:") and TermBase().signature() == "gloss:none"


ISSUE_ENTRIES = {
    "قسد": "SDF",
    "قوات سوريا الديمقراطية": "Syrian Democratic Forces (SDF)",
    "الحشد الشعبي": "PMF",
    "هيئة تحرير الشام": "HTS",
    "داعش": "ISIS",
    "كتائب حزب الله": "Kataib Hezbollah",
    "معبر القائم": "al-Qaim border crossing",
    "دير الزور": "Deir ez-Zor",
    "الرقة": "Raqqa",
    "محمد شياع السوداني": "Mohammed Shia al-Sudani",
    "عباس عراقجي": "Abbas Araghchi",
    "بشار الأسد": "Bashar al-Assad",
    "وكالة الأنباء العراقية": "Iraqi News Agency",
}


def test_default_glossary_holds_the_issue_list_and_checks_clean() -> None:
    base = load_default()
    targets = {e.source: e.target for e in base.entries}
    assert len(base) > 150
    assert {s: targets.get(s) for s in ISSUE_ENTRIES} == ISSUE_ENTRIES
    pmf = next(e for e in base.entries if e.source == "الحشد الشعبي")
    assert pmf.first_mention == "Popular Mobilization Forces (PMF)"
    path = Path(__file__).parent.parent / "glossary" / "data" / "default.tsv"
    assert check_file(path) == []


# --- the checker ---------------------------------------------------------------------------


def problems(tmp_path: Path, content: str | bytes, name: str = "g.tsv") -> list[tuple]:
    return [(p.level, p.where.rsplit(":", 1)[-1], p.message.split(" ")[0])
            for p in check_file(write(tmp_path, name, content))]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("source\ttarget\nقسد\t\nالرقة\tRaqqa\n", [(ERROR, "2", "empty")],
                     id="empty-cell"),
        pytest.param("قسد\tSDF\nقسد\tSyrian Democratic Forces\n", [(ERROR, "2", "'قسد'")],
                     id="duplicate-different-target"),
        pytest.param("قسد\tSDF\nقسد\tSDF\n", [(WARNING, "2", "'قسد'")],
                     id="duplicate-same-target"),
        pytest.param("الديمقراطية\tdemocracy\nالديموقراطية\tDemocracy\n",
                     [(ERROR, "2", "'الديموقراطية'")], id="duplicate-after-folding"),
        pytest.param("الحشد الشعبي\tPMF\nقوات الحشد الشعبي\tMobilization Units\n",
                     [(WARNING, "2", "'قوات")], id="subterm-conflict"),
        pytest.param("الحشد الشعبي\tPMF\nقوات الحشد الشعبي\tthe PMF forces\n", [],
                     id="subterm-consistent"),
        pytest.param("الحشد\tPMF\nالحشدي\tsomething else\n", [], id="inside-a-word-is-no-subterm"),
        pytest.param("قسد\tSDF\nÙ‚Ø³Ø¯\tSDF\n", [(ERROR, "2", "mojibake:"),
                                             (WARNING, "2", "source")], id="mojibake"),
        pytest.param("ق\ufffdد\tSDF\n", [(ERROR, "1", "U+FFFD")], id="replacement-char"),
        pytest.param("SDF\tقسد\n", [(WARNING, "1", "source"), (WARNING, "1", "target")],
                     id="swapped-columns"),
        pytest.param("source\ttarget\tfirst_mention\nقسد\tSDF\tSyrian Democratic Forces\n",
                     [(WARNING, "2", "first")], id="first-mention-without-target"),
    ],
)
def test_checker(tmp_path: Path, content: str, expected: list[tuple]) -> None:
    assert problems(tmp_path, content) == expected


def test_checker_reports_every_bad_row_and_fails(tmp_path: Path) -> None:
    content = "source\ttarget\nقسد\t\n\tRaqqa\nالرقة\tRaqqa\tx\n"
    found = check_file(write(tmp_path, "g.tsv", content))
    assert [p.where.rsplit(":", 1)[-1] for p in found] == ["2", "3", "4"]
    assert has_errors(found)


def test_checker_on_bad_tbx(tmp_path: Path) -> None:
    (problem,) = check_file(write(tmp_path, "g.tbx", "<martif>\n<text>\n</martif>"))
    assert problem.level == ERROR and problem.where.endswith("g.tbx:3")
