"""`jisr batch` on Ray Data: the same rows as `jisr translate`, failures as rows, resumable.

The slow tests start a local Ray instance (`ray.init(num_cpus=2)`) and point the CLI at it, the
way a user points it at a real cluster.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mt.document import Segment
from mt.ingest import iter_documents, iter_documents_in
from tests.batch_output import batch_rows, mismatches
from tests.cli_helpers import REPO, own_cache, read_tsv, run_jisr, start_jisr
from tests.components import require_module
from tests.corpus_maker import articles

RAY_EXTRA = "Ray Data (the `ray` extra: pip install -e '.[ray]')"
ARTICLES = 30
# The defaults: the default engine (CTranslate2) and the translation memory on. Ray batches other
# sentences together than `jisr translate` does, and a sentence's output, log-probs and attention
# do not depend on its batch mates (see docs/architecture.md, Batch invariance). The output cap
# only keeps the random model's never-ending outputs short.
SETTINGS = ("--max-new-tokens", "48")
HTML = (
    "<html><head><title>الحكومة تعلن خطة جديدة</title></head><body><article>"
    "<p>أعلنت الحكومة اليوم خطة جديدة لدعم قطاع التعليم في المدن الصغيرة.</p>"
    "<p>وقال وزير المالية إن الخطة ستكلف 4 ملايين دولار خلال العام المقبل.</p>"
    "</article></body></html>"
)


def test_cli_and_translate_do_not_import_ray() -> None:
    code = (
        "import sys, mt.app.cli, mt.app.translate, mt.app.pipeline; "
        "sys.exit('ray' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_iter_documents_in_reads_bytes_as_iter_documents_reads_the_file(tmp_path) -> None:
    lines = [json.dumps({"id": f"w{i}", "text": text}, ensure_ascii=False)
             for i, text in enumerate(articles(3))]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join([*lines, "{broken"]) + "\n", encoding="utf-8")
    from_file = list(iter_documents(path))
    from_bytes = list(iter_documents_in(path.read_bytes(), str(path)))
    assert [getattr(d, "doc_id", str(d)) for d in from_bytes] == \
        [getattr(d, "doc_id", str(d)) for d in from_file]
    assert [d.text for d in from_bytes[:3]] == [d.text for d in from_file[:3]]


def test_segment_record_has_the_tsv_columns_with_native_types() -> None:
    from aligned.formats.records import RECORD_COLUMNS, segment_record
    from aligned.formats.tsv import EXTRA_COLUMNS, TSV_COLUMNS

    seg = Segment("a", 2, 1, "content", "قال الوزير.", 0, 11, target="He said.", score=0.75,
                  flag="ok", reasons=["x", "y"], signals={"mean_logprob": -0.3})
    record = segment_record(seg)
    assert tuple(record) == RECORD_COLUMNS
    assert RECORD_COLUMNS[: len(TSV_COLUMNS) + len(EXTRA_COLUMNS)] == (*TSV_COLUMNS,
                                                                      *EXTRA_COLUMNS)
    assert (record["seg"], record["score"], record["split"]) == (2, 0.75, False)
    assert record["reasons"] == "x; y"
    assert record["mean_logprob"] == -0.3
    assert record["min_logprob"] is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("{root}", ["a.txt", "b.html", "sub/c.txt", "t.parquet", "w.jsonl"],
                     id="directory-walked"),
        pytest.param("{root}/*.txt", ["a.txt"], id="glob"),
        pytest.param("{root}/**/*.txt", ["a.txt", "sub/c.txt"], id="glob-below"),
        pytest.param("{root}/s?b/*", ["sub/c.txt"], id="glob-one-char"),
        pytest.param("{root}/sub/c.txt", ["sub/c.txt"], id="one-file"),
    ],
)
def test_list_inputs(pattern: str, expected: list[str], tmp_path) -> None:
    require_module("pyarrow", RAY_EXTRA)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mt.app.batch.uris import list_inputs

    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.html", "sub/c.txt", "w.jsonl", "notes.md"):
        (tmp_path / name).write_text("نص", encoding="utf-8")
    pq.write_table(pa.table({"id": ["1"], "text": ["نص"]}), tmp_path / "t.parquet")
    inputs = list_inputs(pattern.format(root=tmp_path))
    found = [str(Path(p).relative_to(tmp_path)) for p in [*inputs.files, *inputs.tables]]
    assert sorted(found) == expected


def test_list_inputs_rejects_a_table_without_text(tmp_path) -> None:
    require_module("pyarrow", RAY_EXTRA)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mt.app.batch.uris import list_inputs
    from mt.errors import InputError

    pq.write_table(pa.table({"id": ["1"], "body": ["نص"]}), tmp_path / "t.parquet")
    with pytest.raises(InputError, match="text"):
        list_inputs(str(tmp_path))


# --- on a local Ray instance, with the tiny model -------------------------------------------


@pytest.fixture(scope="module")
def batch_memory(tmp_path_factory) -> dict:
    """A translation memory of the batch's own, so that its rows are decoded by its actors (two
    writing the memory at once), not served from what `jisr translate` put in the session's."""
    return own_cache(tmp_path_factory.mktemp("batch_memory"))


