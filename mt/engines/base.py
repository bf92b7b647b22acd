"""The engine interface: batching, length sorting and result shape live here; engines override
only loading, tokenising and decoding (a template method, as in CTranslate2's converters)."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import numpy as np

from mt.engines.alignment_attention import DEFAULT_ATTENTION, AttentionChoice
from mt.engines.calibration import CALIBRATION_KEY, Bounds, calibration_digest

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
# The output cap when the caller fixes none: a * source tokens + b, as in fairseq and CTranslate2.
MAX_LEN_A = 2.0
MAX_LEN_B = 10


@dataclass(frozen=True)
class DecodeOptions:
    """How to decode. Part of every output's signature and of the translation-memory key."""

    beam: int | None = None  # None: the model's own generation config
    max_new_tokens: int | None = None  # None: MAX_LEN_A * source tokens + MAX_LEN_B
    min_new_tokens: int | None = None  # benchmarks set min = max to fix the work done
    no_repeat_ngram_size: int = 0
    max_batch_tokens: int = 4096  # padded source tokens per batch
    with_attention: bool = True  # cross-attention for word alignment and coverage
    # Each token's log-prob (and the attention) from a forced pass after the search; False
    # where the caller reads the text from another input anyway (the glossary's candidates):
    # the hypotheses then come without log-probs and attention.
    with_scores: bool = True

    def signature(self) -> str:
        parts = [f"beam:{self.beam or 'model'}"]
        if self.max_new_tokens:
            parts.append(f"maxlen:{self.max_new_tokens}")
        if self.min_new_tokens:
            parts.append(f"minlen:{self.min_new_tokens}")
        if self.no_repeat_ngram_size:
            parts.append(f"norep:{self.no_repeat_ngram_size}")
        return "|".join(parts)


@dataclass
class Hypothesis:
    """One decoded (or force-decoded) target and what the quality code needs of it."""

    text: str
    tokens: list[str]  # target SentencePiece pieces, without </s>
    token_logprobs: list[float]  # one per target token, </s> included last
    source_tokens: list[str]  # source pieces, without </s>
    attention: np.ndarray | None = None  # (len(tokens), len(source_tokens)), rows sum to ~1
    extra: dict = field(default_factory=dict)
    from_memory: bool = False  # served by the machine-translation cache, decoded by an earlier run

    @property
    def mean_logprob(self) -> float:
        return float(np.mean(self.token_logprobs)) if self.token_logprobs else -math.inf

    @property
    def min_logprob(self) -> float:
        return float(np.min(self.token_logprobs)) if self.token_logprobs else -math.inf


def length_budget(source_length: int, options: DecodeOptions, limit: int, reserved: int = 0) -> int:
    """New tokens for one sentence, </s> included: the caller's cap (options.max_new_tokens) or
    MAX_LEN_A * source tokens + MAX_LEN_B; raised to fit `reserved` forced tokens (a prefix)
    with room after them (one token under the caller's cap, MAX_LEN_B under the default one);
    never past the model's `limit`. The one rule of both engines."""
    if options.max_new_tokens:
        wanted = max(options.max_new_tokens, reserved + 1)
    else:
        wanted = max(int(MAX_LEN_A * source_length + MAX_LEN_B), reserved + MAX_LEN_B)
    return min(wanted, limit)


def mark_truncated(hyps: Sequence[Hypothesis], budgets: Sequence[int]) -> None:
    """Mark each decoded hypothesis whose tokens fill its length budget (`length_budget`, whose
    last slot is the </s> put there): the model did not stop by itself, a loop or babble. The
    one rule of both engines; the glossary's tier 3 reads it."""
    for hyp, budget in zip(hyps, budgets, strict=True):
        if len(hyp.tokens) >= budget - 1:
            hyp.extra["truncated"] = True


