"""Importing reviewed files into the memory: counts and reasons, the later file wins and is
reported, a refused file changes nothing."""

from pathlib import Path

import pytest

from aligned.reviewed.importing import import_reviewed
from mt.errors import InputError
from mt.human_memory import HumanMemory, source_key

DATA = Path(__file__).parent / "data" / "reviewed"


def _xliff(path: Path, units: list[tuple[str, str, str, str]]) -> Path:
    """An XLIFF 1.2 file as Okapi Rainbow writes it: (id, state, source, target) units."""
    body = "".join(
        f'<trans-unit id="{uid}" xml:space="preserve"><source xml:lang="ar">{source}</source>'
        f'<target xml:lang="en" state="{state}">{target}</target></trans-unit>'
        for uid, state, source, target in units
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:okp="okapi-framework:xliff-'
        'extensions" xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0">'
        '<file original="wire.txt" source-language="ar" target-language="en" datatype="x-text">'
        f'<body>{body}</body></file></xliff>\n',
        encoding="utf-8",
    )
    return path


def test_counts_reasons_and_the_later_file_winning(tmp_path: Path):
    memory = HumanMemory(tmp_path / "memory.sqlite3")
    first = import_reviewed([DATA / "bulletin.mqxliff", DATA / "omegat.tmx"], memory)
    assert [(r.added, len(r.replaced), sum(r.skipped.values())) for r in first] == [
        (4, 0, 5), (2, 0, 1)]
    assert next(first[0].lines()).startswith(f"{DATA / 'bulletin.mqxliff'}: 4 added, 0 replaced,")

    later = _xliff(tmp_path / "later.xlf", [
        ("a1", "final", "عاد التيار الكهربائي إلى الحي.", "Electricity came back to the area."),
        ("a2", "translated", "هطلت أمطار غزيرة على المدينة.", "Heavy rain fell on the city."),
    ])
    [report] = import_reviewed([later], memory)
    assert (report.added, dict(report.skipped)) == (0, {"already in the memory": 1})
    [(new, old)] = report.replaced
    assert (new.unit, old.unit, old.file) == ("a1", "6", str(DATA / "bulletin.mqxliff"))
    lines = list(report.lines())
    assert lines[1] == ('  a1 replaces the translation of bulletin.mqxliff 6 for "عاد التيار '
                        'الكهربائي إلى الحي.": "Power returned to the district." -> '
                        '"Electricity came back to the area."')
    served = memory.load()[source_key("عاد التيار الكهربائي إلى الحي.")]
    assert served.target == "Electricity came back to the area."
    assert len(memory) == 6


def test_conflicts_inside_one_import_go_to_the_later_file(tmp_path: Path):
    memory = HumanMemory(tmp_path / "memory.sqlite3")
    one = _xliff(tmp_path / "one.xlf", [("u", "translated", "بدأ الاجتماع.", "The meeting began.")])
    two = _xliff(tmp_path / "two.xlf", [("u", "final", "بدأ الاجتماع.", "The meeting started.")])
    reports = import_reviewed([one, two], memory)
    assert [(r.added, len(r.replaced)) for r in reports] == [(1, 0), (0, 1)]
    assert [t.target for t in memory] == ["The meeting started."]


def test_a_broken_file_among_good_ones_changes_nothing(tmp_path: Path):
    memory = HumanMemory(tmp_path / "memory.sqlite3")
    import_reviewed([DATA / "omegat.tmx"], memory)
    before = list(memory)
    good = _xliff(tmp_path / "good.xlf", [("u", "final", "بدأ الاجتماع.", "The meeting began.")])
    broken = _xliff(tmp_path / "broken.xlf", [
        ("v1", "final", "انتهى الاجتماع.", "The meeting ended."),
        ("v2", "final", "غادر الوفد.", "The delegation \ufffd left."),
    ])
    with pytest.raises(InputError, match=r"broken.xlf:\d+: the target is broken .*; nothing was "
                                         r"imported\.$"):
        import_reviewed([good, broken], memory)
    assert list(memory) == before
