"""The terms report over a whole `jisr translate` batch (OUTDIR/jisr-terms.tsv): merged from
the counts each input leaves beside its outputs, and the same bytes after --resume."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from glossary.report import ALL_DOCUMENTS
from mt.app.manifest import MANIFEST_NAME
from mt.app.translate import BATCH_TERMS_NAME
from mt.ingest import iter_inputs
from tests.cli_helpers import read_tsv, run_jisr

pytestmark = pytest.mark.slow

# Our own sentences, with entries of the default glossary in several inputs.
SENTENCES = [
    "قالت قوات سوريا الديمقراطية إن الهجوم وقع قرب دير الزور.",
    "وأعلن الحشد الشعبي انتشار قواته قرب معبر القائم.",
    "وقال مسؤول في قسد إن الوضع في الرقة مستقر.",
    "واستقبل محمد شياع السوداني وفدا في بغداد.",
]
SETTINGS = ("--no-cache", "--max-new-tokens", "24", "--formats", "tsv,terms")


def write_inputs(root: Path) -> None:
    """Four text articles in two directories and a JSONL file of two articles."""
    for i in range(4):
        path = root / f"part{i % 2}" / f"article{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(" ".join(SENTENCES[i:] + SENTENCES[:i][:1]) + "\n", encoding="utf-8")
    lines = [{"id": f"wire-{i}", "text": SENTENCES[i] + " " + SENTENCES[-1]} for i in range(2)]
    (root / "wire.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")


def snapshot(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in outdir.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def batch(tiny_model_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("terms")
    write_inputs(root / "in")
    args = ["translate", str(root / "in"), "-o", str(root / "out"),
            "--model", str(tiny_model_dir), *SETTINGS]
    result = run_jisr(*args)
    assert result.returncode == 0, result.stderr.decode()
    return root, args


def test_batch_report_lists_every_document_and_the_sums_over_the_batch(batch):
    root, _ = batch
    out = root / "out"
    report = read_tsv(out / BATCH_TERMS_NAME)
    inputs = [out / path.relative_to(root / "in").with_suffix(".terms.tsv")
              for path in iter_inputs([root / "in"])]  # in the order the batch reads them
    assert len(inputs) == 5
    per_input = [read_tsv(path) for path in inputs]
    documents = [(r["doc_id"], r["source"], r["occurrences"], r["renderings"])
                 for table in per_input for r in table.to_dict("records")
                 if r["kind"] == "entry" and r["doc_id"] != ALL_DOCUMENTS]
    entries = report[report["kind"] == "entry"]
    listed = entries[entries["doc_id"] != ALL_DOCUMENTS]
    assert list(zip(listed["doc_id"], listed["source"], listed["occurrences"],
                    listed["renderings"], strict=True)) == documents
    assert {"article0", "article3", "wire-0", "wire-1"} <= set(listed["doc_id"])

    expected: Counter = Counter()
    for _, source, occurrences, _ in documents:
        expected[source] += int(occurrences)
    totals = entries[entries["doc_id"] == ALL_DOCUMENTS]
    assert dict(zip(totals["source"], totals["occurrences"].astype(int), strict=True)) == expected
    assert max(expected.values()) > max(
        int(n) for table in per_input
        for n in table[table["doc_id"] == ALL_DOCUMENTS]["occurrences"]
    ), "no entry occurs in more than one input: the merge would prove nothing"
    assert list(totals["occurrences"].astype(int)) == sorted(expected.values(), reverse=True)

    records = [json.loads(line) for line in (out / MANIFEST_NAME).read_text().splitlines()]
    assert all(f"{r['key']}.terms.json" in r["outputs"] for r in records)


def test_resumed_batch_writes_the_same_report(batch):
    root, args = batch
    clean = snapshot(root / "out")
    resumed = root / "resumed"
    shutil.copytree(root / "out", resumed)
    # As a run killed after two inputs leaves it: two records, the report not yet written.
    manifest = resumed / MANIFEST_NAME
    manifest.write_text("".join(manifest.read_text().splitlines(True)[:2]), encoding="utf-8")
    (resumed / BATCH_TERMS_NAME).unlink()
    result = run_jisr(*args[:3], str(resumed), *args[4:], "--resume")
    assert result.returncode == 0, result.stderr.decode()
    assert "2 skipped as already done" in result.stderr.decode()
    assert snapshot(resumed) == clean
