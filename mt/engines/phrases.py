"""When a translation holds its required phrases: the rule phrase forcing works to and the
glossary verifies by. Pure string code, no model."""

from __future__ import annotations

from collections.abc import Sequence


def unmet_phrases(text: str, phrases: Sequence[str]) -> list[int]:
    """Indices of the phrases `text` does not hold: each listed phrase needs its own occurrence
    (a phrase listed twice, two) that does not run into a longer word; longer phrases claim
    their text first, so "SDF" inside "Syrian Democratic Forces (SDF)" does not count twice.
    This is the rule the glossary verifies translations by."""
    claimed = [False] * len(text)
    unmet = []
    for index in sorted(range(len(phrases)), key=lambda i: (-len(phrases[i].strip()), i)):
        phrase = phrases[index].strip()
        if not phrase:
            continue
        at = text.find(phrase)
        while at != -1 and (_glued(text, at, len(phrase)) or any(claimed[at : at + len(phrase)])):
            at = text.find(phrase, at + 1)
        if at == -1:
            unmet.append(index)
        else:
            claimed[at : at + len(phrase)] = [True] * len(phrase)
    return sorted(unmet)


def _glued(text: str, at: int, length: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[at + length] if at + length < len(text) else " "
    return (text[at].isalnum() and before.isalnum()) or (
        text[at + length - 1].isalnum() and after.isalnum()
    )
