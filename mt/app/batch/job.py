"""The Ray Data job of `jisr batch`:

    read files / Parquet rows  ->  ingest (tasks)  ->  translate (an actor pool; each actor loads
    the model once)  ->  the driver writes Parquet or JSONL, one row per segment, a file per
    batch, each renamed into place when complete (mt.app.batch.row_files)

The actors also write the term counts of each batch beside the rows; the driver merges them at
the end into the terms report over the whole output (mt.app.batch.terms).

Execution streams: Ray Data keeps a few batches per stage in flight, never the corpus. Articles
whose ids the output already holds are left out before they are read.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

import pyarrow as pa
import ray
import ray.data

from aligned.formats.records import FAILURE_PREFIX, RECORD_COLUMNS, SIGNAL_COLUMNS
from mt.app.batch import ARTICLES_PER_BATCH, terms
from mt.app.batch.articles import Article, file_articles, table_article, translate_articles
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
from mt.app.pipeline import Translator, TranslatorSettings
from mt.cache import TranslationMemory
from mt.document import Document
from mt.errors import ConfigurationError, InputError
from mt.human_memory import HumanMemory
from mt.ingest import JSONL_SUFFIXES

log = logging.getLogger(__name__)

OUTPUT_FORMATS = ("parquet", "jsonl")
# Reading and ingest are light next to translation, so they ask Ray for no CPU: an
# actor pool that takes every CPU of the cluster must not starve them (Ray Data would wait).
LIGHT_STAGE: dict = {"num_cpus": 0}
# Reading tasks: one per file or row group, up to this many (each then reads several).
MAX_READ_BLOCKS = 1000

_TYPES = {"seg": pa.int64(), "para": pa.int64(), "score": pa.float64(), "split": pa.bool_(),
          "retried": pa.bool_(), **{name: pa.float64() for name in SIGNAL_COLUMNS},
          "tm_match": pa.int64(), "tm_adapted": pa.bool_()}
RECORD_SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in RECORD_COLUMNS])


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

    @property
    def exit_code(self) -> int:
        if not self.failed:
            return 0
        return 2 if self.failed == self.articles else 1


class TranslateArticles:
    """A Ray Data actor: builds one Translator (model and glossary loaded once), then turns
    batches of articles into segment records, and writes their term counts into the output."""

    def __init__(
        self, settings: TranslatorSettings, filesystem, out_path: str, human: dict,
        since: float | None,
    ):
        self.translator = Translator(settings, human=human, since=since)
        self.filesystem = filesystem
        self.out_path = out_path

    def __call__(self, batch: dict) -> pa.Table:
        articles = [
            Article(str(doc_id), document, str(error or ""))
            for doc_id, document, error in zip(
                batch["doc_id"], batch["document"], batch["error"], strict=True
            )
        ]
        translated: list[Document] = []
        records = translate_articles(self.translator, articles, translated.append)
        terms.write_counts(self.filesystem, self.out_path, translated)
        return pa.Table.from_pylist(records, RECORD_SCHEMA)


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
    summary = BatchSummary()
    dataset = _articles(inputs, done, summary)
    if dataset is None:
        terms.write_report(out_fs, out_path, done)
        return summary
    connect(cluster.address)
    threads = settings.threads or max(1, round(cluster.cpus_per_worker))
    # The driver's human translations go to every actor: a worker node's own cache has none.
    # A rerun into an output that holds articles continues its batch (see start_batch).
    human = HumanMemory().load() if settings.cache else {}
    since = (TranslationMemory().batch_started(output_uri, resume=bool(done))
             if settings.cache else None)
    rows = dataset.map_batches(
        TranslateArticles,
        fn_constructor_args=(replace(settings, threads=threads), out_fs, out_path, human, since),
        compute=ray.data.ActorPoolStrategy(size=cluster.num_workers),
        batch_size=cluster.articles_per_batch,
        num_cpus=cluster.cpus_per_worker,
        num_gpus=cluster.gpus_per_worker or None,
    )
    batches = rows.iter_batches(batch_size=None, batch_format="pyarrow")
    written = write_row_files(batches, out_fs, out_path, cluster.output_format)
    columns = read_columns(out_fs, written, ["doc_id", "reasons"])
    _count(columns, summary)
    terms.write_report(out_fs, out_path, done | set(columns["doc_id"]))
    return summary


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
    ray.data.DataContext.get_current().enable_progress_bars = sys.stderr.isatty()


def _articles(inputs: Inputs, done: Collection[str], summary: BatchSummary):
    """The dataset of articles to translate (None if every one is done already). Reading is a
    flat_map over the list of files and row groups rather than Ray's own readers, whose listing
    step asks for a whole CPU (and would wait for ever behind a pool holding every CPU)."""
    summary.skipped = len(done)
    # A text or HTML file is one article named by its stem: skip it unread.
    units = [unit for unit in inputs.units()
             if unit["row_group"] >= 0 or _is_jsonl(unit["path"])
             or PurePosixPath(unit["path"]).stem not in done]
    if not units:
        return None
    blocks = min(len(units), MAX_READ_BLOCKS)
    return ray.data.from_items(units, override_num_blocks=blocks).flat_map(
        _unit_rows, fn_args=(inputs.filesystem, done), **LIGHT_STAGE
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
