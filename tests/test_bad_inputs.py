"""The bad-input catalogue (issue 7): every case gives a correct result, or one clear sentence
and a non-zero exit code; never a traceback. Through the real CLI with the tiny model."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mt.app.manifest import MANIFEST_NAME
from tests.cli_helpers import own_cache, read_tsv, run_jisr
from tests.components import require

pytestmark = pytest.mark.slow

SAY = "قال الرئيس إن المفاوضات مستمرة."
ADD = "وأضاف الوزير أن الاتفاق قريب."
END = "وقالت الحكومة إن الاجتماع انتهى."


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Case:
    """Files to write (name -> bytes), then either the text the TSV's sources must hold
    (`text`, a correct result) or the exit code and a phrase of the one error sentence."""

    files: dict[str, bytes]
    text: str | None = None
    code: int = 0
    phrase: str = ""
    args: tuple[str, ...] = ()


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


TEXT_CASES = {
    "empty-file": Case({"a.txt": b""}, code=2, phrase="is empty"),
    "bom-only": Case({"a.txt": b"\xef\xbb\xbf"}, code=2, phrase="is empty"),
    "nul-bytes": Case({"a.txt": utf8(SAY[:8]) + b"\x00" + utf8(SAY[8:])}, code=2,
                      phrase="NUL bytes"),
    "mixed-encodings-by-line": Case(
        {"a.txt": utf8(SAY + "\n") + (ADD + "\n").encode("cp1256") + utf8(END + "\n")},
        text=SAY + ADD + END),
    "encoding-changes-midway": Case(
        {"a.txt": utf8(SAY + "\n" + END + "\n") + (ADD + "\n" + ADD + "\n").encode("cp1256")},
        text=SAY + END + ADD + ADD),
    "utf16-with-bom": Case({"a.txt": (SAY + "\n").encode("utf-16")}, text=SAY),
    "crlf-line-ends": Case({"a.txt": utf8(SAY + "\r\n\r\n" + END + "\r\n")}, text=SAY + END),
    "right-to-left-override": Case({"a.txt": utf8("قال \u202eالرئيس\u202c إن المفاوضات.")},
                                   text="قال \u202eالرئيس\u202c إن المفاوضات."),
    "zero-width-joiners-in-words": Case({"a.txt": utf8("قال الر\u200dئيس إن المفا\u200dوضات.")},
                                        text="قال الر\u200dئيس إن المفا\u200dوضات."),
    "only-diacritics": Case({"a.txt": utf8("\u064b\u064e\u064f \u0650\u0651\u0652")}, code=2,
                            phrase="no letters or digits"),
    "only-digits": Case({"a.txt": b"123 456\n\n2024"}, text="123 456 2024"),
    "only-english": Case({"a.txt": b"The minister said the talks continue."},
                         text="The minister said the talks continue."),
    "persian-and-urdu-letters": Case({"a.txt": utf8("زار الوفد کرکوک و ایران في رحلۀ طويلة.")},
                                     text="زار الوفد کرکوک و ایران في رحلۀ طويلة."),
    "emoji": Case({"a.txt": utf8("قال الرئيس 🎉 إن المفاوضات مستمرة 👍.")},
                  text="قال الرئيس 🎉 إن المفاوضات مستمرة 👍."),
    "malformed-html": Case(
        {"a.html": utf8(f"<html><body><p>{SAY[:10]}<b>{SAY[10:]}<i><div><p>{END}</span>")},
        text=SAY + END),
    "jsonl-line-missing-text": Case(
        {"a.jsonl": utf8(json.dumps({"id": "x", "text": SAY}, ensure_ascii=False) + "\n"
                         + json.dumps({"id": "y", "title": "no text"}) + "\n"
                         + json.dumps({"id": 3, "text": 42}) + "\n"
                         + json.dumps({"id": True, "text": END}, ensure_ascii=False) + "\n")},
        text=SAY, code=1, phrase="line 2"),
    "jsonl-empty": Case({"a.jsonl": b"\n\n"}, code=2, phrase="is empty"),
}


def _check(case: Case, result: subprocess.CompletedProcess, outdir: Path) -> None:
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    assert result.returncode == case.code, stderr
    if case.code:
        errors = [line for line in stderr.splitlines() if line.startswith("jisr: error:")]
        assert errors and case.phrase in errors[0], stderr
    if case.text is not None:
        (tsv,) = outdir.rglob("*.tsv")
        sources = "".join(read_tsv(tsv)["source"])
        assert squeeze(sources) == squeeze(case.text)
    else:
        assert not list(outdir.rglob("*.tsv"))


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in TEXT_CASES])
def test_text_inputs(name, tiny_model_dir, tmp_path):
    case = TEXT_CASES[name]
    for file, data in case.files.items():
        (tmp_path / "in" / file).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / file).write_bytes(data)
    out = tmp_path / "out"
    result = run_jisr("translate", str(tmp_path / "in"), "-o", str(out),
                      "--model", str(tiny_model_dir), *case.args,
                      env=own_cache(tmp_path / "cache"))
    _check(case, result, out)


def test_jsonl_broken_line_is_reported_and_the_rest_translated(tiny_model_dir, tmp_path):
    lines = [json.dumps({"id": f"n{i}", "text": text}, ensure_ascii=False)
             for i, text in enumerate([SAY, ADD, END])]
    lines.insert(2, '{"id": "broken", "text": "قال')  # line 3, cut off by a crashed scraper
    source = tmp_path / "feed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_jisr("translate", str(source), "-o", str(tmp_path / "out"),
                      "--model", str(tiny_model_dir))
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert re.search(r"jisr: error: .*feed\.jsonl line 3 is not valid JSON", stderr), stderr
    table = read_tsv(tmp_path / "out" / "feed.tsv")
    assert list(dict.fromkeys(table["doc_id"])) == ["n0", "n1", "n2"]
    assert squeeze("".join(table["source"])) == squeeze(SAY + ADD + END)
    # The summary says what was left out, and a resumed run says it again.
    assert "1 line(s) or article(s) left out" in stderr
    again = run_jisr("translate", str(source), "-o", str(tmp_path / "out"),
                     "--model", str(tiny_model_dir), "--resume")
    assert again.returncode == 1 and "line 3" in again.stderr.decode()


def test_html_page_without_an_article(tiny_model_dir, tmp_path):
    """Whatever text the page has is kept (trafilatura's fallback); nothing at all is an error."""
    page = tmp_path / "front.html"
    page.write_text("<html><body><nav><a href='/'>الرئيسية</a></nav><script>x()</script>"
                    "</body></html>", encoding="utf-8")
    empty = tmp_path / "blank.html"
    empty.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    result = run_jisr("translate", str(page), str(empty), "-o", str(out),
                      "--model", str(tiny_model_dir))
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in stderr
    assert "blank.html is an HTML page with no text" in stderr
    assert "الرئيسية" in set(read_tsv(out / "front.tsv")["source"])


def test_symlink_loop_in_an_input_directory(tiny_model_dir, tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "sub" / "a.txt").write_text(SAY, encoding="utf-8")
    (inputs / "sub" / "loop").symlink_to(inputs, target_is_directory=True)
    (inputs / "self").symlink_to(inputs / "self")  # a link to itself
    out = tmp_path / "out"
    result = run_jisr("translate", str(inputs), "-o", str(out), "--model", str(tiny_model_dir))
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.tsv")) == ["sub/a.tsv"]


def test_two_inputs_with_one_output_name(tiny_model_dir, tmp_path):
    """a.txt and a.html would both write a.tsv: the second is refused, the first written."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SAY, encoding="utf-8")
    (tmp_path / "in" / "a.html").write_text(f"<html><body><p>{END}</p></body></html>",
                                            encoding="utf-8")
    out = tmp_path / "out"
    result = run_jisr("translate", str(tmp_path / "in"), "-o", str(out),
                      "--model", str(tiny_model_dir))
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "would overwrite the outputs of" in stderr and "rename one" in stderr
    assert squeeze("".join(read_tsv(out / "a.tsv")["source"])) == squeeze(END)  # a.html first


def test_output_directory_inside_the_input_directory(tiny_model_dir, tmp_path):
    """A second run does not translate the first run's outputs (a.en.txt is a .txt)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(SAY, encoding="utf-8")
    for _ in range(2):
        result = run_jisr("translate", str(inputs), "-o", str(inputs / "out"),
                          "--model", str(tiny_model_dir))
        assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in (inputs / "out").iterdir()) == [
        "a.en.txt", "a.tsv", MANIFEST_NAME]


