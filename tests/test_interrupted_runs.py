"""A batch killed with SIGKILL, or stopped with Ctrl-C, then rerun with --resume, ends with the
same bytes as a run never interrupted: the real CLI, the tiny model, a few hundred articles."""

from __future__ import annotations

import json
import random
import signal
import time
from pathlib import Path

import pytest

from mt.app.manifest import MANIFEST_NAME, sha256_file
from tests.cli_helpers import own_cache, run_jisr, start_jisr

pytestmark = pytest.mark.slow

SUBJECTS = ["الحكومة", "الوزير", "المجلس", "الرئيس", "اللجنة", "الجيش", "الشركة", "البرلمان"]
VERBS = ["أعلن", "قال", "أكد", "نفى", "ناقش", "رفض", "درس", "أقر"]
OBJECTS = ["خطة جديدة", "الاتفاق التجاري", "ميزانية العام المقبل", "مشروع القانون",
           "نتائج الانتخابات", "أسعار الوقود", "إصلاح التعليم", "الحدود الشمالية"]
PLACES = ["في بغداد", "في القاهرة", "في عمان", "في بيروت", "في الرباط", "أمس", "اليوم"]
ARTICLES = 400


def write_articles(directory: Path, count: int = ARTICLES, seed: int = 7) -> None:
    """`count` short articles of our own Arabic, in nested directories, 3 to 8 sentences each."""
    rng = random.Random(seed)
    for number in range(count):
        sentences = [
            f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(PLACES)} بعد {rng.randint(2, 90)} يوما."
            for _ in range(rng.randint(3, 8))
        ]
        path = directory / f"batch{number % 4}" / f"article{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(" ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:]) + "\n",
                        encoding="utf-8")


def snapshot(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in outdir.rglob("*") if p.is_file()}


def translate(inputs: Path, outdir: Path, model: Path, cache: Path, *extra: str):
    # The random model never stops: a short budget keeps three runs of 2,000 sentences cheap.
    return ["translate", str(inputs), "-o", str(outdir), "--model", str(model), "--beam", "2",
            "--max-new-tokens", "8", "--formats", "tsv,txt,terms", *extra], \
        own_cache(cache)


def wait_for_records(outdir: Path, process, minimum: int = 1, timeout: float = 600) -> int:
    """Block until the manifest of a running batch records `minimum` inputs; returns how many."""
    manifest = outdir / MANIFEST_NAME
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the batch ended before it could be interrupted"
        if manifest.exists():
            lines = manifest.read_bytes().count(b"\n")
            if lines >= minimum:
                return lines
        time.sleep(0.05)
    raise AssertionError("no input was finished in time")


@pytest.fixture(scope="module")
def batch(tiny_model_dir, tmp_path_factory):
    """The inputs and the outputs of an uninterrupted run."""
    root = tmp_path_factory.mktemp("batch")
    write_articles(root / "in")
    args, env = translate(root / "in", root / "clean", tiny_model_dir, root / "cache-clean")
    result = run_jisr(*args, env=env)
    assert result.returncode == 0, result.stderr.decode()
    clean = snapshot(root / "clean")
    # tsv, en.txt, terms.tsv and the counts behind it per article; the manifest; the batch's
    # terms report (jisr-terms.tsv), merged on resume from the counts of the inputs skipped too
    assert len(clean) == 4 * ARTICLES + 2
    return root, clean


def test_sigkill_then_resume_gives_the_same_bytes(batch, tiny_model_dir):
    root, clean = batch
    outdir = root / "killed"
    args, env = translate(root / "in", outdir, tiny_model_dir, root / "cache-killed")
    process = start_jisr(*args, env=env)
    finished = wait_for_records(outdir, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < finished < ARTICLES  # killed mid-batch
    assert len(snapshot(outdir)) < len(clean)

    result = run_jisr(*args, "--resume", env=env)
    assert result.returncode == 0, result.stderr.decode()
    summary = result.stderr.decode()
    assert "skipped as already done" in summary
    assert snapshot(outdir) == clean


def test_ctrl_c_stops_cleanly_and_resume_completes(batch, tiny_model_dir):
    root, clean = batch
    outdir = root / "interrupted"
    args, env = translate(root / "in", outdir, tiny_model_dir, root / "cache-interrupted")
    process = start_jisr(*args, env=env)
    wait_for_records(outdir, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    text = stderr.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("jisr: error:")]
    assert len(errors) == 1 and "--resume" in errors[0], text

    # Consistent: every record names outputs on disk with their bytes; nothing half-written.
    records = [json.loads(line) for line in (outdir / MANIFEST_NAME).read_text().splitlines()]
    assert records
    for record in records:
        for name, digest in record["outputs"].items():
            assert sha256_file(outdir / name) == digest
    written = snapshot(outdir)
    assert all(clean[name] == data for name, data in written.items() if name != MANIFEST_NAME)

    result = run_jisr(*args, "--resume", env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert snapshot(outdir) == clean