@pytest.fixture(scope="module")
def ray_address(batch_memory):
    """A local Ray instance whose workers (they inherit its environment) keep the batch's own
    translation memory."""
    ray = require_module("ray", RAY_EXTRA)
    require_module("ray.data", RAY_EXTRA)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in batch_memory.items():
            patch.setenv(name, value)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """corpus/: text files, an HTML page, JSONL and Parquet; beside/: the Parquet rows as JSONL
    (for `jisr translate`, which reads no Parquet)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("corpus")
    texts = articles(ARTICLES + 6, seed=7)
    for i, text in enumerate(texts[:ARTICLES]):
        (root / f"article_{i:02d}.txt").write_text(text, encoding="utf-8")
    (root / "page.html").write_text(HTML, encoding="utf-8")
    wire = [{"id": f"wire-{i}", "text": text} for i, text in enumerate(texts[ARTICLES:][:3])]
    (root / "wire.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in wire), encoding="utf-8")
    table = [{"id": f"tbl-{i}", "text": text} for i, text in enumerate(texts[ARTICLES + 3:])]
    pq.write_table(pa.Table.from_pylist(table), root / "tbl.parquet")
    beside = tmp_path_factory.mktemp("beside")
    (beside / "tbl.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table), encoding="utf-8")
    return root, beside


@pytest.fixture(scope="module")
def translate_out(corpus, tiny_model_dir, tmp_path_factory) -> Path:
    """The output directory of `jisr translate` over the corpus: TSVs and terms reports."""
    root, beside = corpus
    out = tmp_path_factory.mktemp("tsv")
    result = run_jisr("translate", str(root), str(beside), "-o", str(out),
                      "--model", str(tiny_model_dir), "--formats", "tsv,terms", *SETTINGS)
    assert result.returncode == 0, result.stderr.decode()
    return out


@pytest.fixture(scope="module")
def translated(translate_out):
    """The TSV rows of `jisr translate` over the corpus, by (doc_id, seg)."""
    paths = [p for p in sorted(translate_out.glob("*.tsv")) if not p.name.endswith("terms.tsv")]
    return {(row["doc_id"], int(row["seg"])): row
            for path in paths for row in read_tsv(path).to_dict("records")}




@pytest.fixture(scope="module")
def batched(corpus, tiny_model_dir, ray_address, batch_memory, tmp_path_factory):
    root, _ = corpus
    out = tmp_path_factory.mktemp("batch") / "rows"
    result = run_jisr("batch", str(root), "-o", str(out), "--ray-address", ray_address,
                      "--num-workers", "2", "--model", str(tiny_model_dir), *SETTINGS,
                      env=batch_memory)
    assert result.returncode == 0, result.stderr.decode()
    return out, result.stderr.decode()


@pytest.mark.slow
def test_batch_rows_match_translate_rows(batched, translated):
    out, stderr = batched
    rows = batch_rows(out)
    assert f"{ARTICLES + 7} article(s) written (0 failed" in stderr
    keys = list(zip(rows["doc_id"], rows["seg"], strict=True))
    assert len(keys) == len(set(keys)), "a segment was written twice"
    assert set(keys) == set(translated)
    assert mismatches(rows.to_dict("records"), translated) == []


def entry_rows(report: Path) -> tuple[list[tuple], list[tuple]]:
    """The `entry` rows of a terms report: those per document (sorted), those over all."""
    rows = [tuple(r) for r in read_tsv(report).itertuples(index=False) if r.kind == "entry"]
    return sorted(r for r in rows if r[1] != "*"), [r for r in rows if r[1] == "*"]


@pytest.mark.slow
def test_batch_terms_report_matches_translate(batched, translate_out):
    """The corpus report merged from the actors' counts lists what `jisr translate`'s batch
    report lists. (Suggestions come from attention-derived word links, which may differ in
    near-ties, as the alignment column may.)"""
    from mt.app.batch.terms import TERMS_REPORT
    from mt.app.translate import BATCH_TERMS_NAME

    out, _ = batched
    per_document, overall = entry_rows(out / TERMS_REPORT)
    assert overall, "no glossary entry in the corpus: the comparison would prove nothing"
    assert (per_document, overall) == entry_rows(translate_out / BATCH_TERMS_NAME)


@pytest.mark.slow
def test_rerun_skips_done_articles_and_failures_become_rows(batched, corpus, tiny_model_dir,
                                                           ray_address, batch_memory):
    from mt.app.batch.terms import TERMS_REPORT

    out, _ = batched
    root, _ = corpus
    before = batch_rows(out)
    report_before = entry_rows(out / TERMS_REPORT)
    (root / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    with (root / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "wire-new", "text": "قال الوزير إن الاجتماع انتهى."}\n{broken\n')
    result = run_jisr("batch", str(root), "-o", str(out), "--ray-address", ray_address,
                      "--model", str(tiny_model_dir), *SETTINGS, env=batch_memory)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "3 article(s) written (2 failed" in stderr
    assert f"{ARTICLES + 7} already in the output" in stderr
    rows = batch_rows(out)
    new = rows[~rows["doc_id"].isin(set(before["doc_id"]))]
    assert sorted(set(new["doc_id"])) == ["broken", "wire-5", "wire-new"]
    failed = new[new["doc_id"] != "wire-new"]
    assert (failed["flag"] == "bad").all()
    assert failed["reasons"].str.startswith("article failed: ").all()
    assert "binary" in failed[failed["doc_id"] == "broken"]["reasons"].item()
    assert "not valid JSON" in failed[failed["doc_id"] == "wire-5"]["reasons"].item()
    assert (new[new["doc_id"] == "wire-new"]["target"] != "").all()
    assert len(rows) == len(before) + len(new)
    # The report still covers the articles of the first run (the new one names no entry).
    assert entry_rows(out / TERMS_REPORT) == report_before


@pytest.mark.slow
def test_a_batch_killed_mid_write_leaves_no_partial_file_and_a_rerun_completes_it(
        tiny_model_dir, ray_address, tmp_path):
    """SIGKILL as soon as the first row file (or its temporary) appears: every file among the
    output reads whole, and a rerun writes the rest, each article once."""
    import pyarrow.parquet as pq

    root = tmp_path / "corpus"  # its own: other tests add broken inputs to the module's corpus
    root.mkdir()
    for i, text in enumerate(articles(12, seed=11)):
        (root / f"article_{i:02d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "rows"
    args = ("batch", str(root), "-o", str(out), "--ray-address", ray_address,
            "--model", str(tiny_model_dir), "--articles-per-batch", "2", *SETTINGS)
    env = own_cache(tmp_path / "memory")
    process = start_jisr(*args, env=env)
    deadline = time.monotonic() + 600
    while not (out.exists() and any(out.iterdir())) and process.poll() is None:
        assert time.monotonic() < deadline, "the batch wrote nothing in 10 minutes"
        time.sleep(0.05)
    process.kill()
    process.wait()
    first = sorted(out.glob("*.parquet"))
    for path in first:
        pq.read_table(path)  # raises on a cut file
    done_first = {doc_id for path in first for doc_id in pq.read_table(path)["doc_id"].to_pylist()}
    assert len(done_first) < 12, "the kill came too late to test anything"
    result = run_jisr(*args, env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert f"{len(done_first)} already in the output" in result.stderr.decode()
    rows = batch_rows(out)
    keys = list(zip(rows["doc_id"], rows["seg"], strict=True))
    assert len(keys) == len(set(keys)), "a segment was written twice"
    assert len(set(rows["doc_id"])) == 12
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "a temporary was left"


@pytest.mark.slow
def test_batch_serves_the_drivers_human_translations(ray_address, tiny_model_dir, tmp_path):
    """The driver's memory (its own JISR_CACHE_DIR here, not the workers') reaches the actors,
    as it must on a cluster whose nodes each have their own cache."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "market.txt").write_text(
        "أعلنت البلدية إغلاق السوق القديم للصيانة.\n\nوقال رئيس البلدية إن الأعمال ستنتهي قريبا.\n",
        encoding="utf-8")
    reviewed = tmp_path / "reviewed.tmx"
    reviewed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="OmegaT" '
        'creationtoolversion="6.0" o-tmf="OmegaT TMX" datatype="plaintext" segtype="sentence" '
        'adminlang="EN-US" srclang="AR"/><body><tu><tuv xml:lang="AR"><seg>أعلنت البلدية إغلاق '
        'السوق القديم للصيانة.</seg></tuv><tuv xml:lang="EN-GB"><seg>The council closed the old '
        "market for repairs.</seg></tuv></tu></body></tmx>", encoding="utf-8")
    env = own_cache(tmp_path / "driver-cache")
    assert run_jisr("tm", "import", str(reviewed), env=env).returncode == 0
    out = tmp_path / "rows"
    result = run_jisr("batch", str(corpus), "-o", str(out), "--ray-address", ray_address,
                      "--model", str(tiny_model_dir), "--max-new-tokens", "16", env=env)
    assert result.returncode == 0, result.stderr.decode()
    rows = batch_rows(out).sort_values("seg")
    assert rows["origin"].tolist() == ["human", "mt"]
    assert rows["target"].iloc[0] == "The council closed the old market for repairs."
    assert rows["target"].iloc[1] != ""
