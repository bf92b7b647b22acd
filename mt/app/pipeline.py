"""The pipeline: segment, translate (long sentences in pieces), score. Every stage is its own
module; this one only wires them, and loads the model once per Translator."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from aligned.human_targets import serve_human
from aligned.quality import apply_translation, mark_skipped, retry_weak
from glossary.enforce import enforce
from glossary.match import Matcher
from glossary.termbase import load_termbases
from glossary.uses import TermUse, plan
from mt.app.signature import build_signature
from mt.cache import CachedEngine, TranslationMemory
from mt.document import Document, Segment
from mt.engines import DEFAULT_MODEL, DecodeOptions, Engine, Hypothesis, load_engine
from mt.engines.base import TranslationEngine
from mt.human_memory import HumanMemory, HumanTranslation, source_key
from mt.ingest import read_text
from mt.segment import segment_document, split_long

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
    # The translation memory: a repeated sentence is decoded once, ever, and a sentence with a
    # human translation (jisr tm import) is not decoded at all.
    cache: bool = True
    glossaries: tuple[str, ...] = ()  # term bases, later ones overriding earlier ones
    default_glossary: bool = True  # the shipped glossary, before `glossaries`


class Translator:
    """Loads a model once and translates documents with it.

    >>> translator = Translator(TranslatorSettings(model="path/to/opus-mt-ar-en"))
    >>> doc = translator.translate_text("قالت الحكومة إن الاجتماع انتهى.")
    >>> [seg.target for seg in doc.segments]
    """

    def __init__(
        self,
        settings: TranslatorSettings = TranslatorSettings(),
        engine: Engine | None = None,
        human: Mapping[str, HumanTranslation] | None = None,
        since: float | None = None,
    ):
        """`human`: the human translations to serve (by source_key); by default, with the
        cache on, those of the memory as they are now. `since`: when the batch began (see
        `start_batch`), given to the processes of a Ray batch."""
        self.settings = settings
        # The glossary loads first: a bad term base fails before the slow model load.
        self.termbase = load_termbases(settings.glossaries, default=settings.default_glossary)
        self.matcher = Matcher(self.termbase) if len(self.termbase) else None
        loaded = engine or load_engine(
            settings.engine,
            settings.model,
            revision=settings.revision,
            device=settings.device,
            threads=settings.threads,
        )
        self.engine: TranslationEngine = (
            CachedEngine(loaded, TranslationMemory(), since) if settings.cache else loaded
        )
        if human is None and settings.cache:
            human = HumanMemory().load()
        self.human = human if settings.cache and human else {}
        self.options = DecodeOptions(
            beam=settings.beam,
            max_new_tokens=settings.max_new_tokens,
            max_batch_tokens=settings.batch_tokens,
        )
        self.max_source_tokens = min(settings.max_source_tokens, self.engine.max_source_tokens - 1)

    def start_batch(self, output: str, resume: bool) -> None:
        """Count as this batch's own the memory's entries decoded since the batch writing into
        `output` began (with `resume`, in the run it resumes): their rows say origin mt, not
        memory, so that a resumed run writes what an uninterrupted one would."""
        if isinstance(self.engine, CachedEngine):
            self.engine.since = self.engine.memory.batch_started(output, resume)

    def signature(self) -> str:
        return build_signature(self.engine, options=self.options, termbase=self.termbase,
                               human=self.human)

    def translate_text(self, text: str, doc_id: str = "text") -> Document:
        return self.translate_document(read_text(text, doc_id))

    def translate_document(self, doc: Document) -> Document:
        return self.translate_documents([doc])[0]

    def translate_documents(
        self, docs: Sequence[Document], progress: Callable[[int], None] | None = None
    ) -> list[Document]:
        """Translate every translatable segment of `docs` in one length-sorted run, so that
        batches are filled across documents. A segment with a human translation takes it, and
        is not decoded."""
        translatable: list[Segment] = []
        jobs: list[tuple[Segment, list[str]]] = []
        served: list[tuple[Segment, HumanTranslation]] = []
        for doc in docs:
            if not doc.segments:
                segment_document(doc)
            for seg in doc.segments:
                if not self._translatable(seg):
                    continue
                translatable.append(seg)
                human = self.human.get(source_key(seg.source))
                if human is not None:
                    served.append((seg, human))
                else:
                    jobs.append((seg, self._pieces(seg)))
        plans = self._plans(translatable)
        if served:
            segments = [seg for seg, _ in served]
            serve_human(self.engine, segments, [human for _, human in served],
                        [plans[id(seg)] for seg in segments] if plans is not None else None)
            if progress:
                progress(len(served))
        hypotheses = iter(self._translate(jobs, self.options, progress, plans))
        for seg, seg_pieces in jobs:
            apply_translation(seg, [next(hypotheses) for _ in seg_pieces])
        retry_weak(jobs, self.options, self._translate_again, self._clauses)
        return list(docs)

    def _translate_again(
        self, jobs: Sequence[tuple[Segment, list[str]]], options: DecodeOptions
    ) -> list[Hypothesis]:
        """The quality retry's translation: the same stages, each segment's glossary uses (a
        copy of its plan) held again."""
        plans = {id(seg): seg.matches for seg, _ in jobs} if self.matcher is not None else None
        return self._translate(list(jobs), options, None, plans)

    def _plans(self, segments: list[Segment]) -> dict[int, list[TermUse]] | None:
        """The glossary's plan of every segment translated or served, by id(): planned together,
        so that a first mention in a human translation counts for the machine's rows after it."""
        if self.matcher is None:
            return None
        return dict(zip(map(id, segments), plan(segments, self.matcher), strict=True))

    def _translate(
        self,
        jobs: list[tuple[Segment, list[str]]],
        options: DecodeOptions,
        progress: Callable[[int], None] | None,
        plans: dict[int, list[TermUse]] | None,
    ) -> list[Hypothesis]:
        """One hypothesis per piece, in order; held to the glossary when there is one."""
        if plans is None or self.matcher is None:
            pieces = [piece for _, seg_pieces in jobs for piece in seg_pieces]
            return self.engine.translate(pieces, options, progress=progress)
        segments, pieces_of = [seg for seg, _ in jobs], [p for _, p in jobs]
        return enforce(
            self.engine, segments, options, self.matcher, pieces_of, progress=progress,
            plans=[plans[id(seg)] for seg in segments],
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
