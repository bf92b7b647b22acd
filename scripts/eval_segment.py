"""Sentence-boundary evaluation: precision, recall and F1 of jisr's segmenter against gold
boundaries, beside a naive regex (and pySBD and sentencex when installed) on the same text.

    python scripts/eval_segment.py                       # tests/data/segment_heldout.txt
    python scripts/eval_segment.py GOLD.txt --errors     # and list jisr's misses

A boundary is the character offset where a sentence other than a paragraph's first begins;
a predicted one counts only at exactly that offset (a quote mark left on the wrong side is a
miss and a false boundary). Scored over all paragraphs together. The gold file's format is
described at its top.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mt.segment import sentence_spans

REPO = Path(__file__).resolve().parent.parent

GOLD = REPO / "tests" / "data" / "segment_heldout.txt"
_NAIVE_END = re.compile(r"[.!?؟]+")


@dataclass(frozen=True)
class Paragraph:
    text: str
    boundaries: frozenset[int]


def load_gold(path: Path) -> list[Paragraph]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    paragraphs = []
    for block in re.split(r"\n\s*\n", "\n".join(lines)):
        text, boundaries = "", set()
        for line in block.strip().splitlines():
            glued = line.startswith("+")
            if text:
                text += "" if glued else " "
                boundaries.add(len(text))
            text += line[1:] if glued else line
        if text:
            paragraphs.append(Paragraph(text, frozenset(boundaries)))
    return paragraphs


def starts_of(text: str, cuts: list[int]) -> set[int]:
    """Where the sentences after the first begin when `text` is cut at `cuts`."""
    starts = set()
    for cut in cuts:
        start = cut + len(text[cut:]) - len(text[cut:].lstrip())
        if 0 < start < len(text):
            starts.add(start)
    return starts


def jisr(text: str) -> set[int]:
    return {start for start, _ in sentence_spans(text)[1:]}


def naive_regex(text: str) -> set[int]:
    return starts_of(text, [m.end() for m in _NAIVE_END.finditer(text)])


def pysbd_ar(text: str) -> set[int]:
    import pysbd

    spans = pysbd.Segmenter(language="ar", clean=False, char_span=True).segment(text)
    return starts_of(text, [span.start for span in spans])


def sentencex_ar(text: str) -> set[int]:
    from sentencex import segment

    cuts, pos = [], 0
    for sentence in segment("ar", text):
        pos = text.index(sentence.strip(), pos) if sentence.strip() else pos
        cuts.append(pos)
    return starts_of(text, cuts)


SEGMENTERS: dict[str, tuple[str | None, Callable[[str], set[int]]]] = {
    "jisr": (None, jisr),
    "naive regex (split after every . ! ? ؟)": (None, naive_regex),
    "pySBD 0.3 (language ar)": ("pysbd", pysbd_ar),
    "sentencex (language ar)": ("sentencex", sentencex_ar),
}


def score(paragraphs: list[Paragraph], split: Callable[[str], set[int]]) -> tuple[float, ...]:
    tp = fp = fn = 0
    for para in paragraphs:
        predicted = split(para.text)
        tp += len(predicted & para.boundaries)
        fp += len(predicted - para.boundaries)
        fn += len(para.boundaries - predicted)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def print_errors(paragraphs: list[Paragraph]) -> None:
    for para in paragraphs:
        predicted = jisr(para.text)
        for kind, positions in (("missed", para.boundaries - predicted),
                                ("false", predicted - para.boundaries)):
            for pos in sorted(positions):
                print(f"{kind}: …{para.text[max(0, pos - 40):pos]}‖{para.text[pos:pos + 30]}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true", help="list jisr's misses")
    args = parser.parse_args()
    paragraphs = load_gold(args.gold)
    n_bounds = sum(len(p.boundaries) for p in paragraphs)
    print(f"{args.gold.name}: {len(paragraphs)} paragraphs, {n_bounds} gold boundaries\n")
    print(f"| segmenter | precision | recall | F1 | tp | fp | fn |\n| --- |{' ---: |' * 6}")
    for name, (module, split) in SEGMENTERS.items():
        if module and importlib.util.find_spec(module) is None:
            print(f"| {name} | not installed | | | | | |")
            continue
        p, r, f, tp, fp, fn = score(paragraphs, split)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
    if args.errors:
        print()
        print_errors(paragraphs)


if __name__ == "__main__":
    main()
