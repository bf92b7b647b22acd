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
START_SLACK = 2  # words before and after the attended place where the span may start
OWN_WORDS = 5  # the longest own rendering considered, in words
RESUMED_WORDS = (0, 1)  # own words forced after the rendering, one decode each


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
    """`text` with the words of `span` replaced by `rendering`: only ever scored, to choose a
    span, never output."""
    words = text.split()
    return " ".join([*words[: span[0]], rendering, *words[span[1] :]])


def resumed_prefixes(text: str, span: tuple[int, int], rendering: str) -> list[str]:
    """The forced prefixes that replace `span` by `rendering`: the words before it and the
    rendering, then the same with the model's own next word after the span (where it resumes
    its translation: a small model given a rendering longer than its own tends to skip ahead)."""
    words = text.split()
    before = [*words[: span[0]], rendering]
    return list(dict.fromkeys(
        " ".join(before + words[span[1] : span[1] + resumed]) for resumed in RESUMED_WORDS))


def _before_final_punctuation(text: str, start: int) -> int:
    """`start`, moved before a final word that is only sentence-final punctuation."""
    words = text.split()
    if start >= len(words) and words and all(ch in SENTENCE_END for ch in words[-1]):
        return len(words) - 1
    return start
