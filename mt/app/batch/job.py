"""The Ray Data job of `jisr batch`:

    read files / Parquet rows  ->  ingest (tasks)  ->  translate (an actor pool; each actor loads
    the model once)  ->  the driver writes Parquet or JSONL, one row per segment, a file per
    batch, each renamed into place when complete (mt.app.batch.row_files)

The actors also write the term counts of each batch beside the rows; the driver merges them at
the end into the terms report over the whole output (mt.app.batch.terms).

Faults: Ray restarts a dead actor and runs its batches again, a bounded number of times (the
constants below); a small actor on the driver's node counts which articles each death was
translating (mt.app.batch.deaths), so an article that kills its worker every time becomes failed
rows and the rest of its batch is written. A job that Ray gives up on (a lost node) is run again
over the articles not yet written. Past the bounds, the job stops with one sentence.

Execution streams: Ray Data keeps a few batches per stage in flight, never the corpus. Articles
whose ids the output already holds are left out before they are read.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

import pyarrow as pa
import ray
import ray.data
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from aligned.formats.records import FAILURE_PREFIX
from mt.app.batch import ARTICLES_PER_BATCH, terms
from mt.app.batch.actor import ActorArgs, TranslateArticles
from mt.app.batch.articles import Article, file_articles, table_article
from mt.app.batch.deaths import ARTICLE_DEATHS, WorkerDeaths
from mt.app.batch.faults import crash_article
from mt.app.batch.row_files import remove_temporaries, write_row_files
from mt.app.batch.uris import (
    Inputs,
    filesystem_of,
    iter_table_rows,
    list_inputs,
    output_files,
    read_columns,
    read_file,
)
from mt.app.pipeline import TranslatorSettings
from mt.cache import TranslationMemory
from mt.errors import ClusterError, ConfigurationError, InputError
from mt.human_memory import HumanMemory
from mt.ingest import JSONL_SUFFIXES

log = logging.getLogger(__name__)

OUTPUT_FORMATS = ("parquet", "jsonl")
# Ray Data's defaults retry for ever: an actor restarts without limit and runs a batch again
# until it succeeds, so one article that kills its worker would hold the job for ever. jisr
# bounds every retry (docs/ray.md, Faults and retries):
# - a batch may lose its worker this often: once in a batch, then once per article that kills
#   its worker alone (WorkerDeaths gives up on it after ARTICLE_DEATHS), with room for a lost
#   node besides;
TASK_RETRIES = 4
# - an actor may restart this often over a run (each restart loads the model again): a worker
#   that dies more often is on a node too small for the model, not unlucky;
ACTOR_RESTARTS = 8
# - a new actor that dies while loading the model is replaced this many times in a row;
ACTOR_INIT_DEATHS = 3
# - a reading task (light, no state) is run again this often when its worker or node is lost;
READ_RETRIES = 3
# - the whole job, over the articles not yet written, when Ray gives up on a batch: a lost node
#   fails the batch its actor was running (Ray cannot know whether it finished), and retries
#   spent fail the job; the rows written stay, each article is written once.
JOB_ATTEMPTS = 3
# What Ray raises when part of the cluster is lost: a worker, an actor, a node, an object.
LOST_PART = (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
             ray.exceptions.NodeDiedError, ray.exceptions.ObjectLostError)
# Reading and ingest are light next to translation, so they ask Ray for no CPU: an
# actor pool that takes every CPU of the cluster must not starve them (Ray Data would wait).
LIGHT_STAGE: dict = {"num_cpus": 0, "max_retries": READ_RETRIES}
# Tasks that ask for no CPU get no bound from the cluster's CPUs: without one, Ray starts a
# worker process for each at once (28 for 30 files on two cores, each importing jisr: 30
# articles took 48 s instead of 13). As many readers as translating actors, at least this many.
MIN_READ_TASKS = 2
# Reading tasks: one per file or row group, up to this many (each then reads several).
MAX_READ_BLOCKS = 1000

@dataclass(frozen=True)
class ClusterSettings:
    address: str = "auto"  # "auto", "ray://HOST:10001", or "local": start Ray in this process
    num_workers: int = 1  # translating actors
    cpus_per_worker: float = 1.0  # also the engine's threads, unless the settings fix them
    gpus_per_worker: float = 0.0
    articles_per_batch: int = ARTICLES_PER_BATCH
    output_format: str = "parquet"


@dataclass
class BatchSummary:
    skipped: int = 0  # articles the output already held: left out
    articles: int = 0  # articles this run wrote
    failed: int = 0  # of which failed: their rows are flagged bad with the reason
    rows: int = 0
    deaths: dict[str, int] = field(default_factory=dict)  # article -> workers that died on it

    @property
    def exit_code(self) -> int:
        if not self.failed:
            return 0
        return 2 if self.failed == self.articles else 1


def run_batch(
    input_uri: str,
    output_uri: str,
    settings: TranslatorSettings | None = None,
    cluster: ClusterSettings | None = None,
) -> BatchSummary:
    """Translate every article under `input_uri` into row files under `output_uri`, and the
    terms report over every article there into `output_uri`/TERMS_REPORT."""
    settings = settings or TranslatorSettings()
    cluster = cluster or ClusterSettings()
    if cluster.output_format not in OUTPUT_FORMATS:
        raise ConfigurationError(
            f"Unknown output format {cluster.output_format!r}; choose one of: "
            f"{', '.join(OUTPUT_FORMATS)}."
        )
    inputs = list_inputs(input_uri)
    out_fs, out_path = filesystem_of(output_uri)
    remove_temporaries(out_fs, out_path)
    before = output_files(out_fs, out_path, cluster.output_format)
    done = set(read_columns(out_fs, before, ["doc_id"])["doc_id"])
    summary = BatchSummary(skipped=len(done))
    if _units(inputs, done):
        summary.deaths = _translate(inputs, done, output_uri, settings, cluster)
    written = output_files(out_fs, out_path, cluster.output_format) - before
    columns = read_columns(out_fs, written, ["doc_id", "reasons"])
    _count(columns, summary)
    _report_deaths(summary.deaths)
    terms.write_report(out_fs, out_path, done | set(columns["doc_id"]))
    return summary


def _translate(
    inputs: Inputs, done: set[str], output_uri: str, settings: TranslatorSettings,
    cluster: ClusterSettings,
) -> dict[str, int]:
    """Run the Ray job until every article is in the output; returns the worker deaths. A job
    that loses part of the cluster beyond Ray's retries (a lost node fails the batch it ran) is
    run again over the articles not yet written, up to JOB_ATTEMPTS times in all."""
    out_fs, out_path = filesystem_of(output_uri)
    connect(cluster.address)  # before any dataset: Ray Data would start a local Ray of its own
    threads = settings.threads or max(1, round(cluster.cpus_per_worker))
    # The driver's human translations go to every actor: a worker node's own cache has none.
    # A rerun into an output that holds articles continues its batch (see start_batch).
    human = HumanMemory().load() if settings.cache else {}
    since = (TranslationMemory().batch_started(output_uri, resume=bool(done))
             if settings.cache else None)
    ledger = _ledger()  # one for every attempt: deaths count across them
    args = ActorArgs(replace(settings, threads=threads), out_fs, out_path, human, since, ledger,
                     crash_article())
    for attempt in range(1, JOB_ATTEMPTS + 1):
        units = _units(inputs, done)
        if not units:
            break
        try:
            write_row_files(_rows(units, inputs, done, args, cluster), out_fs, out_path,
                            cluster.output_format)
            break
        except LOST_PART as error:
            if attempt == JOB_ATTEMPTS:
                raise ClusterError(
                    f"The Ray job lost part of the cluster {JOB_ATTEMPTS} times "
                    f"({type(error).__name__}); the rows written are complete: run the same "
                    "command again to translate the rest."
                ) from error
            log.warning("the Ray job lost part of the cluster (%s); running it again over the "
                        "articles not yet written", type(error).__name__)
            remove_temporaries(out_fs, out_path)
            written = output_files(out_fs, out_path, cluster.output_format)
            done = set(read_columns(out_fs, written, ["doc_id"])["doc_id"])
    return ray.get(ledger.deaths.remote())


def _rows(units: list[dict], inputs: Inputs, done: Collection[str], args: ActorArgs,
          cluster: ClusterSettings) -> Iterator[pa.Table]:
    """The tables of segment records, one per batch of articles, as the actors finish them."""
    readers = max(MIN_READ_TASKS, cluster.num_workers)
    rows = _articles(units, inputs, done, readers).map_batches(
        TranslateArticles,
        fn_constructor_args=(args,),
        compute=ray.data.ActorPoolStrategy(size=cluster.num_workers),
        batch_size=cluster.articles_per_batch,
        num_cpus=cluster.cpus_per_worker,
        num_gpus=cluster.gpus_per_worker or None,
        max_restarts=ACTOR_RESTARTS,
        max_task_retries=TASK_RETRIES,
    )
    return rows.iter_batches(batch_size=None, batch_format="pyarrow")


def connect(address: str) -> None:
    """Join the Ray cluster at `address` (a test or notebook may have joined one already)."""
    if not ray.is_initialized():
        try:
            ray.init(address=None if address == "local" else address, log_to_driver=False)
        except ConnectionError as error:
            raise ConfigurationError(
                f"No Ray cluster at {address!r} ({error}); start one with `ray start --head` "
                "or use --ray-address local."
            ) from error
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = sys.stderr.isatty()
    context.max_consecutive_actor_init_deaths = ACTOR_INIT_DEATHS


def _ledger():
    """The WorkerDeaths actor, on the driver's node: it must outlive any worker node."""
    here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
    return ray.remote(WorkerDeaths).options(
        num_cpus=0, max_restarts=0, scheduling_strategy=here).remote()


