"""Corpus metrics through sacrebleu, with its signatures, so figures are reproducible."""

from __future__ import annotations

from pathlib import Path

from mt.errors import ConfigurationError, InputError

METRIC_NAMES = ("bleu", "chrf", "ter")


def read_lines(path: Path) -> list[str]:
    """The file's lines, read with ingest's encodings and its one-sentence errors."""
    from mt.decode import decode_bytes
    from mt.ingest import load_bytes

    text, _ = decode_bytes(load_bytes(path), str(path))
    return text.splitlines()


def corpus_scores(hyp_path: Path, ref_path: Path, metrics: list[str]) -> list[str]:
    """One line per metric: its score and sacrebleu signature."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    classes = {"bleu": BLEU, "chrf": CHRF, "ter": TER}
    names = [name.strip().lower() for name in metrics if name.strip()]
    unknown = [name for name in names if name not in classes]
    if unknown or not names:
        raise ConfigurationError(
            f"Unknown metric {', '.join(unknown)!s}; choose from: {', '.join(METRIC_NAMES)}."
        )
    hyps, refs = read_lines(hyp_path), read_lines(ref_path)
    if len(hyps) != len(refs):
        raise InputError(
            f"{hyp_path} has {len(hyps)} lines but {ref_path} has {len(refs)}; they must match."
        )
    lines = []
    for name in names:
        metric = classes[name]()
        score = metric.corpus_score(hyps, [refs])
        lines.append(f"{score}\t{metric.get_signature()}")
    return lines
