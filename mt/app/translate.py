"""Translate inputs into output files: naming, grouping across documents, failure isolation,
resuming, streaming of large JSONL inputs. The CLI's `translate` is a thin layer over
`translate_inputs`.

Groups. Short articles are translated together, about GROUP_SEGMENTS segments at a time, so
that length-sorted batches fill up. Where the group boundaries fall depends only on the inputs
(in order) and their segment counts, never on what an earlier run finished: a run resumed after
a kill forms the same groups as an uninterrupted run, and every sentence meets the same batch
neighbours, so the outputs are the same bytes. A group whose inputs are all done is skipped
unread; a group with one input left is translated whole and only that input written.

A JSONL input is its own run of groups, read lazily and spooled to disk as it is translated;
its outputs are written at its end. It is resumed as a whole: a JSONL file killed halfway is
translated again from its first line.

The batch terms report. With `terms` among the formats, each input also leaves the counts
behind its report (`<stem>.terms.json`, an output like the others: hashed in the manifest),
and a finished run merges those of every input written or skipped as done, in input order,
into OUTDIR/BATCH_TERMS_NAME. Merging holds the totals, never the documents, and a resumed run
reads the same counts as an uninterrupted one, so it writes the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from aligned.formats import DEFAULT_FORMATS, WriteContext, Writer, writer_for
from aligned.formats.terms import TermCountsWriter, read_term_counts, write_batch_report
from mt.app.interrupts import Stop, signals_deferred, stop_on_signals
from mt.app.isolation import translate_isolated
from mt.app.manifest import Manifest, Record, sha256_bytes, sha256_file, sha256_text
from mt.app.pipeline import Translator
from mt.app.spool import DocumentSpool
from mt.document import Document
from mt.errors import ConfigurationError, InputError, Interrupted, OutputError
from mt.ingest import JsonlLineError, iter_documents, iter_inputs, read_bytes
from mt.segment import segment_document

log = logging.getLogger(__name__)

STDIN = "-"
# Documents are translated in groups of about this many segments, so that length-sorted
# batches are filled across short articles while outputs still appear as the run goes.
GROUP_SEGMENTS = 1024
# Inputs read lazily and written at their end, however many articles they hold.
STREAMED_SUFFIXES = (".jsonl",)
RESUME_NEEDS_OUTDIR = "--resume needs -o: the manifest is kept in the output directory."
# The terms report over every input of the batch, beside the manifest (see the module docstring).
BATCH_TERMS_NAME = "jisr-terms.tsv"


@dataclass
class Job:
    """One input file and the output stem its files are written under."""

    source: str  # a path, or "-" for stdin
    stem: Path | None  # None: write the TSV to stdout
    docs: list[Document] = field(default_factory=list)
    input_sha256: str = ""
    done: Record | None = None  # the manifest's record when --resume may skip this input
    error: str = ""  # why the input cannot even be listed

    @property
    def streamed(self) -> bool:
        return self.source != STDIN and Path(self.source).suffix.lower() in STREAMED_SUFFIXES

    @property
    def segments(self) -> int:
        if self.done:
            return self.done.segments
        return sum(len(doc.segments) for doc in self.docs)


@dataclass
class BatchReport:
    done: int = 0  # inputs written by this run
    skipped: int = 0  # inputs --resume found done
    articles: int = 0  # documents written by this run
    segments: int = 0  # segments translated by this run
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    output_failures: int = 0  # how many of `failed` could not be written
    problems: list[str] = field(default_factory=list)  # lines or articles left out of an output
    seconds: float = 0.0

    def fail(self, source: str, reason: str, output: bool = False) -> None:
        """An input (or, with `output`, its outputs) failed; the batch goes on."""
        log.error("%s", reason)
        self.failed.append((source, reason))
        self.output_failures += output

    def count(self, docs: Iterable[Document]) -> None:
        """An input's documents were written."""
        self.done += 1
        for doc in docs:
            self.articles += 1
            self.segments += sum(1 for seg in doc.segments if seg.flag != "skipped")

    @property
    def exit_code(self) -> int:
        """0: all written; 1: some inputs, lines or articles failed; 2: nothing could be read
        or translated; 3: nothing could be written."""
        if not self.failed and not self.problems:
            return 0
        if self.done or self.skipped:
            return 1
        return 3 if self.failed and self.output_failures == len(self.failed) else 2

    def summary(self) -> str:
        """What the run did, for stderr: counts and time, then every failure on its own line."""
        parts = [
            f"{self.done} input(s) translated ({self.articles} article(s), "
            f"{self.segments} sentence(s)) in {self.seconds:.1f} s"
        ]
        if self.skipped:
            parts.append(f"{self.skipped} skipped as already done")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.problems:
            parts.append(f"{len(self.problems)} line(s) or article(s) left out")
        lines = ["jisr: " + "; ".join(parts) + "."]
        lines += [f"jisr: failed: {reason}" for _, reason in self.failed]
        lines += [f"jisr: left out: {problem}" for problem in self.problems]
        return "\n".join(lines)