def test_an_empty_directory_among_good_inputs(tiny_model_dir, tmp_path):
    (tmp_path / "empty").mkdir()
    good = tmp_path / "good.txt"
    good.write_text(SAY, encoding="utf-8")
    out = tmp_path / "out"
    result = run_jisr("translate", str(tmp_path / "empty"), str(good), "-o", str(out),
                      "--model", str(tiny_model_dir))
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "holds no input files" in stderr
    assert (out / "good.tsv").exists()


def test_resume_without_an_output_directory(tmp_path):
    result = run_jisr("translate", "-", "--resume", "--model", str(tmp_path / "unused"),
                      stdin=utf8(SAY))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "jisr: error: --resume needs -o: the manifest is kept in the output directory.")


def test_model_directory_with_corrupt_weights(tiny_model_dir, tmp_path):
    broken = tmp_path / "model"
    shutil.copytree(tiny_model_dir, broken)
    for weights in [*broken.glob("*.safetensors"), *broken.glob("*.bin")]:
        weights.write_bytes(weights.read_bytes()[:1000])  # a download cut short
    source = tmp_path / "a.txt"
    source.write_text(SAY, encoding="utf-8")
    result = run_jisr("translate", str(source), "-o", str(tmp_path / "out"),
                      "--model", str(broken), env={"JISR_CACHE_DIR": str(tmp_path / "cache")})
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("jisr: error:")]
    assert len(errors) == 1, stderr


