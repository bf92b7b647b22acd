"""The resume manifest: what counts as done, torn lines, the directory lock, stale temp files."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligned.formats.base import TEMP_SUFFIX
from mt.app.manifest import MANIFEST_NAME, Manifest, Record, sha256_bytes
from mt.errors import OutputError

SETTINGS = "settings-a"


def _finish(outdir: Path, key: str = "one", data: bytes = b"input") -> Record:
    """A run that wrote one output for `key` and recorded it."""
    output = outdir / f"{key}.tsv"
    output.write_bytes(b"rows of " + data)
    with Manifest(outdir, SETTINGS, resume=False) as manifest:
        record = Record(key, f"in/{key}.txt", sha256_bytes(data), SETTINGS,
                        manifest.output_hashes([output]), articles=1, segments=3)
        manifest.add(record)
    return record


def _done(outdir: Path, key="one", data=b"input", settings=SETTINGS, resume=True):
    with Manifest(outdir, settings, resume=resume) as manifest:
        return manifest.done(key, sha256_bytes(data))


def test_a_finished_input_is_done_on_resume(tmp_path):
    record = _finish(tmp_path)
    assert _done(tmp_path) == record


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: {"data": b"changed input"}, id="input-bytes-changed"),
        pytest.param(lambda d: {"settings": "settings-b"}, id="settings-changed"),
        pytest.param(lambda d: {"resume": False}, id="no-resume"),
        pytest.param(lambda d: (d / "one.tsv").write_bytes(b"edited") and {}, id="output-edited"),
        pytest.param(lambda d: (d / "one.tsv").unlink() or {}, id="output-deleted"),
        pytest.param(lambda d: {"key": "two"}, id="other-input"),
    ],
)
def test_what_makes_an_input_not_done(change, tmp_path):
    _finish(tmp_path)
    assert _done(tmp_path, **change(tmp_path)) is None


def test_a_torn_last_line_is_dropped_and_the_file_rewritten_whole(tmp_path):
    record = _finish(tmp_path)
    manifest_path = tmp_path / MANIFEST_NAME
    whole = manifest_path.read_text(encoding="utf-8")
    torn = whole + whole[: len(whole) // 2]  # a run killed in the middle of an append
    manifest_path.write_text(torn, encoding="utf-8")
    assert _done(tmp_path) == record
    assert manifest_path.read_text(encoding="utf-8") == whole


def test_records_are_kept_sorted_and_the_latest_of_a_key_wins(tmp_path):
    _finish(tmp_path, "b")
    _finish(tmp_path, "a")
    latest = _finish(tmp_path, "b", b"second version")
    lines = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert [line.split('"key": ')[1][:3] for line in lines] == ['"a"', '"b"']
    assert _done(tmp_path, "b", b"second version") == latest


def test_a_second_run_into_the_same_directory_is_refused(tmp_path):
    with Manifest(tmp_path, SETTINGS, resume=False):
        with pytest.raises(OutputError, match="Another jisr run"):
            Manifest(tmp_path, SETTINGS, resume=False).__enter__()
    with Manifest(tmp_path, SETTINGS, resume=False):  # released at the end of the first run
        pass


def test_temporary_files_of_a_killed_run_are_removed(tmp_path):
    (tmp_path / "sub").mkdir()
    stale = tmp_path / "sub" / f".two.tsv.abc123{TEMP_SUFFIX}"
    stale.write_text("half a file")
    unrelated = tmp_path / "sub" / ".notes.tmp"
    unrelated.write_text("not ours")
    with Manifest(tmp_path, SETTINGS, resume=True):
        pass
    assert not stale.exists()
    assert unrelated.exists()
