"""Translate inputs into output files: naming, grouping across documents, failure isolation.
The CLI's `translate` command is a thin layer over `translate_inputs`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from aligned.formats import DEFAULT_FORMATS, WriteContext, Writer, writer_for
from mt.document import Document
from mt.errors import InputError, JisrError, OutputError
from mt.ingest import iter_inputs, read_bytes, read_path
from mt.pipeline import Translator
from mt.segment import segment_document

log = logging.getLogger(__name__)

STDIN = "-"
# Documents are translated in groups of about this many segments, so that length-sorted
# batches are filled across short articles while outputs still appear as the run goes.
GROUP_SEGMENTS = 1024


@dataclass
class Job:
    """One input file and the output stem its files are written under."""

    source: str  # a path, or "-" for stdin
    stem: Path | None  # None: write the TSV to stdout
    docs: list[Document] = field(default_factory=list)


@dataclass
class BatchReport:
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    segments: int = 0

    @property
    def exit_code(self) -> int:
        if not self.failed:
            return 0
        return 2 if self.done == 0 else 1


def plan_jobs(inputs: Sequence[str], outdir: Path | None) -> Iterator[Job]:
    """Each input file with its output stem: OUTDIR/<path relative to the named dir>/<stem>."""
    for spec in inputs:
        if spec == STDIN:
            yield Job(STDIN, outdir / "stdin" if outdir else None)
            continue
        root = Path(spec)
        for path in iter_inputs([spec]):
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


def load(job: Job) -> None:
    """Read and segment the job's documents (segmenting here lets groups count segments)."""
    if job.source == STDIN:
        job.docs = list(read_bytes(sys.stdin.buffer.read(), "stdin"))
    else:
        job.docs = list(read_path(Path(job.source)))
    for doc in job.docs:
        segment_document(doc)


def translate_inputs(
    inputs: Sequence[str],
    translator: Translator,
    outdir: Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> BatchReport:
    """Translate every input; a file that cannot be read is reported and the batch goes on."""
    writers = [writer_for(name) for name in formats]
    prepare_output_dir(outdir)
    context = WriteContext(signature=translator.signature())
    report = BatchReport()
    with tqdm(unit="sent", desc="translating", disable=None, file=sys.stderr) as bar:

        def finish(group: list[Job]) -> None:
            translator.translate_documents([doc for job in group for doc in job.docs], bar.update)
            for job in group:
                try:
                    write_job(job, writers, context)
                except JisrError as error:
                    report.failed.append((job.source, str(error)))
                    log.error("%s", error)
                    continue
                report.done += 1
                report.segments += sum(len(doc.segments) for doc in job.docs)

        group: list[Job] = []
        for job in plan_jobs(inputs, outdir):
            try:
                load(job)
            except InputError as error:
                report.failed.append((job.source, str(error)))
                log.error("%s", error)
                continue
            group.append(job)
            if sum(len(doc.segments) for j in group for doc in j.docs) >= GROUP_SEGMENTS:
                finish(group)
                group = []
        if group:
            finish(group)
    return report


def write_job(job: Job, writers: Sequence[Writer], context: WriteContext) -> None:
    if job.stem is None:
        sys.stdout.write(writer_for("tsv").render(job.docs, context))
        sys.stdout.flush()
        return
    for writer in writers:
        writer.write(job.docs, job.stem.with_name(job.stem.name + writer.suffix), context)
