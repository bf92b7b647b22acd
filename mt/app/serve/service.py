"""What the service does, behind its routes: the model loaded once in a Translator, its
micro-batcher, and the operations each route calls. Every translation goes through the same
pipeline as `jisr translate` (Translator.translate_documents), so a text gets the rows the CLI
writes for it."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligned.formats.jsonl import segment_record
from aligned.formats.text import english_article
from aligned.readers import Row
from aligned.signals import SIGNALS
from mt.app.align import align_files
from mt.app.pipeline import Translator
from mt.app.score import rows_to_segments, score_segments, scored_rows
from mt.app.serve.settings import ServiceSettings
from mt.app.serve.worker import Worker
from mt.arabic import normalize_for_mt
from mt.document import Document
from mt.errors import InputError
from mt.human_memory import HumanMemory, HumanTranslation
from mt.ingest import read_bytes, read_text
from mt.segment import segment_document

# Where a human translation approved in the live review page says it came from.
REVIEW_FILE = "jisr serve /review"
MAX_ALTERNATIVES = 8


@dataclass
class Translated:
    docs: list[Document]
    signature: str

    def rows(self) -> list[dict]:
        """The JSONL format's records, every segment of every document in order."""
        return [segment_record(seg, self.signature) for doc in self.docs for seg in doc.segments]

    def english(self) -> list[str]:
        """Each document's English article, as `jisr translate` writes OUTDIR/<stem>.en.txt."""
        return [english_article(doc) for doc in self.docs]


def read_article(text: str, doc_id: str, html: bool | None = None) -> Document:
    """A posted text as `jisr translate` reads a file: plain text, or HTML when it looks so
    (`html` None) or when `html` says so; segmented. InputError when there is nothing to
    translate."""
    if not isinstance(text, str):
        raise InputError(f"Article {doc_id} is not a string.")
    if html is None:
        doc = read_bytes(text.encode("utf-8"), doc_id)[0]
    else:
        doc = read_text(text, doc_id, is_html=html)
    return segment_document(doc)


class Service:
    """The loaded model and everything done with it. Only the worker's thread touches the
    translator; routes await its results."""

    def __init__(self, settings: ServiceSettings, translator: Translator | None = None):
        self.settings = settings
        self.translator = translator or Translator(settings.translator)
        self.worker = Worker(self.translator, settings.max_pending, settings.max_batch_segments)

    @property
    def human_memory_on(self) -> bool:
        return self.settings.translator.cache

    def close(self) -> None:
        self.worker.stop()

    async def translate(
        self, texts: Sequence[str], ids: Sequence[str], html: bool | None = None
    ) -> Translated:
        docs = [read_article(text, doc_id, html) for text, doc_id in zip(texts, ids, strict=True)]
        done = await self.worker.translate(docs)
        return Translated(done, self.translator.signature())

    async def score(self, pairs: Sequence[Row], doc_id: str = "pairs") -> list[Row]:
        """`jisr score` on posted pairs: the rows with score, flag, signals and reasons."""
        segments = rows_to_segments(pairs, doc_id)
        engine = self.translator.engine
        scored = await self.worker.call(lambda: score_segments(segments, engine))  # type: ignore
        return scored_rows(pairs, scored, tuple(SIGNALS))

    async def align(self, arabic: str, english: str, lines: bool, html: bool) -> list[Row]:
        """`jisr align` (without a model) on two posted texts: the alignment TSV's rows."""
        return await asyncio.to_thread(_align_texts, arabic, english, lines, html)

    async def continue_from(self, source: str, prefix: str) -> str:
        """The model's translation of `source` that starts with the translator's `prefix`."""
        engine, options = self.translator.engine, self.translator.options
        mt_source = _mt_source(source)
        hyps = await self.worker.call(
            lambda: engine.translate([mt_source], options, prefixes=[prefix.strip() or None]))
        return hyps[0].text

    async def alternatives(self, source: str, count: int) -> list[str]:
        """The model's `count` best translations of `source`, best first, each once."""
        engine, options = self.translator.engine, self.translator.options
        mt_source = _mt_source(source)
        count = max(1, min(count, MAX_ALTERNATIVES))
        texts = await self.worker.call(lambda: engine.alternatives(mt_source, count, options))
        return list(dict.fromkeys(text for text in texts if text))

    async def approve(self, source: str, target: str, unit: str) -> str:
        """Store a reviewed translation in the human memory (committed before this returns)
        and serve it from the next request on. Returns what storing did."""
        if not self.human_memory_on:
            raise InputError("The service runs with --no-cache: there is no human memory.")
        if not source.strip() or not target.strip():
            raise InputError("An approved translation needs a source and a target.")
        translation = HumanTranslation(source, " ".join(target.split()), REVIEW_FILE, unit)

        def store() -> str:
            memory = HumanMemory()
            try:
                outcome = memory.store([translation])[0].outcome
                self.translator.human = memory.load()
            finally:
                memory.close()
            return outcome

        return await self.worker.call(store)


def _mt_source(source: str) -> str:
    text = normalize_for_mt(source)
    if not text.strip():
        raise InputError("The source sentence is empty.")
    return text


def _align_texts(arabic: str, english: str, lines: bool, html: bool) -> list[Row]:
    from aligned.alignment_tsv import render_alignment_tsv

    suffix = ".html" if html else ".txt"
    with tempfile.TemporaryDirectory(prefix="jisr-serve-") as folder:
        ar_path, en_path = Path(folder, "arabic" + suffix), Path(folder, "english" + suffix)
        ar_path.write_text(arabic, encoding="utf-8")
        en_path.write_text(english, encoding="utf-8")
        result = align_files(ar_path, en_path, lines=lines)
    tsv = render_alignment_tsv(result.alignment.beads, result.src.texts, result.tgt.texts)
    return list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
