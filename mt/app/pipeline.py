"""The pipeline: segment, translate (long sentences in pieces), score. Every stage is its own
module; this one only wires them, and loads the model once per Translator."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aligned.quality import apply_translation, mark_skipped, retry_weak
from glossary.enforce import enforce, keep_terms
from glossary.match import Matcher
from glossary.termbase import load_termbases
from mt.document import Document, Segment
from mt.engines import DEFAULT_MODEL, DecodeOptions, Engine, Hypothesis, load_engine
from mt.ingest import read_text
from mt.segment import segment_document, split_long
from mt.version import __version__

log = logging.getLogger(__name__)

# Sentences longer than this many source tokens are translated in clause-sized pieces:
# opus-mt models are trained on sentences, and their output degrades long before the
# 512-position limit of the architecture.
DEFAULT_MAX_SOURCE_TOKENS = 200


@dataclass(frozen=True)
class TranslatorSettings:
    model: str = DEFAULT_MODEL
    engine: str = "auto"
    revision: str | None = None
    device: str | None = None
    threads: int | None = None
    beam: int | None = None  # None: the model's own generation config
    # None: a cap from each batch's longest source. A fixed cap makes a sentence's output
    # independent of the sentences batched with it (which differ between runs over other inputs).
    max_new_tokens: int | None = None
    batch_tokens: int = DecodeOptions.max_batch_tokens
    max_source_tokens: int = DEFAULT_MAX_SOURCE_TOKENS
    translate_boilerplate: bool = False
    cache: bool = True  # the translation memory: a repeated sentence is decoded once, ever
    glossaries: tuple[str, ...] = ()  # term bases, later ones overriding earlier ones
    default_glossary: bool = True  # the shipped glossary, before `glossaries`


class Translator:
    """Loads a model once and translates documents with it.

    >>> translator = Translator(TranslatorSettings(model="path/to/opus-mt-ar-en"))
    >>> doc = translator.translate_text("قالت الحكومة إن الاجتماع انتهى.")
    >>> [seg.target for seg in doc.segments]
    """

    def __init__(
        self, settings: TranslatorSettings = TranslatorSettings(), engine: Engine | None = None
    ):
        self.settings = settings
        # The glossary loads first: a bad term base fails before the slow model load.
        self.termbase = load_termbases(settings.glossaries, default=settings.default_glossary)
        self.matcher = Matcher(self.termbase) if len(self.termbase) else None
        self.engine = engine or load_engine(
            settings.engine,
            settings.model,
            revision=settings.revision,
            device=settings.device,
            threads=settings.threads,
        )
        if settings.cache:
            from mt.cache import CachedEngine, TranslationMemory

            self.engine = CachedEngine(self.engine, TranslationMemory())
        self.options = DecodeOptions(
            beam=settings.beam,
            max_new_tokens=settings.max_new_tokens,
            max_batch_tokens=settings.batch_tokens,
        )
        self.max_source_tokens = min(settings.max_source_tokens, self.engine.max_source_tokens - 1)

    def signature(self) -> str:
        return (
            f"{self.engine.signature()}|{self.options.signature()}|"
            f"{self.termbase.signature()}|v:{__version__}"
        )

    def translate_text(self, text: str, doc_id: str = "text") -> Document:
        return self.translate_document(read_text(text, doc_id))

    def translate_document(self, doc: Document) -> Document:
        return self.translate_documents([doc])[0]

    def translate_documents(
        self, docs: Sequence[Document], progress: Callable[[int], None] | None = None
    ) -> list[Document]:
        """Translate every translatable segment of `docs` in one length-sorted run, so that
        batches are filled across documents."""
        jobs: list[tuple[Segment, list[str]]] = []
        for doc in docs:
            if not doc.segments:
                segment_document(doc)
            for seg in doc.segments:
                if self._translatable(seg):
                    jobs.append((seg, self._pieces(seg)))
        hypotheses = iter(self._translate(jobs, progress))
        for seg, seg_pieces in jobs:
            apply_translation(seg, [next(hypotheses) for _ in seg_pieces])
        with keep_terms([seg for seg, _ in jobs]):
            retry_weak(self.engine, jobs, self.options, self._clauses)
        return list(docs)

    def _translate(
        self, jobs: list[tuple[Segment, list[str]]], progress: Callable[[int], None] | None
    ) -> list[Hypothesis]:
        """One hypothesis per piece, in order; held to the glossary when there is one."""
        if self.matcher is None:
            pieces = [piece for _, seg_pieces in jobs for piece in seg_pieces]
            return self.engine.translate(pieces, self.options, progress=progress)
        segments, pieces_of = [seg for seg, _ in jobs], [p for _, p in jobs]
        return enforce(
            self.engine, segments, self.options, self.matcher, pieces_of, progress=progress
        )

    def _clauses(self, text: str) -> list[str]:
        """A second, finer cut into clauses, for the retry of a translation that lost half."""
        count = self.engine.count_source_tokens
        return split_long(text, max(8, count(text) // 2), count)

    def _translatable(self, seg: Segment) -> bool:
        if seg.kind == "boilerplate" and not self.settings.translate_boilerplate:
            mark_skipped(seg)
            return False
        if not seg.mt_source.strip():
            mark_skipped(seg, "nothing to translate once normalised")
            return False
        return True

    def _pieces(self, seg: Segment) -> list[str]:
        """The segment's MT input, cut at clause boundaries when it is too long; never cut short."""
        count = self.engine.count_source_tokens
        if count(seg.mt_source) <= self.max_source_tokens:
            return [seg.mt_source]
        pieces = split_long(seg.mt_source, self.max_source_tokens, count)
        seg.split = len(pieces) > 1
        log.info("%s/%d: translated in %d pieces", seg.doc_id, seg.seg, len(pieces))
        return pieces
