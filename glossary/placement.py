"""Where in a translation a source term is rendered: the glossary's tier 3 puts the required
rendering there, by re-decoding with the words before that place as a forced prefix.

The place comes from the model's cross-attention (the attention jisr's word alignment reads):
the first target word, at or after the forced words, whose most-attended source word is the
term. A proclitic written onto the term (و، ب، ل، لل) is a column of its own, so that "and"
or "to" keeps its place before the rendering instead of being replaced by it.
"""

from __future__ import annotations

import numpy as np

from glossary.match import Match
from mt.engines.base import Hypothesis
from mt.engines.phrases import SENTENCE_END
from mt.engines.pieces import WORD_START, piece_words

_CLITIC = -1  # column label of a proclitic's pieces
ARTICLES = {"the", "a", "an"}


def term_words(text: str, match: Match) -> range:
    """The whitespace-word indices of `text` that `match` covers (proclitics included)."""
    return range(len(text[: match.start].split()), len(text[: match.end].split()))


def _source_labels(source_pieces: list[str], words: range, clitic_letters: int) -> list[int]:
    """Each source piece's word index; the pieces of the term's proclitic get _CLITIC."""
    labels = piece_words(source_pieces)
    seen = 0
    for k, (piece, word) in enumerate(zip(source_pieces, labels, strict=True)):
        if word != words.start or seen >= clitic_letters:
            continue
        letters = len(piece.lstrip(WORD_START))
        if seen + letters <= clitic_letters:
            labels[k] = _CLITIC
        seen += letters
    return labels


def rendering_start(hyp: Hypothesis, text: str, match: Match, after: int) -> int:
    """The target word index, `after` at the least, at which the model renders the term."""
    target_words = piece_words(hyp.tokens)
    n_target = max(target_words, default=-1) + 1
    if hyp.attention is None or n_target <= after:  # after every word
        return _before_final_punctuation(hyp.text, max(after, len(hyp.text.split())))
    words = term_words(text, match)
    labels = _source_labels(hyp.source_tokens, words, len(match.prefix))
    columns = sorted(set(labels))
    by_column = np.zeros((len(hyp.tokens), len(columns)))
    for k, label in enumerate(labels):
        by_column[:, columns.index(label)] += hyp.attention[:, k]
    rows = np.zeros((n_target, len(columns)))
    for k, word in enumerate(target_words):
        rows[word] += by_column[k]
    term = [c for c, label in enumerate(columns) if label in words]
    mass = rows[:, term].sum(axis=1)
    aligned = [w for w in range(after, n_target) if int(np.argmax(rows[w])) in term]
    if not aligned:  # no word renders it (the model dropped the term): where it draws most
        return after + int(np.argmax(mass[after:]))
    # Attention strays onto single words elsewhere; the rendering is the run of aligned words
    # that draws the most attention to the term.
    runs: list[list[int]] = []
    for w in aligned:
        if runs and runs[-1][-1] == w - 1:
            runs[-1].append(w)
        else:
            runs.append([w])
    run = max(runs, key=lambda r: mass[r].sum())
    words_out = hyp.text.split()
    start = run[0]
    # An article belongs to the sentence, not to the name: "the" stays before the rendering.
    if len(run) > 1 and start < len(words_out) and words_out[start].lower() in ARTICLES:
        start += 1
    return start


def _before_final_punctuation(text: str, start: int) -> int:
    """`start`, moved before a final word that is only sentence-final punctuation."""
    words = text.split()
    if start >= len(words) and words and all(ch in SENTENCE_END for ch in words[-1]):
        return len(words) - 1
    return start


def prefix_with(text: str, start: int, rendering: str) -> str:
    """The first `start` words of `text`, then `rendering`."""
    return " ".join([*text.split()[:start], rendering])
