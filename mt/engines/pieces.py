"""SentencePiece pieces and the words they spell: one reading of "▁" for the engines, the word
alignment, the glossary's placement and the quality signals."""

from __future__ import annotations

WORD_START = "\u2581"  # SentencePiece's word-boundary mark


def starts_word(piece: str) -> bool:
    """Whether `piece` cannot glue onto the word before it: it starts a word, or is punctuation."""
    return piece.startswith(WORD_START) or not any(ch.isalnum() for ch in piece)


def piece_words(pieces: list[str]) -> list[int]:
    """The 0-based word index of each SentencePiece piece."""
    indices = []
    word = -1
    pending_start = True  # a lone "▁" piece starts the word the next piece continues
    for piece in pieces:
        if piece.startswith(WORD_START) or word < 0:
            pending_start = True
        if pending_start and piece.strip(WORD_START):
            word += 1
            pending_start = False
        indices.append(max(word, 0))
    return indices


def piece_spans(pieces: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text `pieces` spell ("▁" read as a space, the leading one dropped, as decoding does)
    and each piece's (start, end) character offsets in it; a word-start piece's span holds the
    space before its word."""
    spans = []
    at = 0
    for piece in pieces:
        spans.append((at, at + len(piece)))
        at += len(piece)
    text = "".join(pieces).replace(WORD_START, " ")
    lead = len(text) - len(text.lstrip(" "))
    return text[lead:], [(max(0, start - lead), max(0, end - lead)) for start, end in spans]
