"""Word alignment from the model's cross-attention, in Pharaoh format ("0-0 1-2 ...").

Which attention serves is the engines' choice (mt/engines/alignment_attention.py): the mean of
the last decoder layer's heads, the best measured on the trained mini model.
scripts/measure_alignment_layer.py measures the alignment error rate of every layer and head
against a gold alignment.

Indices are of whitespace-separated words: SentencePiece marks each word start with "▁", so
pieces merge back into exactly the words of the text the model read and wrote.
"""

from __future__ import annotations

import numpy as np

from mt.engines.pieces import piece_words


def word_attention(
    attention: np.ndarray, source_pieces: list[str], target_pieces: list[str]
) -> np.ndarray:
    """Piece-level attention (target x source) to word level: the mass a target word's pieces
    give a source word's pieces, averaged over the target word's pieces."""
    if attention.shape != (len(target_pieces), len(source_pieces)):
        raise ValueError(
            f"attention is {attention.shape}, pieces are "
            f"{len(target_pieces)} x {len(source_pieces)}"
        )
    source_words = piece_words(source_pieces)
    target_words = piece_words(target_pieces)
    n_source = max(source_words, default=-1) + 1
    n_target = max(target_words, default=-1) + 1
    by_source = np.zeros((len(target_pieces), n_source))
    for column, word in enumerate(source_words):
        by_source[:, word] += attention[:, column]
    words = np.zeros((n_target, n_source))
    counts = np.zeros(n_target)
    for row, word in enumerate(target_words):
        words[word] += by_source[row]
        counts[word] += 1
    return words / np.maximum(counts, 1)[:, None]


def align_words(
    attention: np.ndarray, source_pieces: list[str], target_pieces: list[str]
) -> list[tuple[int, int]]:
    """(source word, target word) links: each target word to the source word it attends most,
    Marian's "hard" alignment."""
    words = word_attention(attention, source_pieces, target_pieces)
    if words.size == 0:
        return []
    return sorted((int(np.argmax(row)), target) for target, row in enumerate(words))


def to_pharaoh(links: list[tuple[int, int]]) -> str:
    return " ".join(f"{source}-{target}" for source, target in sorted(links))


def from_pharaoh(text: str) -> list[tuple[int, int]]:
    links = []
    for link in text.split():
        source, _, target = link.partition("-")
        if not (source.isdigit() and target.isdigit()):
            raise ValueError(f"not a Pharaoh link: {link!r}")
        links.append((int(source), int(target)))
    return links


def alignment_error_rate(
    predicted: set[tuple[int, int]], sure: set[tuple[int, int]],
    possible: set[tuple[int, int]] | None = None,
) -> float:
    """AER (Och and Ney 2003): 1 - (|A & S| + |A & P|) / (|A| + |S|), with S a subset of P.
    Without possible links, P = S."""
    possible = (possible or set()) | sure
    if not predicted and not sure:
        return 0.0
    return 1.0 - (len(predicted & sure) + len(predicted & possible)) / (len(predicted) + len(sure))


def source_coverage(
    attention: np.ndarray, source_pieces: list[str], target_pieces: list[str],
    covered_share: float = 0.3,
) -> float:
    """The share of source words that receive at least `covered_share` of an even share of the
    attention (the English words spread over the Arabic ones): a dropped half of the sentence
    receives almost none, whatever the two sentences' lengths."""
    words = word_attention(attention, source_pieces, target_pieces)
    if words.shape[1] == 0 or words.shape[0] == 0:
        return 1.0
    received = words.sum(axis=0)
    even_share = words.shape[0] / words.shape[1]
    return float(np.mean(received >= covered_share * even_share))