def plan_jobs(inputs: Sequence[str], outdir: Path | None) -> Iterator[Job]:
    """Each input file with its output stem: OUTDIR/<path relative to the named dir>/<stem>.
    An INPUT that names no file (an empty directory) becomes a job that fails with the reason."""
    for spec in inputs:
        if spec == STDIN:
            yield Job(STDIN, outdir / "stdin" if outdir else None)
            continue
        root = Path(spec)
        try:
            paths = list(iter_inputs([spec]))
        except InputError as error:
            yield Job(spec, None, error=str(error))
            continue
        for path in paths:
            if outdir and path.resolve().is_relative_to(outdir.resolve()):
                log.info("%s is inside the output directory; not an input", path)
                continue
            relative = path.relative_to(root) if root.is_dir() else Path(path.name)
            yield Job(str(path), (outdir or Path(".")) / relative.with_suffix(""))


def prepare_output_dir(outdir: Path | None) -> None:
    """Create OUTDIR and prove it writable before any model is loaded."""
    if outdir is None:
        return
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        probe = outdir / ".jisr-write-test"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise OutputError(f"Cannot write to {outdir}: {error.strerror or error}.") from error


def settings_sha256(translator: Translator, formats: Sequence[str]) -> str:
    """Everything besides the input that shapes the output bytes: the translator's signature
    (model, engine, decoding, glossary, version), all its settings, the formats, the grouping."""
    settings = {
        "signature": translator.signature(),
        "settings": dataclasses.asdict(translator.settings),
        "formats": list(formats),
        "group_segments": GROUP_SEGMENTS,
    }
    return sha256_text(json.dumps(settings, sort_keys=True, default=str))


def translate_inputs(
    inputs: Sequence[str],
    translator: Translator,
    outdir: Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    resume: bool = False,
) -> BatchReport:
    """Translate every input. An input that cannot be read, translated or written is reported
    and the batch goes on. With `resume`, inputs the manifest of OUTDIR records as done from
    the same bytes with the same settings are skipped. Ctrl-C or SIGTERM raise Interrupted
    once the outputs in hand are complete."""
    if resume and outdir is None:
        raise ConfigurationError(RESUME_NEEDS_OUTDIR)
    writers = [writer_for(name) for name in formats]
    if "terms" in formats:
        writers.append(TermCountsWriter())
    prepare_output_dir(outdir)
    report = BatchReport()
    started = time.monotonic()
    manifest = Manifest(outdir, settings_sha256(translator, formats), resume) if outdir else None
    if outdir:
        translator.start_batch(str(outdir.resolve()), resume)
    try:
        with (
            stop_on_signals(),
            manifest or _no_manifest(),
            tqdm(unit="sent", desc="translating", disable=None, file=sys.stderr) as bar,
        ):
            runner = _Runner(translator, writers, manifest, report, bar)
            runner.run(plan_jobs(inputs, outdir))
            if outdir and "terms" in formats:
                runner.write_batch_terms(outdir / BATCH_TERMS_NAME)
    except Stop as stop:
        report.seconds = time.monotonic() - started
        raise Interrupted(
            f"Stopped by {stop} after {report.done} input(s); every output written is complete"
            + (", rerun with --resume to continue." if manifest else "."),
            stop.signum,
        ) from stop
    report.seconds = time.monotonic() - started
    return report


class _no_manifest:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _manifest_key(manifest: Manifest, job: Job) -> str:
    assert job.stem is not None
    return str(job.stem.relative_to(manifest.outdir))


