"""The CTranslate2 engine: the Marian model converted once to int8, decoded by CTranslate2.

CTranslate2 returns the best hypothesis and its cross-attention, but no per-token log-probs under
beam search (`return_logits_vocab` is per step, not per chosen token), so the log-probs come from
one `score_batch` pass over the output: a single parallel decoder pass, cheap next to decoding.
It has no logits-processor hook either; the glossary forces its renderings with a target
prefix (`target_prefix`), the one way of forcing of both engines.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

# On AMD CPUs CTranslate2 picks int8 kernels of its own that are neither close to float32 (a
# token log-prob 3.6 nats off where MKL's is 0.47: scripts/measure_engine_agreement.py) nor
# batch-invariant (a looping sentence decoded beside other articles by `jisr batch` came out
# other words than from `jisr translate`: tests/test_ray_batch.py); MKL, which CTranslate2
# already uses on Intel CPUs, is both. A user's own setting wins. Set before the import: the
# library reads it when it loads.
os.environ.setdefault("CT2_USE_MKL", "1")

import ctranslate2  # noqa: E402
import numpy as np
import sentencepiece as spm

from mt.engines.alignment_attention import DEFAULT_ATTENTION, AttentionChoice
from mt.engines.base import (
    DecodeOptions,
    Engine,
    Hypothesis,
    length_budget,
    length_sorted_batches,
    mark_truncated,
)
from mt.engines.ct2_conversion import SETTINGS_FILE, converted_model_dir
from mt.engines.pieces import WORD_START, starts_word
from mt.errors import ModelError

EOS = "</s>"
X86 = ("x86_64", "amd64", "i386", "i686")
UNK = "<unk>"  # left out of the text, as the transformers engine's skip_special_tokens does

# score_batch materialises log-softmax over the whole vocabulary for every target position; in
# small batches that stays in cache (measured: 60 sentences at once took 4x longer than in
# batches of 4, and 1.7 GB instead of 0.6 GB). Counted in padded target positions: CTranslate2's
# own "tokens" batches count source tokens only, and a short source with a long target (a
# clause piece of the retry) put 50 sentences of 48 targets, 0.6 GB of log-probs, in one call;
# 512 positions still took `jisr translate` from 897 to 1065 MB in the retry.
SCORE_BATCH_TOKENS = 256
# Beam search holds (sentences x beam) rows of vocabulary-sized logits per step: the token
# budget of a batch of short sources (the retry's clause pieces) let that reach 0.4 GB and
# `jisr translate` 1.3 GB (256 rows: 897 MB). CTranslate2 splits a batch past this many rows;
# each sentence's result does not depend on its batch mates, so only the peak changes.
BEAM_ROWS = 192
# One decoded output: target pieces without the final </s>, and attention rows (or None).
Output = tuple[list[str], np.ndarray | None]


def machine_threads() -> int:
    """The cores this process may run on (the affinity mask, not the whole machine)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_compute_type(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """int8, except where MKL computes it on a CPU not Intel's: there its int8 matrix products take
    a slow path (the opus-mt-ar-en shape on an AMD EPYC, 7 sentences of 48 tokens: 19.3 s in int8,
    2.9 s in float32, 1.3 s with CTranslate2's own int8 kernels, which are the ones that are
    neither close nor batch-invariant; their float32 took 2.0 s), and float32 is nearer the model
    than int8 is. The int8 weights are widened to float32 on loading."""
    if os.environ.get("CT2_USE_MKL") != "1" or platform.machine().lower() not in X86:
        return "int8"
    vendor = next((line.split(":", 1)[1].strip() for line in
                   (cpuinfo.read_text().splitlines() if cpuinfo.is_file() else [])
                   if line.startswith("vendor_id")), "GenuineIntel")
    return "int8" if vendor == "GenuineIntel" else "float32"


class CTranslate2Engine(Engine):
    name = "ctranslate2"
    # 2: the first attention row and length caps are batch-invariant; 3: extra["truncated"];
    # 4: MKL kernels on every x86 CPU; a prefix continued by the beam
    output_version = 5  # 5: float32 where MKL's int8 is slow (x86 CPUs not Intel's)

    def __init__(
        self,
        model: str,
        *,
        revision: str | None = None,
        device: str | None = None,
        threads: int | None = None,
        attention: AttentionChoice = DEFAULT_ATTENTION,
    ):
        self.model_id = model
        self.revision = revision
        self.attention = attention
        model_dir = converted_model_dir(model, revision, attention)
        self.device = device or ("cuda" if ctranslate2.get_cuda_device_count() else "cpu")
        self.compute_type = "int8_float16" if self.device == "cuda" else cpu_compute_type()
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir),
                device=self.device,
                compute_type=self.compute_type,
                intra_threads=threads or machine_threads(),
            )
            self.source_spm = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
            self.target_spm = spm.SentencePieceProcessor(model_file=str(model_dir / "target.spm"))
        except (RuntimeError, ValueError, OSError) as error:
            raise ModelError(
                f"Could not load the CTranslate2 model in {model_dir}: {error}"
            ) from error
        settings = json.loads((model_dir / SETTINGS_FILE).read_text())
        self.default_beam: int = settings["num_beams"]
        self.max_source_tokens = settings["max_source_tokens"]

    def encode(self, text: str) -> list[str]:
        return [*self.source_spm.encode(text, out_type=str), EOS]

    def _decode(
        self,
        batch: list[list[str]],
        options: DecodeOptions,
        prefixes: list[str | None] | None = None,
    ) -> list[Hypothesis]:
        # A forced prefix piece the target vocabulary lacks comes back as <unk> and is left out
        # of the text, as in the transformers engine: the text is always the model's own.
        # A prefix past the model's positions is cut (what it cuts off is then missing, and
        # the occurrence fails): room is left for one free step and </s>.
        prefix_pieces = [
            self.target_spm.encode(p, out_type=str)[: self.max_source_tokens - 3] if p else None
            for p in (prefixes or [None] * len(batch))
        ]
        outputs = self._generate(batch, prefix_pieces, options)
        hyps = self._hypotheses(batch, outputs, options.with_attention, options.with_scores)
        mark_truncated(hyps, [self._budget(source, prefix, options)
                              for source, prefix in zip(batch, prefix_pieces, strict=True)])
        return hyps

    def _nbest(self, source: list[str], count: int, options: DecodeOptions) -> list[str]:
        beam = max(options.beam or self.default_beam, count)
        result = self.translator.translate_batch(
            [source],
            beam_size=beam,
            num_hypotheses=count,
            max_decoding_length=self._budget(source, None, options) - 1,
            max_input_length=0,
        )[0]
        return [self._text(tokens) for tokens in result.hypotheses]

    def _score(
        self, batch: list[list[str]], targets: list[str], with_attention: bool
    ) -> list[Hypothesis]:
        # Capped at the model's positions, as the transformers engine caps its targets (a text
        # re-tokenised can take more pieces than the decoder wrote).
        pieces = [self.target_spm.encode(target, out_type=str)[: self.max_source_tokens - 2]
                  for target in targets]
        if not with_attention:  # the log-probs are score_batch's (_hypotheses)
            return self._hypotheses(batch, [(p, None) for p in pieces], with_attention=False)
        # Forced decoding through the whole target returns its attention; the scores come from
        # score_batch in _hypotheses, like those of decoded output. Not grouped by source length
        # as the scores are: on the opus-mt shape its int8 attention is the same padded or not
        # (measured), and one call per length made this pass 7 times slower.
        results = self.translator.translate_batch(
            batch,
            target_prefix=pieces,
            beam_size=1,
            max_decoding_length=max(len(p) for p in pieces) + 1,
            return_attention=True,
            max_input_length=0,
        )
        outputs = [
            (target, np.asarray(result.attention[0])[: len(target)])
            for target, result in zip(pieces, results, strict=True)
        ]
        return self._hypotheses(batch, outputs, with_attention=True)

    def _budget(self, source: list[str], prefix: list[str] | None, options: DecodeOptions) -> int:
        """The length budget of one output, </s> included; it counts the forced prefix."""
        return length_budget(len(source), options, self.max_source_tokens, len(prefix or ()))

    def _generate(
        self,
        batch: list[list[str]],
        prefixes: list[list[str] | None],
        options: DecodeOptions,
    ) -> list[Output]:
        """Decode; each output ends in a </s> (not among its tokens) by its own length budget at
        the latest, as in the transformers engine, and does not depend on its batch mates."""
        budgets = [self._budget(source, prefix, options)
                   for source, prefix in zip(batch, prefixes, strict=True)]
        outputs, ran_to_cap = self._search(batch, prefixes, options, budgets)
        # CTranslate2 takes one decoding length per call: the batch's largest budget. An output
        # that ended before its own budget is the one a search capped at that budget finds (the
        # two searches are the same step for step until then); one that reached it may have
        # beaten, or lost to, hypotheses the shorter search never sees. Those are decoded again
        # among outputs of the same budget. Real models rarely reach the a * source + b cap.
        redo = [i for i, capped in enumerate(ran_to_cap) if capped and budgets[i] < max(budgets)]
        for budget in sorted({budgets[i] for i in redo}):
            group = [i for i in redo if budgets[i] == budget]
            again, _ = self._search(
                [batch[i] for i in group], [prefixes[i] for i in group], options,
                [budget] * len(group),
            )
            for i, output in zip(group, again, strict=True):
                outputs[i] = output
        return outputs

    def _search(
        self,
        batch: list[list[str]],
        prefixes: list[list[str] | None],
        options: DecodeOptions,
        budgets: list[int],
    ) -> tuple[list[Output], list[bool]]:
        """One beam search up to the largest budget; outputs cut to their own budgets, and
        whether each reached its budget."""
        longest = max(budgets) - 1  # the last slot of a budget is </s>
        beam = options.beam or self.default_beam
        forced = any(prefixes)
        results = self.translator.translate_batch(
            batch,
            target_prefix=prefixes if forced else None,
            beam_size=beam,
            # After a forced prefix, the best continuation that starts a new word, of the
            # beam's finished hypotheses: a rendering never runs on into a longer word (the
            # transformers engine masks the same step). Not return_alternatives, which decodes
            # each alternative on its own: 15 times the time of the search (40 mini-model
            # sentences, 3-word prefixes, beam 4: 9.0 s against 0.5 s).
            num_hypotheses=beam if forced else 1,
            max_decoding_length=longest,  # CTranslate2 counts a forced prefix in it
            min_decoding_length=min(options.min_new_tokens or 1, longest),
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            return_attention=options.with_attention,
            max_input_length=0,  # the pipeline splits long sentences; never truncate silently
            max_batch_size=max(1, BEAM_ROWS // beam),
        )
        first_rows = (
            self._first_attention_rows(batch)
            if options.with_attention and beam > 1 and len(batch) > 1
            else None
        )
        outputs, ran_to_cap = [], []
        for i, (result, budget) in enumerate(zip(results, budgets, strict=True)):
            best, cut = _first_free_boundary(result.hypotheses, len(prefixes[i] or ()))
            tokens = result.hypotheses[best][: min(budget - 1, cut)]
            attention = (np.asarray(result.attention[best])[: len(tokens)]
                         if result.attention else None)
            if first_rows is not None and attention is not None and len(attention):
                attention[0] = first_rows[i]
            outputs.append((tokens, attention))
            ran_to_cap.append(len(result.hypotheses[best]) >= budget - 1)
        return outputs, ran_to_cap

    def _first_attention_rows(self, batch: list[list[str]]) -> list[np.ndarray]:
        """Each sentence's attention at the first decoding step, from one greedy step.

        CTranslate2's batched beam search (4.8.5) returns, as the first attention row of every
        sentence, the first row of one sentence of the batch (the longest, in our measurement):
        measured in float32 against the same sentence decoded alone (rows after the first equal
        to 1e-7) and against the transformers engine's teacher-forced attention. Greedy search
        is free of it, and the first step does not depend on the beam (every beam starts from
        the decoder start token), so one greedy step gives the right row: one more encoder pass
        and one decoder step: translating 50 seed sentences to 48 tokens at beam 4 took 6%
        longer (opus-mt-ar-en shape, one thread).
        """
        results = self.translator.translate_batch(
            batch,
            beam_size=1,
            max_decoding_length=1,
            min_decoding_length=1,  # a first-step </s> would leave no attention row
            return_attention=True,
            max_input_length=0,
        )
        return [np.asarray(result.attention[0])[0] for result in results]

    def _hypotheses(
        self, batch: list[list[str]], outputs: list[Output], with_attention: bool,
        with_scores: bool = True,
    ) -> list[Hypothesis]:
        scores = (self._log_probs(batch, [tokens for tokens, _ in outputs]) if with_scores
                  else [[] for _ in outputs])
        with_attention = with_attention and with_scores
        hypotheses = []
        for source, (tokens, attention), logprobs in zip(batch, outputs, scores, strict=True):
            hypotheses.append(
                Hypothesis(
                    text=self._text(tokens),
                    tokens=tokens,
                    token_logprobs=logprobs,
                    source_tokens=source[:-1],
                    attention=_source_attention(attention, len(source) - 1)
                    if with_attention and attention is not None
                    else None,
                )
            )
        return hypotheses

    def _log_probs(self, batch: list[list[str]], targets: list[list[str]]) -> list[list[float]]:
        """Each target token's log-prob, the final </s> included, scored among sources of its
        own length. With int8 weights on the tiny test model, a decoder pass over many target
        positions at once (score_batch, a forced prefix) gives a padded source other results:
        log-probs moved by up to 0.07 (0.0 on the opus-mt shape; float32, step-by-step decoding,
        padded targets and the batch size change nothing). Scoring runs in small batches anyway:
        grouping cost nothing measurable on the opus-mt shape."""
        logprobs: list[list[float]] = [[] for _ in batch]
        for group in _equal_length_groups(batch):
            for part in _target_budget_parts(group, targets):
                scores = self.translator.score_batch(
                    [batch[i] for i in part], [targets[i] for i in part], max_input_length=0
                )
                for i, score in zip(part, scores, strict=True):
                    logprobs[i] = list(score.log_probs)
        return logprobs

    def _text(self, tokens: list[str]) -> str:
        # As MarianTokenizer does: pieces the target model does not know (the vocabulary is
        # shared with Arabic) come back with their word-boundary marks, which become spaces.
        text = self.target_spm.decode_pieces([t for t in tokens if t != UNK])
        return text.replace(WORD_START, " ").strip()


def _equal_length_groups(batch: list[list[str]]) -> list[list[int]]:
    """Indices of the sources in `batch`, grouped by length: batches that need no padding."""
    groups: dict[int, list[int]] = {}
    for i, source in enumerate(batch):
        groups.setdefault(len(source), []).append(i)
    return list(groups.values())


def _target_budget_parts(indices: list[int], targets: list[list[str]]) -> list[list[int]]:
    """`indices` cut into score_batch calls of at most SCORE_BATCH_TOKENS padded target
    positions (</s> included), by target length."""
    return [[indices[k] for k in part] for part in length_sorted_batches(
        [len(targets[i]) + 1 for i in indices], SCORE_BATCH_TOKENS)]


def _source_attention(attention: np.ndarray, source_length: int) -> np.ndarray:
    """Attention over the source pieces without </s>, rows renormalised to sum to 1."""
    kept = attention[:, :source_length].astype(np.float32)
    totals = kept.sum(axis=1, keepdims=True)
    return np.divide(kept, totals, out=np.zeros_like(kept), where=totals > 0)


def _first_free_boundary(hypotheses: list[list[str]], prefix_length: int) -> tuple[int, int]:
    """The first (best) hypothesis whose first piece after the prefix cannot glue onto it, and
    its length limit. When every hypothesis glues on (a random model), the best one stops
    after the prefix: its tokens are still the decoder's own, only fewer."""
    if not prefix_length:
        return 0, len(hypotheses[0])
    for index, tokens in enumerate(hypotheses):
        if len(tokens) == prefix_length or starts_word(tokens[prefix_length]):
            return index, len(tokens)
    return 0, prefix_length