def length_sorted_batches(lengths: Sequence[int], max_batch_tokens: int) -> list[list[int]]:
    """Indices grouped into batches of similar length whose padded size stays in budget."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = max(lengths[index], 1)  # sorted ascending: the newest is the longest
        if current and longest * (len(current) + 1) > max_batch_tokens:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def with_calibration(hyps: list[Hypothesis], bounds: Bounds | None) -> list[Hypothesis]:
    """The hypotheses carrying `bounds` (an engine's calibration), and only them: one may come
    from the machine-translation cache, written under another."""
    for hyp in hyps:
        if bounds:
            hyp.extra[CALIBRATION_KEY] = bounds
        else:
            hyp.extra.pop(CALIBRATION_KEY, None)
    return hyps


class TranslationEngine(Protocol):
    """What the stages use of an engine: a loaded one (Engine) or the machine-translation
    cache wrapped around one (mt.cache.CachedEngine)."""

    calibration: Bounds | None
    attention: AttentionChoice

    @property
    def name(self) -> str: ...
    @property
    def model_id(self) -> str: ...
    @property
    def revision(self) -> str | None: ...
    @property
    def max_source_tokens(self) -> int: ...

    def translate(
        self,
        sources: Sequence[str],
        options: DecodeOptions = ...,
        progress: Callable[[int], None] | None = None,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[Hypothesis]: ...

    def score(
        self, sources: Sequence[str], targets: Sequence[str], max_batch_tokens: int = ...,
        with_attention: bool = ...,
    ) -> list[Hypothesis]: ...

    def alternatives(
        self, source: str, count: int, options: DecodeOptions = ...
    ) -> list[str]: ...

    def encode(self, text: str) -> list[str]: ...

    def count_source_tokens(self, text: str) -> int: ...

    def signature(self) -> str: ...


class Engine(ABC):
    """A loaded Marian model. Subclasses implement loading and the three private hooks."""

    name: ClassVar[str]
    # Raised when a change makes the engine return other results for the same input, so that
    # translation-memory entries written before it are not served (the memory keys on it).
    output_version: ClassVar[int] = 1

    model_id: str
    revision: str | None
    max_source_tokens: int  # the model's input limit, </s> included
    # The model's bounds for the quality signals (mt/engines/calibration.py), handed to them in
    # every hypothesis's extra; None: the signals' built-in bounds.
    calibration: Bounds | None = None
    # The cross-attention returned as word alignment (mt/engines/alignment_attention.py).
    attention: AttentionChoice = DEFAULT_ATTENTION

    def translate(
        self,
        sources: Sequence[str],
        options: DecodeOptions = DecodeOptions(),
        progress: Callable[[int], None] | None = None,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[Hypothesis]:
        """Translate `sources`; `prefixes[i]`, when set, is target text hypothesis i starts
        with, the model continuing freely after it (the glossary's one way of forcing a
        rendering). Results come back in input order."""
        if prefixes is not None and len(prefixes) != len(sources):
            raise ValueError("prefixes must have one entry per source")
        encoded = [self.encode(text) for text in sources]
        results: list[Hypothesis | None] = [None] * len(sources)
        for batch in length_sorted_batches([len(t) for t in encoded], options.max_batch_tokens):
            batch_prefixes = [prefixes[i] for i in batch] if prefixes else None
            hyps = self._decode([encoded[i] for i in batch], options, batch_prefixes)
            for index, hyp in zip(batch, hyps, strict=True):
                results[index] = hyp
            if progress:
                progress(len(batch))
        return with_calibration(results, self.calibration)  # type: ignore[arg-type]

    def score(
        self, sources: Sequence[str], targets: Sequence[str], max_batch_tokens: int = 4096,
        with_attention: bool = True,
    ) -> list[Hypothesis]:
        """Forced decoding: the model's log-probability of each given target, and its
        cross-attention unless `with_attention` is False (on CTranslate2 the attention takes a
        decoding pass of its own, two thirds of the time of scoring)."""
        if len(sources) != len(targets):
            raise ValueError("sources and targets must have the same length")
        encoded = [self.encode(text) for text in sources]
        results: list[Hypothesis | None] = [None] * len(sources)
        for batch in length_sorted_batches([len(t) for t in encoded], max_batch_tokens):
            hyps = self._score([encoded[i] for i in batch], [targets[i] for i in batch],
                               with_attention)
            for index, hyp in zip(batch, hyps, strict=True):
                results[index] = hyp
        return with_calibration(results, self.calibration)  # type: ignore[arg-type]

    def alternatives(
        self, source: str, count: int, options: DecodeOptions = DecodeOptions()
    ) -> list[str]:
        """The `count` best translations of `source` by beam search (a beam of at least
        `count`), best first, without the glossary: what a reviewer may pick from."""
        if count < 1:
            raise ValueError("count must be at least 1")
        return self._nbest(self.encode(source), count, options)

    def count_source_tokens(self, text: str) -> int:
        return len(self.encode(text))

    def signature(self) -> str:
        model = self.model_id.rstrip("/").split("/")[-1]
        calibrated = calibration_digest(self.calibration)
        return (f"model:{model}|rev:{self.revision or 'none'}|engine:{self.name}"
                + (f"|cal:{calibrated}" if calibrated else "")
                + (f"|attn:{self.attention.name}" if self.attention != DEFAULT_ATTENTION
                   else ""))

    @abstractmethod
    def encode(self, text: str) -> list[str]:
        """Source SentencePiece pieces, </s> included: the unit of batching and decoding."""

    @abstractmethod
    def _decode(
        self,
        batch: list[list[str]],
        options: DecodeOptions,
        prefixes: list[str | None] | None = None,
    ) -> list[Hypothesis]:
        """Decode one batch of encoded sources, each output starting with its prefix if set."""

    def _nbest(self, source: list[str], count: int, options: DecodeOptions) -> list[str]:
        """The texts of the `count` best hypotheses of one encoded source, best first. Both
        engines have it; an engine made for a test need not."""
        raise NotImplementedError(f"the {self.name} engine offers no alternatives")

    @abstractmethod
    def _score(
        self, batch: list[list[str]], targets: list[str], with_attention: bool
    ) -> list[Hypothesis]:
        """Force-decode one batch of encoded sources against the given targets."""