class _Inputs:
    """Reads the jobs: hashes each input, asks the manifest whether --resume may skip it, and
    reads and segments the rest."""

    def __init__(self, manifest: Manifest | None, report: BatchReport):
        self.manifest = manifest
        self.report = report

    def prepare(self, job: Job) -> bool:
        """Hash the input; unless --resume finds it done, read and segment it."""
        if job.error:
            self.report.fail(job.source, job.error)
            return False
        if job.source == STDIN:  # read once, never skipped: a stream cannot be read again
            data = sys.stdin.buffer.read()
            job.input_sha256 = sha256_bytes(data)
            return self._keep(job, lambda: read_bytes(data, "stdin"))
        return self.is_done(job) or self.load(job)

    def is_done(self, job: Job) -> bool:
        """Hash the input file and ask the manifest whether --resume may skip it."""
        try:
            job.input_sha256 = sha256_file(Path(job.source))
        except OSError:
            return False  # reading it says why, in ingest's words
        if self.manifest and job.stem is not None:
            job.done = self.manifest.done(_manifest_key(self.manifest, job), job.input_sha256)
        return job.done is not None

    def load(self, job: Job) -> bool:
        return self._keep(job, lambda: iter_documents(job.source))

    def _keep(self, job: Job, read: Callable[[], Iterable[Document | InputError]]) -> bool:
        """Read and segment the job's documents; False (and reported) if any cannot be read."""
        try:
            items = list(read())
        except InputError as error:
            items = [error]
        for item in items:
            if isinstance(item, InputError):
                self.report.fail(job.source, str(item))
                return False
        job.docs = [segment_document(doc) for doc in items]
        return True


class _Outputs:
    """Writes a job's outputs and its manifest record (or its TSV to stdout), and counts what
    was written or skipped as done."""

    def __init__(
        self,
        writers: Sequence[Writer],
        context: WriteContext,
        manifest: Manifest | None,
        report: BatchReport,
    ):
        self.writers = writers
        self.context = context
        self.manifest = manifest
        self.report = report
        self.finished: set[Path] = set()  # stems whose outputs are on disk: written or skipped

    def write(
        self,
        job: Job,
        docs: Callable[[], Iterable[Document]],
        problems: Sequence[str] = (),
    ) -> None:
        """Write the job's outputs and its manifest record; a stop signal waits until both are."""
        if job.stem is None:
            self._write_stdout(job)
            return
        paths = [job.stem.with_name(job.stem.name + writer.suffix) for writer in self.writers]
        try:
            with signals_deferred():
                for writer, path in zip(self.writers, paths, strict=True):
                    writer.write_streamed(docs, path, self.context)
                if self.manifest:
                    self.manifest.add(self._record(job, docs(), paths, problems))
        except OutputError as error:
            self.report.fail(job.source, str(error), output=True)
            return
        self.report.problems += problems
        self.finished.add(job.stem)
        self.report.count(docs())

    def skip(self, job: Job) -> None:
        assert job.stem is not None
        self.report.skipped += 1
        self.finished.add(job.stem)

    def _write_stdout(self, job: Job) -> None:
        # The whole TSV in one write once the input is translated: a reader of the pipe sees
        # all of an input's rows or none.
        text = writer_for("tsv").render(job.docs, self.context)
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError as error:
            # Nothing more can reach the reader; point stdout at /dev/null so that Python's
            # own flush at exit does not fail a second time.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise OutputError("The reader of standard output went away.") from error
        self.report.count(job.docs)

    def _record(
        self, job: Job, docs: Iterable[Document], paths: list[Path], problems: Sequence[str]
    ) -> Record:
        assert self.manifest is not None
        articles = segments = 0
        for doc in docs:
            articles += 1
            segments += len(doc.segments)
        return Record(
            key=_manifest_key(self.manifest, job),
            input=job.source,
            input_sha256=job.input_sha256,
            settings_sha256=self.manifest.settings_sha256,
            outputs=self.manifest.output_hashes(paths),
            articles=articles,
            segments=segments,
            problems=list(problems),
        )

    def write_batch_terms(self, path: Path, stems: Iterable[Path]) -> None:
        """Merge the term counts of every finished input of `stems`, in their order, into one
        report."""
        suffix = TermCountsWriter.suffix
        finished = [stem for stem in stems if stem in self.finished]
        parts = (read_term_counts(stem.with_name(stem.name + suffix)) for stem in finished)
        try:
            write_batch_report(path, parts)
        except OutputError as error:
            self.report.fail(str(path), str(error), output=True)


