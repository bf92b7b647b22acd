"""MarianMT through transformers: loading, beam search (after a forced prefix where the glossary
asks for one), and teacher-forced passes that give per-token log-probabilities and cross-attention.

Token log-probs and attention of a decoded hypothesis come from one teacher-forced pass over the
chosen tokens, the same pass `score` uses: they are the model's own log-probabilities (a forced
glossary token keeps its real, possibly low, probability) and need no beam-index bookkeeping.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from transformers import LogitsProcessorList, MarianMTModel, MarianTokenizer

from mt.engines.alignment_attention import DEFAULT_ATTENTION, AttentionChoice
from mt.engines.base import DecodeOptions, Engine, Hypothesis, length_budget, mark_truncated
from mt.engines.model_source import resolve_model_dir
from mt.engines.transformers_processors import (
    SentenceLengthCap,
    WordAfterPrefix,
    boundary_mask,
    phrase_ids,
)
from mt.errors import ModelError


@dataclass
class ForcedPass:
    """What one teacher-forced pass yields for one sentence."""

    logprobs: list[float]  # one per target id
    attention: np.ndarray | None  # (target ids, source ids) of the chosen attention
    full_attention: np.ndarray | None  # (layers, heads, target ids, source ids), if kept


class TransformersEngine(Engine):
    name = "transformers"
    output_version = 2  # 2: extra["truncated"], by the length budget (mark_truncated)

    def __init__(
        self,
        model: str,
        *,
        revision: str | None = None,
        device: str | None = None,
        threads: int | None = None,
        attention: AttentionChoice = DEFAULT_ATTENTION,
        keep_full_attention: bool = False,
    ) -> None:
        self.model_id = model
        self.revision = revision
        self.attention = attention
        # When set, Hypothesis.extra["cross_attention"] holds every layer and head, with the
        # source </s> column, for measuring which layer or head aligns best.
        self.keep_full_attention = keep_full_attention
        if threads:
            torch.set_num_threads(threads)
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        directory, _ = resolve_model_dir(model, revision)  # revision pinned in the snapshot
        self.tokenizer = MarianTokenizer.from_pretrained(directory)
        self.model = self._load_weights(model, directory)
        self.max_source_tokens = int(self.model.config.max_position_embeddings)
        self.max_target_tokens = int(
            self.model.generation_config.max_length or self.max_source_tokens
        ) - 1  # the decoder start token takes one position
        self._boundary = boundary_mask(self.tokenizer, self.model.config.vocab_size)

    def _load_weights(self, model: str, directory: Path) -> MarianMTModel:
        try:
            loaded = MarianMTModel.from_pretrained(
                directory, attn_implementation="eager", trust_remote_code=False
            )
        except (SafetensorError, pickle.UnpicklingError, RuntimeError, ValueError) as error:
            raise ModelError(
                f"The weights of model {model} are corrupt or unreadable; pass --model DIR with "
                "a sound Marian model."
            ) from error
        except OSError as error:
            raise ModelError(
                f"Model directory {directory} has no readable weights; pass --model DIR with a "
                "whole Marian model."
            ) from error
        return loaded.to(self.device).eval()

    # -- tokens ---------------------------------------------------------------------------

    def encode(self, text: str) -> list[str]:
        return [*self.tokenizer.tokenize(text), self.tokenizer.eos_token]

    def _ids(self, pieces: list[str]) -> list[int]:
        return self.tokenizer.convert_tokens_to_ids(pieces)

    def _target_ids(self, text: str) -> list[int]:
        return self.tokenizer(text_target=text).input_ids  # </s> included

    # -- decoding ---------------------------------------------------------------------------

    def _decode(
        self,
        batch: list[list[str]],
        options: DecodeOptions,
        prefixes: list[str | None] | None = None,
    ) -> list[Hypothesis]:
        source_ids = [self._ids(pieces) for pieces in batch]
        # A forced prefix piece the vocabulary lacks is <unk>, left out of the text as in the
        # CTranslate2 engine.
        # A prefix past the model's positions is cut, as in the CTranslate2 engine.
        prefix_ids = [phrase_ids(self.tokenizer, p)[: self.max_target_tokens - 3] if p else []
                      for p in (prefixes or [None] * len(batch))]
        target_ids: list[list[int]] = [[] for _ in batch]
        # generate() takes one decoder prompt length per call: one call per prefix length.
        groups: dict[int, list[int]] = {}
        for i, ids in enumerate(prefix_ids):
            groups.setdefault(len(ids), []).append(i)
        for group in groups.values():
            generated = self._generate(
                [source_ids[i] for i in group], [prefix_ids[i] for i in group], options
            )
            for i, ids in zip(group, generated, strict=True):
                target_ids[i] = ids
        passes = (self._teacher_force(source_ids, target_ids, options.with_attention)
                  if options.with_scores else [ForcedPass([], None, None) for _ in batch])
        hyps = [self._hypothesis(pieces, ids, forced) for pieces, ids, forced
                in zip(batch, target_ids, passes, strict=True)]
        mark_truncated(hyps, [self._budget(ids, prefix, options)
                              for ids, prefix in zip(source_ids, prefix_ids, strict=True)])
        return hyps

    def _budget(self, source_ids: list[int], prefix: list[int], options: DecodeOptions) -> int:
        """The length budget of one output, </s> included; it counts the prefix (as the
        CTranslate2 engine's does) and must fit it."""
        return length_budget(len(source_ids), options, self.max_target_tokens, len(prefix))

    def _generate(
        self,
        source_ids: list[list[int]],
        prefixes: list[list[int]],
        options: DecodeOptions,
    ) -> list[list[int]]:
        """Beam search for sources whose forced prefixes have one length; target ids with
        the prefix, </s> last unless the length budget ran out."""
        beam = options.beam or int(self.model.generation_config.num_beams or 1)
        prompt = 1 + len(prefixes[0])  # the decoder start token and the prefix
        # New tokens after the prompt: the length budget less the prefix.
        budgets = [self._budget(ids, prefix, options) - len(prefix)
                   for ids, prefix in zip(source_ids, prefixes, strict=True)]
        eos = self.tokenizer.eos_token_id
        processors = LogitsProcessorList(
            [SentenceLengthCap(budgets, num_beams=beam, eos_token_id=eos, prompt_length=prompt)]
        )
        if prompt > 1:
            processors.append(WordAfterPrefix(self._boundary, prompt))
        input_ids, attention_mask = self._pad(source_ids)
        start = self.model.config.decoder_start_token_id
        decoder_ids = torch.tensor([[start, *prefix] for prefix in prefixes]).to(self.device)
        with torch.inference_mode():
            generated = self.model.generate(
                input_ids=input_ids,
                attention_mask=attention_mask,
                decoder_input_ids=decoder_ids,
                num_beams=beam,
                max_length=max(budgets) + prompt,
                min_new_tokens=options.min_new_tokens,
                no_repeat_ngram_size=options.no_repeat_ngram_size or None,
                logits_processor=processors,
                forced_eos_token_id=None,  # SentenceLengthCap ends each sentence at its own cap
            )
        return [self._strip(row) for row in generated.tolist()]

    def _nbest(self, source: list[str], count: int, options: DecodeOptions) -> list[str]:
        source_ids = self._ids(source)
        beam = max(options.beam or int(self.model.generation_config.num_beams or 1), count)
        input_ids, attention_mask = self._pad([source_ids])
        with torch.inference_mode():
            generated = self.model.generate(
                input_ids=input_ids,
                attention_mask=attention_mask,
                num_beams=beam,
                num_return_sequences=count,
                max_new_tokens=self._budget(source_ids, [], options),
            )
        return [self.tokenizer.decode(self._strip(row), skip_special_tokens=True)
                for row in generated.tolist()]

    def _score(
        self, batch: list[list[str]], targets: list[str], with_attention: bool
    ) -> list[Hypothesis]:
        source_ids = [self._ids(pieces) for pieces in batch]
        target_ids = [self._target_ids(text)[: self.max_target_tokens] for text in targets]
        passes = self._teacher_force(source_ids, target_ids, with_attention)
        hyps = [self._hypothesis(pieces, ids, forced) for pieces, ids, forced
                in zip(batch, target_ids, passes, strict=True)]
        for hyp, text in zip(hyps, targets, strict=True):
            hyp.text = text
        return hyps

    # -- helpers ----------------------------------------------------------------------------

    def _pad(self, rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Right-padded ids and their mask; padded positions are masked out of attention."""
        width = max(map(len, rows))
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([row + [pad] * (width - len(row)) for row in rows])
        mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in rows])
        return ids.to(self.device), mask.to(self.device)

    def _strip(self, row: list[int]) -> list[int]:
        """Generated ids without the decoder start token and the padding after </s>."""
        ids = row[1:]
        eos = self.tokenizer.eos_token_id
        return ids[: ids.index(eos) + 1] if eos in ids else ids

    def _teacher_force(
        self, source_ids: list[list[int]], target_ids: list[list[int]], with_attention: bool
    ) -> list[ForcedPass]:
        """Log-probability of each given target id, and cross-attention, in one forward pass."""
        start = self.model.config.decoder_start_token_id
        input_ids, attention_mask = self._pad(source_ids)
        # Right padding of the decoder input is harmless: the causal mask hides later positions.
        decoder_ids, _ = self._pad([[start, *ids[:-1]] if ids else [start] for ids in target_ids])
        with torch.inference_mode():
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask,
                decoder_input_ids=decoder_ids, output_attentions=with_attention,
            )
            logprobs = torch.log_softmax(out.logits.float(), dim=-1)
            passes = []
            for i, ids in enumerate(target_ids):
                chosen = logprobs[i, torch.arange(len(ids)), torch.tensor(ids, dtype=torch.long)]
                attention = full = None
                if with_attention:
                    n_src = len(source_ids[i])
                    # (layers, heads, target, source) without padding rows and columns
                    stacked = torch.stack([layer[i, :, : len(ids), :n_src]
                                           for layer in out.cross_attentions])
                    layer = stacked[self.attention.layer]
                    chosen_attention = (
                        layer.mean(dim=0) if self.attention.head is None
                        else layer[self.attention.head]
                    )
                    attention = chosen_attention.cpu().numpy()
                    full = stacked.cpu().numpy() if self.keep_full_attention else None
                passes.append(ForcedPass(chosen.cpu().tolist(), attention, full))
        return passes

    def _hypothesis(self, source: list[str], ids: list[int], forced: ForcedPass) -> Hypothesis:
        eos = self.tokenizer.eos_token_id
        body = ids[:-1] if ids and ids[-1] == eos else ids
        attention = None
        if forced.attention is not None:
            # Rows: target tokens (not </s>); columns: source tokens (not </s>), renormalised so
            # each row is a distribution over real source words.
            matrix = forced.attention[: len(body), : len(source) - 1]
            attention = matrix / np.clip(matrix.sum(axis=1, keepdims=True), 1e-9, None)
        hyp = Hypothesis(
            text=self.tokenizer.decode(body, skip_special_tokens=True),
            tokens=self.tokenizer.convert_ids_to_tokens(body),
            token_logprobs=forced.logprobs,
            source_tokens=source[:-1],
            attention=attention,
        )
        if forced.full_attention is not None:
            hyp.extra["cross_attention"] = forced.full_attention
        return hyp

