"""Choose a model's alignment attention by measurement: the word-alignment error rate (AER)
against gold alignments of every cross-attention layer and head (and each layer's head mean),
read from one forced-decoding pass of the transformers engine over the gold pairs.

The choice offered is among mt.engines.alignment_attention.CHOICES (what both engines can
return); scripts/measure_alignment_layer.py prints every candidate, and CTranslate2's own.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligned.word_alignment import align_words, alignment_error_rate, from_pharaoh
from mt.engines.alignment_attention import CHOICES, AttentionChoice

GoldPair = tuple[str, str, set[tuple[int, int]]]  # Arabic, English, sure links


def read_gold(path: Path) -> list[GoldPair]:
    """`source`, `target` (or `reference`, as a trained mini model's heldout.tsv) and
    `alignment` (Pharaoh) columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["source"], r.get("target") or r["reference"],
                 set(from_pharaoh(r["alignment"]))) for r in rows]


def candidates(full: np.ndarray) -> dict[str, np.ndarray]:
    """Every (layer, head) matrix and each layer's head mean of one sentence's attention
    (layers, heads, target, source), by AttentionChoice name."""
    layers, heads = full.shape[:2]
    found = {}
    for layer in range(layers):
        for head in range(heads):
            found[AttentionChoice(layer - layers, head).name] = full[layer, head]
        found[AttentionChoice(layer - layers, None).name] = full[layer].mean(axis=0)
    return found


def links_of(matrix: np.ndarray, source_tokens: list[str], tokens: list[str]) -> set:
    """Word links from one attention matrix, rows renormalised, as jisr aligns words."""
    matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1e-9)
    return set(align_words(matrix, source_tokens, tokens))


def corpus_aer(links: Sequence[set], gold: Sequence[set]) -> float:
    """AER over the whole set (links pooled, as in the shared tasks)."""
    predicted = {(i, s, t) for i, pairs in enumerate(links) for s, t in pairs}
    sure = {(i, s, t) for i, pairs in enumerate(gold) for s, t in pairs}
    return alignment_error_rate(predicted, sure)


def attention_aers(model: str, gold: Sequence[GoldPair]) -> dict[str, float]:
    """AER of every candidate attention of `model` on `gold`, by name."""
    from mt.engines.transformers_engine import TransformersEngine

    engine = TransformersEngine(model, keep_full_attention=True)
    hyps = engine.score([g[0] for g in gold], [g[1] for g in gold])
    links: dict[str, list[set]] = {}
    for hyp in hyps:
        # (layers, heads, target ids, source ids) with </s> on both: keep the pieces only.
        full = hyp.extra["cross_attention"][:, :, : len(hyp.tokens), : len(hyp.source_tokens)]
        for name, matrix in candidates(full).items():
            links.setdefault(name, []).append(links_of(matrix, hyp.source_tokens, hyp.tokens))
    return {name: corpus_aer(found, [g[2] for g in gold]) for name, found in links.items()}


def choose_attention(model: str, gold: Sequence[GoldPair]) -> tuple[AttentionChoice, dict]:
    """The choice of CHOICES with the lowest AER on `gold` (ties to the earlier), and the AER
    of each choice."""
    aers = attention_aers(model, gold)
    offered = {choice.name: aers[choice.name] for choice in CHOICES}
    best = min(CHOICES, key=lambda choice: offered[choice.name])
    return best, offered
