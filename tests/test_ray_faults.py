"""`jisr batch` losing part of a Ray cluster mid-batch: a worker killed with SIGKILL, the second
node lost, an article that kills its worker every time. The cluster is two real nodes on this
machine (tests/ray_cluster.py), started by this module and ended by it even when a test fails.
After each fault, every other article is written exactly once with the values of `jisr
translate`'s rows, and what failed is named on stderr and in the rows.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

from tests.batch_output import batch_rows, mismatches
from tests.cli_helpers import REPO, read_tsv, run_jisr, start_jisr
from tests.components import require, require_module
from tests.corpus_maker import articles
from tests.ray_cluster import RAY, Node, TwoNodeCluster, at_work

RAY_EXTRA = "Ray Data (the `ray` extra: pip install -e '.[ray]')"
ARTICLES = 10
# Small batches, so that an actor has batches queued behind the one a fault interrupts, each
# long enough (a random model writes every output to the cap) to be caught at work. The
# translation memory is off: the cluster's workers share one, and an earlier test's sentences
# would come back from it as origin `memory`.
BATCH = ("--num-workers", "2", "--articles-per-batch", "2")
SETTINGS = ("--max-new-tokens", "128", "--no-cache")
ACTOR_TITLE = "TranslateArticles"  # in the process title Ray gives a Ray Data actor
RUN_TIMEOUT = 600.0
RETRIED = re.compile(r"a Ray worker died while translating \d+ article\(s\), translated again: "
                     r"(.+)")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_installed() -> None:
    require_module("ray", RAY_EXTRA)
    require_module("ray.data", RAY_EXTRA)
    require(RAY.exists(), f"the ray command ({RAY})")


@pytest.fixture(scope="module")
def cluster(ray_installed, translated, isolated_cache_dir):
    # Ray's unix sockets live under its temp dir and must stay under 108 bytes: a short path.
    root = Path(tempfile.mkdtemp(prefix="jisr-ray-", dir="/tmp"))
    # The session's cache: the workers find the model `translated` converted there.
    env = {"JISR_CACHE_DIR": str(isolated_cache_dir), "PYTHONPATH": str(REPO),
           "HF_HUB_OFFLINE": "1"}
    cluster = TwoNodeCluster(root, env, head_cpus=2, node_cpus=2)
    try:
        cluster.start()
        yield cluster
    finally:
        nodes = [node for node in (cluster.head, cluster.second) if node is not None]
        cluster.shutdown()
        shutil.rmtree(root, ignore_errors=True)
        assert not [pid for node in nodes for pid in node.pids()], "a Ray process was left"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fault_corpus")
    for i, text in enumerate(articles(ARTICLES, seed=29)):
        (root / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def translated(corpus, tiny_model_dir, tmp_path_factory) -> dict[tuple, dict]:
    """The TSV rows of `jisr translate` over the corpus, by (doc_id, seg)."""
    out = tmp_path_factory.mktemp("fault_tsv")
    result = run_jisr("translate", str(corpus), "-o", str(out), "--model", str(tiny_model_dir),
                      "--formats", "tsv", *SETTINGS)
    assert result.returncode == 0, result.stderr.decode()
    return {(row["doc_id"], int(row["seg"])): row
            for path in sorted(out.glob("*.tsv")) for row in read_tsv(path).to_dict("records")}


def start_batch(cluster, corpus, model, out: Path, env: dict | None = None):
    log = (out.parent / "stderr.txt").open("wb")
    process = start_jisr("batch", str(corpus), "-o", str(out), "--ray-address", cluster.address,
                         *BATCH, "--model", str(model), *SETTINGS,
                         env={**cluster.client_env, **(env or {})}, stderr=log)
    return process, out.parent / "stderr.txt"


def finish(process, log: Path) -> tuple[int, str]:
    try:
        code = process.wait(timeout=RUN_TIMEOUT)
    except BaseException:
        process.kill()
        raise
    return code, log.read_text(errors="replace")


def actor_at_work(nodes: list[Node], process) -> int:
    """The pid of a translating actor of `nodes` caught in the middle of a batch."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        for node in nodes:
            for pid in node.processes_titled(ACTOR_TITLE):
                if at_work(pid):
                    return pid
        time.sleep(0.05)
    pytest.fail("the batch ended before an actor could be caught at work: nothing to test")