# -- output directories that cannot take the outputs -------------------------------------

def _mount_small_tmpfs(path: Path) -> bool:
    path.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(path)],
                              capture_output=True)
    except FileNotFoundError:
        return False
    return done.returncode == 0


def test_full_disk_on_a_real_small_tmpfs(tiny_model_dir, tmp_path):
    """A 24 KB tmpfs (needs root and mount; skipped elsewhere): the first outputs fit, the
    rest fail with the system's own reason, exit 1, and no temporary file is left behind."""
    out = tmp_path / "small"
    require(_mount_small_tmpfs(out), "mounting a tmpfs (needs root and mount)")
    try:
        inputs = tmp_path / "in"
        inputs.mkdir()
        for number in range(40):
            (inputs / f"a{number:02d}.txt").write_text(f"{SAY} {ADD} {END}", encoding="utf-8")
        result = run_jisr("translate", str(inputs), "-o", str(out),
                          "--model", str(tiny_model_dir))
        stderr = result.stderr.decode()
        assert "Traceback" not in stderr
        assert result.returncode in (1, 3), stderr
        assert "No space left on device" in stderr
        assert not [p for p in out.rglob("*") if p.name.endswith(".jisr-tmp")]
        for tsv in out.glob("*.tsv"):  # what was written is whole
            assert len(read_tsv(tsv)) == 3
    finally:
        subprocess.run(["umount", str(out)], check=False)


def test_full_disk_as_a_mocked_write_error(tiny_model_dir, own_cache_dir, tmp_path,
                                            monkeypatch):
    """The same, with ENOSPC raised by a patched write (in-process: works without root)."""
    from mt.app.pipeline import Translator, TranslatorSettings
    from mt.app.translate import translate_inputs

    source = tmp_path / "a.txt"
    source.write_text(SAY, encoding="utf-8")
    translator = Translator(TranslatorSettings(model=str(tiny_model_dir)))

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("aligned.formats.base.os.fsync", no_space)
    report = translate_inputs([str(source)], translator, tmp_path / "out")
    assert report.exit_code == 3
    assert [reason for _, reason in report.failed] == [
        f"Cannot write {tmp_path / 'out' / 'a.tsv'}: No space left on device."]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def _chattr(path: Path, flag: str) -> bool:
    try:
        return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def test_read_only_output_directory(tiny_model_dir, tmp_path):
    """Made immutable with chattr +i: root ignores chmod, but not that (skipped where chattr
    is missing or refused). Refused before the model is loaded, in one sentence."""
    out = tmp_path / "out"
    out.mkdir()
    require(_chattr(out, "+i"), "chattr +i (needs root and e2fsprogs' chattr)")
    try:
        source = tmp_path / "a.txt"
        source.write_text(SAY, encoding="utf-8")
        result = run_jisr("translate", str(source), "-o", str(out),
                          "--model", str(tiny_model_dir))
        stderr = result.stderr.decode()
        assert result.returncode == 3, stderr
        assert stderr.strip().splitlines()[-1] == (
            f"jisr: error: Cannot write to {out}: Operation not permitted.")
    finally:
        _chattr(out, "-i")


