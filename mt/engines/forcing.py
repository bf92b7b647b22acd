"""Phrase forcing for glossary constraints: a LogitsProcessor that makes every required target
phrase appear in the output, even under a model that would never produce it.

Written by hand because transformers dropped constrained beam search from its core (the Hub
version needs trust_remote_code). The state of every beam is recomputed from its tokens at each
step, so beam reordering needs no bookkeeping:

- a beam whose tokens end with a started, unmet phrase is forced to continue it;
- right after a completed phrase only a word-boundary token (or EOS) may follow, so the phrase
  never runs on into a longer word;
- while phrases are unmet EOS is forbidden; the next unmet phrase is started when the model would
  otherwise end, or when the remaining length budget only just fits the unmet phrases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import torch
from transformers import LogitsProcessor, PreTrainedTokenizerBase

from mt.engines.pieces import starts_word


def phrase_ids(tokenizer: PreTrainedTokenizerBase, phrase: str) -> list[int]:
    """Target token ids of `phrase` as a word sequence that starts a new word."""
    return tokenizer(text_target=phrase.strip(), add_special_tokens=False).input_ids


def boundary_mask(tokenizer: PreTrainedTokenizerBase, vocab_size: int) -> torch.Tensor:
    """True for tokens that may follow a finished phrase without gluing onto its last word."""
    mask = torch.zeros(vocab_size, dtype=torch.bool)
    for piece, index in tokenizer.get_vocab().items():
        if index < vocab_size and starts_word(piece):
            mask[index] = True
    mask[tokenizer.eos_token_id] = True
    return mask


def _ends_with(tokens: list[int], phrase: list[int]) -> bool:
    return len(tokens) >= len(phrase) and tokens[len(tokens) - len(phrase):] == phrase


def _count(tokens: list[int], phrase: list[int]) -> int:
    """Non-overlapping occurrences of `phrase` in `tokens`."""
    count, index = 0, 0
    while index <= len(tokens) - len(phrase):
        if tokens[index:index + len(phrase)] == phrase:
            count, index = count + 1, index + len(phrase)
        else:
            index += 1
    return count


def _unmet(tokens: list[int], phrases: list[list[int]]) -> list[list[int]]:
    """The phrases still to place; a phrase listed k times must occur k times (a glossary term
    written twice in a sentence is rendered twice)."""
    unmet = []
    for key, wanted in Counter(tuple(p) for p in phrases).items():
        unmet += [list(key)] * (wanted - _count(tokens, list(key)))
    return unmet


class PhraseForcingProcessor(LogitsProcessor):
    """Force `phrases[i]` (token id lists) into every beam of batch item i.

    `budgets[i]` is item i's length budget in new tokens (see SentenceLengthCap); it must fit the
    item's phrases.
    """

    def __init__(
        self,
        phrases: Sequence[Sequence[list[int]]],
        *,
        num_beams: int,
        eos_token_id: int,
        budgets: Sequence[int],
        boundary: torch.Tensor,
        prompt_length: int = 1,
    ) -> None:
        self.phrases = [[list(p) for p in item if p] for item in phrases]
        self.num_beams = num_beams
        self.eos = eos_token_id
        self.budgets = list(budgets)
        self.boundary = boundary
        self.prompt_length = prompt_length

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        generated_len = input_ids.shape[1] - self.prompt_length
        for row in range(input_ids.shape[0]):
            item = row // self.num_beams
            phrases = self.phrases[item]
            if not phrases:
                continue
            remaining = self.budgets[item] - generated_len  # tokens to come, this one included
            tokens = input_ids[row, self.prompt_length:].tolist()
            forced = self._forced_token(tokens, phrases, scores[row], remaining)
            if forced is not None:
                self._force(scores, row, forced)
            elif any(_ends_with(tokens, p) for p in phrases):
                scores[row, ~self.boundary.to(scores.device)] = -torch.inf
        return scores

    def _forced_token(
        self, tokens: list[int], phrases: list[list[int]], row_scores: torch.Tensor,
        remaining: int,
    ) -> int | None:
        unmet = _unmet(tokens, phrases)
        if not unmet:
            return None
        # Continue the phrase of longest started prefix.
        best_phrase, best_prefix = None, 0
        for phrase in unmet:
            for prefix in range(len(phrase) - 1, best_prefix, -1):
                if _ends_with(tokens, phrase[:prefix]):
                    best_phrase, best_prefix = phrase, prefix
                    break
        if best_phrase is not None:
            return best_phrase[best_prefix]
        needed = sum(len(p) for p in unmet) + 1  # the last slot is </s> (SentenceLengthCap)
        if remaining <= needed or int(row_scores.argmax()) == self.eos:
            return unmet[0][0]
        row_scores[self.eos] = -torch.inf
        return None

    @staticmethod
    def _force(scores: torch.Tensor, row: int, token: int) -> None:
        kept = scores[row, token].clone()
        scores[row] = -torch.inf
        # A finite score even if an earlier processor (no-repeat n-grams) banned the token.
        scores[row, token] = kept if torch.isfinite(kept) else 0.0


class WordAfterPrefix(LogitsProcessor):
    """At the first step after a forced prefix, only a token that starts a new word (or
    punctuation, or EOS) may follow: the prefix's last word never runs on into a longer one."""

    def __init__(self, boundary: torch.Tensor, prompt_length: int) -> None:
        self.boundary = boundary
        self.prompt_length = prompt_length

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if input_ids.shape[1] == self.prompt_length:
            scores[:, ~self.boundary.to(scores.device)] = -torch.inf
        return scores


class SentenceLengthCap(LogitsProcessor):
    """End item i after `budgets[i]` new tokens (its last slot is </s>).

    generate() has one max_length per batch; a per-sentence cap keeps a sentence's output
    independent of the batch it happens to share, so batched and unbatched decoding agree.
    """

    def __init__(
        self, budgets: Sequence[int], *, num_beams: int, eos_token_id: int, prompt_length: int = 1
    ) -> None:
        self.budgets = torch.tensor(list(budgets)).repeat_interleave(num_beams)
        self.eos = eos_token_id
        self.prompt_length = prompt_length

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        generated_len = input_ids.shape[1] - self.prompt_length
        rows = (self.budgets.to(scores.device) - 1 <= generated_len).nonzero().flatten()
        if len(rows):
            # Keep the model's own </s> score so that beams ending here still rank by it.
            kept = scores[rows, self.eos].clone()
            scores[rows] = -torch.inf
            scores[rows, self.eos] = torch.where(torch.isfinite(kept), kept, 0.0)
        return scores