def written_once(out: Path, translated: dict, failed: frozenset = frozenset()):
    """The rows, after checking: each segment of the corpus once, no temporary left, and every
    article but `failed` with the values of `jisr translate`'s rows."""
    rows = batch_rows(out)
    keys = list(zip(rows["doc_id"], rows["seg"], strict=True))
    assert len(keys) == len(set(keys)), "a segment was written twice"
    assert set(keys) == set(translated)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "a temporary was left"
    good = rows[~rows["doc_id"].isin(failed)]
    assert mismatches(good.to_dict("records"), translated) == []
    return rows


def retried(stderr: str) -> list[str]:
    """The articles stderr names as translated again after their worker died."""
    found = RETRIED.search(stderr)
    return found.group(1).split(", ") if found else []


def test_a_worker_killed_mid_batch_loses_nothing(cluster, corpus, translated, tiny_model_dir,
                                                 tmp_path):
    cluster.ensure_second_node()
    out = tmp_path / "rows"
    process, log = start_batch(cluster, corpus, tiny_model_dir, out)
    os.kill(actor_at_work([cluster.head, cluster.second], process), signal.SIGKILL)
    code, stderr = finish(process, log)
    assert code == 0, stderr
    assert f"{ARTICLES} article(s) written (0 failed" in stderr
    again = retried(stderr)
    assert again, f"the kill hit no batch at work:\n{stderr[-3000:]}"
    assert set(again) <= {doc_id for doc_id, _ in translated}
    written_once(out, translated)


def test_a_lost_node_loses_nothing(cluster, corpus, translated, tiny_model_dir, tmp_path):
    cluster.ensure_second_node()
    out = tmp_path / "rows"
    process, log = start_batch(cluster, corpus, tiny_model_dir, out)
    actor_at_work([cluster.second], process)
    cluster.stop_second_node()
    code, stderr = finish(process, log)
    assert code == 0, stderr
    assert f"{ARTICLES} article(s) written (0 failed" in stderr
    assert retried(stderr), f"the node was lost with no batch at work:\n{stderr[-3000:]}"
    written_once(out, translated)


def test_an_article_that_kills_its_worker_every_time_fails_alone(
        cluster, corpus, translated, tiny_model_dir, tmp_path):
    from aligned.formats.records import FAILURE_PREFIX
    from mt.app.batch.deaths import ARTICLE_DEATHS, death_reason
    from mt.app.batch.faults import CRASH_ARTICLE_ENV

    cluster.ensure_second_node()
    victim = "a03"
    out = tmp_path / "rows"
    process, log = start_batch(cluster, corpus, tiny_model_dir, out,
                               env={CRASH_ARTICLE_ENV: victim})
    code, stderr = finish(process, log)
    assert code == 1, stderr
    assert f"{ARTICLES} article(s) written (1 failed" in stderr
    assert (f"1 article(s) killed their Ray worker {ARTICLE_DEATHS} times and were written as "
            f"failed rows: {victim}") in stderr
    assert victim not in retried(stderr)
    rows = written_once(out, translated, failed=frozenset({victim}))
    failed = rows[rows["doc_id"] == victim]
    assert (failed["flag"] == "bad").all()
    assert (failed["reasons"] == FAILURE_PREFIX + death_reason(ARTICLE_DEATHS)).all()
    assert (failed["target"] == "").all()
    assert failed["source"].tolist() == [translated[(victim, seg)]["source"]
                                         for seg in failed["seg"]]