class _Runner:
    """One run over the jobs: claims their outputs, groups them, translates each group and
    hands it to the outputs; a JSONL input is streamed."""

    def __init__(
        self,
        translator: Translator,
        writers: Sequence[Writer],
        manifest: Manifest | None,
        report: BatchReport,
        bar: tqdm,
    ):
        self.translator = translator
        self.manifest = manifest
        self.report = report
        self.bar = bar
        self.inputs = _Inputs(manifest, report)
        context = WriteContext(signature=translator.signature())
        self.outputs = _Outputs(writers, context, manifest, report)
        self.claimed: dict[Path, str] = {}  # output stem -> the input writing it, in input order

    def run(self, jobs: Iterable[Job]) -> None:
        group: list[Job] = []
        for job in jobs:
            if not self._claim(job):
                continue
            if job.streamed:
                self._translate_group(group)
                group = []
                self._run_streamed(job)
                continue
            if not self.inputs.prepare(job):
                continue
            group.append(job)
            if sum(member.segments for member in group) >= GROUP_SEGMENTS:
                self._translate_group(group)
                group = []
        self._translate_group(group)

    def write_batch_terms(self, path: Path) -> None:
        """Merge the term counts of every finished input, in input order, into one report."""
        self.outputs.write_batch_terms(path, self.claimed)

    def _claim(self, job: Job) -> bool:
        """Two inputs must not write the same outputs (a.txt and a.html in one directory)."""
        if job.stem is None:
            return True
        if job.stem in self.claimed:
            self.report.fail(job.source, f"{job.source} would overwrite the outputs of "
                             f"{self.claimed[job.stem]} ({job.stem}.*); rename one of them.")
            return False
        self.claimed[job.stem] = job.source
        return True

    def _translate_group(self, group: list[Job]) -> None:
        todo = [job for job in group if not job.done]
        for job in group:
            if job.done:
                self.outputs.skip(job)
        if not todo:
            return
        # Inputs already done share the group's batches: read them again so that the
        # sentences left to do meet the same neighbours as in an uninterrupted run.
        members = [job for job in group if not job.done or self.inputs.load(job)]
        errors = translate_isolated(
            self._translate, [doc for job in members for doc in job.docs],
            [job.docs for job in todo],
        )
        for job, error in zip(todo, errors, strict=True):
            if error:
                self.report.fail(job.source, f"{job.source} could not be translated: {error}")
            else:
                self.outputs.write(job, lambda job=job: job.docs)

    def _translate(self, docs: list[Document]) -> None:
        self.translator.translate_documents(docs, self.bar.update)

    # -- large inputs --------------------------------------------------------------------------

    def _run_streamed(self, job: Job) -> None:
        """A JSONL file: read lazily, translated group by group, spooled, written at its end."""
        if self.inputs.is_done(job):
            assert job.done is not None
            self.outputs.skip(job)
            self.report.problems += job.done.problems  # the lines it left out, reported again
            return
        with DocumentSpool(self.manifest.outdir if self.manifest else None) as spool:
            try:
                problems = self._translate_streamed(job, spool)
            except InputError as error:
                self.report.fail(job.source, str(error))
                return
            self.outputs.write(job, lambda: iter(spool), problems)

    def _translate_streamed(self, job: Job, spool: DocumentSpool) -> list[str]:
        """Translate the file's articles group by group into `spool`; returns the lines and
        articles left out, and why. Raises InputError when the file itself cannot be read."""
        problems: list[str] = []
        chunk: list[Document] = []
        for item in iter_documents(job.source):
            if isinstance(item, JsonlLineError):
                log.error("%s", item)
                problems.append(str(item))
                continue
            if isinstance(item, InputError):
                raise item
            chunk.append(segment_document(item))
            if sum(len(member.segments) for member in chunk) >= GROUP_SEGMENTS:
                spool.extend(self._translate_chunk(job, chunk, problems))
                chunk = []
        spool.extend(self._translate_chunk(job, chunk, problems))
        if not spool.count:
            raise InputError(f"{job.source} holds no article that could be translated.")
        return problems

    def _translate_chunk(
        self, job: Job, chunk: list[Document], problems: list[str]
    ) -> list[Document]:
        """The chunk translated; an article that breaks it is left out and reported."""
        kept = []
        for doc, error in zip(chunk, translate_isolated(self._translate, chunk,
                                                        [[d] for d in chunk]), strict=True):
            if error:
                problems.append(f"{job.source}: article {doc.doc_id}: {error}")
                log.error("%s", problems[-1])
            else:
                kept.append(doc)
        return kept
