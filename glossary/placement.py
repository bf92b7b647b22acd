"""Where in a translation a source term is rendered, and the texts that put the required
rendering there: the model's own words replaced (tier 2), or the words before that place and
the rendering as a forced prefix of a new decode (tier 3).

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
OPENING = "\"'“«(["  # punctuation a word may open with
CLOSING = ".,:;!?؟\"'”»)]"  # and close with
ARTICLES = {"the", "a", "an"}
START_SLACK = 2  # words before and after the attended place where the span may start
OWN_WORDS = 5  # the longest own rendering considered, in words
RESUMED_WORDS = 1  # own words forced after the rendering: a small model given a rendering
# longer than its own tends to skip ahead; its next own word holds it to its translation


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


def _word_attention(hyp: Hypothesis, text: str, match: Match) -> tuple[np.ndarray, list[int]]:
    """The attention of each target word on each source column (source words, the term's
    proclitic apart), and the columns of the term's words."""
    target_words = piece_words(hyp.tokens)
    n_target = max(target_words, default=-1) + 1
    words = term_words(text, match)
    labels = _source_labels(hyp.source_tokens, words, len(match.prefix))
    columns = sorted(set(labels))
    by_column = np.zeros((len(hyp.tokens), len(columns)))
    for k, label in enumerate(labels):
        by_column[:, columns.index(label)] += hyp.attention[:, k]
    rows = np.zeros((n_target, len(columns)))
    for k, word in enumerate(target_words):
        rows[word] += by_column[k]
    return rows, [c for c, label in enumerate(columns) if label in words]


def attends_term(hyp: Hypothesis, text: str, match: Match) -> list[bool] | None:
    """For each target word, whether the source word it attends to most is the term's: the
    words that render it. None where the engine gave no attention."""
    if hyp.attention is None:
        return None
    rows, term = _word_attention(hyp, text, match)
    return [int(np.argmax(row)) in term for row in rows]


def rendering_start(hyp: Hypothesis, text: str, match: Match, after: int) -> int:
    """The target word index, `after` at the least, at which the model renders the term."""
    n_target = max(piece_words(hyp.tokens), default=-1) + 1
    if hyp.attention is None or n_target <= after:  # after every word
        return _before_final_punctuation(hyp.text, max(after, len(hyp.text.split())))
    rows, term = _word_attention(hyp, text, match)
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


def candidate_spans(
    hyp: Hypothesis, text: str, match: Match, after: int, short: str = ""
) -> list[tuple[int, int]]:
    """Word spans [start, end) of `hyp` that may be the model's own rendering of the term, around
    the attended place (a small model's attention is often a word off: the article before a
    name attends to the name), never starting before `after` or after the last word.

    `short` is the entry's short rendering where its first mention is owed: a translation that
    wrote the short one ("SANA" for "Syrian Arab News Agency (SANA)") rendered the term there,
    so those words are the span, wherever the attention points."""
    if short:
        written = _occurrences(hyp.text.split(), short.split(), after)
        if written:
            return written
    words = len(hyp.text.split())
    attended = rendering_start(hyp, text, match, after)
    if attended >= words:
        return [(attended, attended)]
    starts = range(max(after, attended - START_SLACK), min(attended + START_SLACK, words - 1) + 1)
    return [(start, end) for start in starts
            for end in range(start, min(start + OWN_WORDS, words) + 1)]


def _occurrences(words: list[str], phrase: list[str], after: int) -> list[tuple[int, int]]:
    """The spans of `phrase` in `words` starting at `after` or later, trailing punctuation of
    its last word aside ("SANA:" holds "SANA")."""
    spans = []
    for start in range(after, len(words) - len(phrase) + 1):
        found = words[start : start + len(phrase)]
        if found[:-1] == phrase[:-1] and found[-1].rstrip(".,:;!?") == phrase[-1]:
            spans.append((start, start + len(phrase)))
    return spans


def replaced(text: str, span: tuple[int, int], rendering: str) -> str:
    """`text` with the words of `span` replaced by `rendering`. The punctuation around the
    replaced words stays ("forces." gives "SDF."), and a rendering that now starts the
    sentence takes the capital the replaced word had."""
    words = text.split()
    start, end = span
    if start == end:  # the model wrote no word for the term: the rendering goes in
        return " ".join([*words[:start], rendering, *words[start:]])
    first, last = words[start], words[end - 1]
    opening = first[: len(first) - len(first.lstrip(OPENING))]
    closing = last[len(last.rstrip(CLOSING)):]
    if start == 0 and first.lstrip(OPENING)[:1].isupper():
        rendering = rendering[:1].upper() + rendering[1:]
    return " ".join([*words[:start], f"{opening}{rendering}{closing}", *words[end:]])


def resumed_prefix(text: str, span: tuple[int, int], rendering: str) -> str:
    """The forced prefix that replaces `span` by `rendering` in a new decode: the words before
    it, the rendering, and the model's own next word after the span (RESUMED_WORDS)."""
    words = replaced(text, span, rendering).split()
    kept = span[0] + len(rendering.split()) + RESUMED_WORDS
    return " ".join(words[:kept])


def _before_final_punctuation(text: str, start: int) -> int:
    """`start`, moved before a final word that is only sentence-final punctuation."""
    words = text.split()
    if start >= len(words) and words and all(ch in SENTENCE_END for ch in words[-1]):
        return len(words) - 1
    return start