def _report_deaths(deaths: dict[str, int]) -> None:
    """Name the articles whose worker died: translated again, or given up on."""
    again = [doc_id for doc_id, count in deaths.items() if count < ARTICLE_DEATHS]
    given_up = [doc_id for doc_id, count in deaths.items() if count >= ARTICLE_DEATHS]
    if again:
        log.warning("a Ray worker died while translating %d article(s), translated again: %s",
                    len(again), ", ".join(again))
    if given_up:
        log.warning("%d article(s) killed their Ray worker %d times and were written as failed "
                    "rows: %s", len(given_up), ARTICLE_DEATHS, ", ".join(given_up))


def _units(inputs: Inputs, done: Collection[str]) -> list[dict]:
    """The files and row groups to read; a text or HTML file is one article named by its stem,
    so one the output holds is left out unread."""
    return [unit for unit in inputs.units()
            if unit["row_group"] >= 0 or _is_jsonl(unit["path"])
            or PurePosixPath(unit["path"]).stem not in done]


def _articles(units: list[dict], inputs: Inputs, done: Collection[str], readers: int):
    """The dataset of articles to translate, read by at most `readers` tasks at once. Reading is
    a flat_map over the list of files and row groups rather than Ray's own readers, whose
    listing step asks for a whole CPU (and would wait for ever behind a pool holding every
    CPU)."""
    blocks = min(len(units), MAX_READ_BLOCKS)
    return ray.data.from_items(units, override_num_blocks=blocks).flat_map(
        _unit_rows, fn_args=(inputs.filesystem, done),
        compute=ray.data.TaskPoolStrategy(size=readers), **LIGHT_STAGE
    )


def _unit_rows(unit: dict, filesystem, done: Collection[str]) -> Iterator[dict]:
    path, row_group = unit["path"], unit["row_group"]
    if row_group >= 0:
        rows = iter_table_rows(filesystem, path, row_group)
        articles = (table_article(i, text) for i, text in rows if i not in done)
    else:
        try:
            articles = iter(file_articles(path, read_file(filesystem, path), done))
        except InputError as error:
            articles = iter([Article(PurePosixPath(path).stem, error=str(error))])
    for article in articles:
        yield article.as_row()


def _is_jsonl(path: str) -> bool:
    return path.lower().endswith(JSONL_SUFFIXES)


def _count(columns: dict[str, list], summary: BatchSummary) -> None:
    summary.rows = len(columns["doc_id"])
    summary.articles = len(set(columns["doc_id"]))
    summary.failed = len(
        {doc_id for doc_id, reasons in zip(columns["doc_id"], columns["reasons"], strict=True)
         if reasons and reasons.startswith(FAILURE_PREFIX)}
    )