def _large(tmp: Path, name: str, writer: Callable[[Path], None]) -> Path:
    path = tmp / name
    writer(path)
    return path


def test_ten_megabyte_paragraph_is_segmented_whole(tmp_path):
    """A 10 MB paragraph with no full stop through `jisr segment` (no model): one sentence
    holding every word. Translation of a long line is tested at 1 MB in test_translate_cli;
    at 10 MB the tiny model alone needs minutes, which this suite does not spend."""
    words = ["الحدود", "الأمن", "المعبر", "الحكومة", "الجنود", "بغداد", "الاتفاق"]
    line = " ".join(words[i % len(words)] for i in range(1_300_000))
    path = _large(tmp_path, "long.txt", lambda p: p.write_text(line, encoding="utf-8"))
    assert path.stat().st_size > 10_000_000
    result = run_jisr("segment", str(path))
    assert result.returncode == 0, result.stderr.decode()[-500:]
    assert squeeze(result.stdout.decode("utf-8")) == squeeze(line)


def test_hundred_thousand_one_word_lines(tiny_model_dir, tmp_path):
    # Words of no glossary entry: what this holds is every line's row; the glossary's work at
    # scale is the 1 MB line's test (test_translate_cli).
    words = ["الحدود", "الأمن", "المعبر", "الحكومة", "الجنود", "المدينة", "الاتفاق"]
    text = "\n".join(words[i % len(words)] for i in range(100_000)) + "\n"
    path = _large(tmp_path, "lines.txt", lambda p: p.write_text(text, encoding="utf-8"))
    out = tmp_path / "out"
    # The random model never stops: a short budget for its 100,000 sentences.
    result = run_jisr("translate", str(path), "-o", str(out), "--model", str(tiny_model_dir),
                      "--beam", "1", "--max-new-tokens", "4",
                      env=own_cache(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr.decode()[-500:]
    table = read_tsv(out / "lines.tsv")
    assert squeeze("".join(table["source"])) == squeeze(text)


# -- glossaries: through `jisr align --no-model`, which needs no model ---------------------

GLOSSARY_CASES = {
    "header-only": (b"source\ttarget\n", []),
    "windows-1256": ("source\ttarget\nالحشد الشعبي\tPMF\n".encode("cp1256"), ["PMF"]),
    "regex-metacharacters": ("source\ttarget\nسي.آي.إيه\tCIA\n(قسد)\tSDF\n".encode(),
                             ["SDF", "CIA", "SDF"]),
}
GLOSSARY_TEXT = "قالت قسد إن الحشد الشعبي وسيXآيYإيه و سي.آي.إيه و(قسد) اجتمعوا."


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in GLOSSARY_CASES])
def test_glossaries(name, tmp_path):
    """The file loads (or fails in one sentence) and its terms are found literally: a `.` in
    a term is a dot, not any letter."""
    from glossary.match import Matcher
    from glossary.termbase import load_termbase

    data, targets = GLOSSARY_CASES[name]
    glossary = tmp_path / "terms.tsv"
    glossary.write_bytes(data)
    found = Matcher(load_termbase(glossary)).find(GLOSSARY_TEXT)
    assert [match.entry.target for match in found] == targets
    assert all(GLOSSARY_TEXT[m.start:m.end] == m.surface for m in found)

    (tmp_path / "ar.txt").write_text(GLOSSARY_TEXT, encoding="utf-8")
    (tmp_path / "en.txt").write_text("The SDF said the PMF and the CIA met.", encoding="utf-8")
    result = run_jisr("align", str(tmp_path / "ar.txt"), str(tmp_path / "en.txt"), "--no-model",
                      "--no-default-glossary", "--glossary", str(glossary))
    assert result.returncode == 0, result.stderr.decode()
    assert read_tsv(io.StringIO(result.stdout.decode("utf-8")))["target"].tolist()
