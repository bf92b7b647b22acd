"""The transformers engine's rules for beam search, as logits processors: a length cap per
sentence, and a word boundary right after a forced prefix (the glossary's one way of forcing a
rendering: it decodes again after a prefix that holds it)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import LogitsProcessor, PreTrainedTokenizerBase

from mt.engines.pieces import starts_word


def phrase_ids(tokenizer: PreTrainedTokenizerBase, phrase: str) -> list[int]:
    """Target token ids of `phrase` (a forced prefix) as a word sequence that starts a word."""
    return tokenizer(text_target=phrase.strip(), add_special_tokens=False).input_ids


def boundary_mask(tokenizer: PreTrainedTokenizerBase, vocab_size: int) -> torch.Tensor:
    """True for tokens that may follow a forced prefix without gluing onto its last word."""
    mask = torch.zeros(vocab_size, dtype=torch.bool)
    for piece, index in tokenizer.get_vocab().items():
        if index < vocab_size and starts_word(piece):
            mask[index] = True
    mask[tokenizer.eos_token_id] = True
    return mask


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
