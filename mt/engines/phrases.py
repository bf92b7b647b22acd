"""When a translation holds its required phrases: the rule phrase forcing works to and the
glossary verifies by. Pure string code, no model."""

from __future__ import annotations

from collections.abc import Sequence

SENTENCE_END = ".!?؟"


def unmet_phrases(text: str, phrases: Sequence[str]) -> list[int]:
    """Indices of the phrases `text` does not hold (`phrase_spans`)."""
    return [i for i, span in enumerate(phrase_spans(text, phrases)) if span is None]


def phrase_spans(text: str, phrases: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where `text` holds each phrase: its character span, or None. Each listed phrase needs its
    own occurrence (a phrase listed twice, two) that does not run into a longer word; longer
    phrases claim their text first, so "SDF" inside "Syrian Democratic Forces (SDF)" does not
    count twice. A phrase at the start of a sentence also counts with its first letter
    capitalised ("Al-Qaim border crossing" for "al-Qaim border crossing").
    This is the one rule by which the glossary verifies translations, fills its column and
    reports, and by which the quality signals find the renderings in a translation."""
    claimed = [False] * len(text)
    # Where each (form, sentence-start-only) search resumes: a place it passed stays unusable
    # (glued or not at a sentence start for good, and claims only grow), so a phrase listed
    # thousands of times (a 1 MB line) is found in one sweep, not one sweep per listing.
    resume: dict[tuple[str, bool], int] = {}
    spans: list[tuple[int, int] | None] = [None] * len(phrases)
    for index in sorted(range(len(phrases)), key=lambda i: (-len(phrases[i].strip()), i)):
        phrase = phrases[index].strip()
        if not phrase:  # nothing to hold: held, at the start
            spans[index] = (0, 0)
            continue
        at = _free_at(text, phrase, claimed, resume)
        if at != -1:
            claimed[at : at + len(phrase)] = [True] * len(phrase)
            spans[index] = (at, at + len(phrase))
    return spans


def _free_at(text: str, phrase: str, claimed: list[bool],
             resume: dict[tuple[str, bool], int]) -> int:
    """Where `phrase` occurs unclaimed as whole words (capitalised at a sentence start), or -1."""
    capital = phrase[0].upper() + phrase[1:]
    for form, at_start_only in ((phrase, False), (capital, True)):
        if at_start_only and capital == phrase:
            break
        start = resume.get((form, at_start_only), 0)
        at = text.find(form, start) if start != -1 else -1
        while at != -1 and (
            _glued(text, at, len(form))
            or any(claimed[at : at + len(form)])
            or (at_start_only and not _sentence_start(text, at))
        ):
            at = text.find(form, at + 1)
        resume[(form, at_start_only)] = at if at == -1 else at + 1
        if at != -1:
            return at
    return -1


def _sentence_start(text: str, at: int) -> bool:
    """Whether only opening quotes or brackets stand between `at` and the text's start or the
    end of an earlier sentence."""
    before = at
    while before and text[before - 1] in " \"'“«(":
        before -= 1
    return not before or text[before - 1] in SENTENCE_END


def _glued(text: str, at: int, length: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[at + length] if at + length < len(text) else " "
    return (text[at].isalnum() and before.isalnum()) or (
        text[at + length - 1].isalnum() and after.isalnum()
    )
