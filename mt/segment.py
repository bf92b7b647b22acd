"""Blocks -> sentences with exact character offsets, and over-long sentences -> clause pieces.

Offsets are truthful: every Segment's `source` is `Document.text[start:end]`, and the sources of
a block, in order, with the whitespace between them, give back the block. Scraped text often
puts a sentence's period at the start of the next one ("(قسد) .وبموافقة"): the segments then
split after the period, so the first source ends in " ." exactly as the article has it, and the
repair (moving the period onto the word) happens in `mt_source`, which `normalize_for_mt` builds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from mt.arabic import is_arabic_char, normalize_for_mt
from mt.document import Document, Segment

_CLOSERS = "\"'”’»)]}›"
_CANDIDATE = re.compile(r"[.!?؟…]+[" + re.escape(_CLOSERS) + r"]*")
# Bracket and quote pairs whose inside is never cut. A quote left open must not glue a whole
# paragraph into one sentence, so a pair spanning more than this is not protected.
_PAIRS = ("()", "[]", "{}", "“”", "«»", "‹›")
MAX_PROTECTED_SPAN = 500

# Words after which a period is an abbreviation, not a sentence end. Any single letter is one
# too (Arabic د. أ. م. ص. and Latin initials); so are dotted initials such as U.S.
LATIN_ABBREVIATIONS = frozenset(
    """
    dr mr mrs ms prof st jr sr vs etc e.g i.e no nos inc ltd co corp gen col lt sgt capt maj
    rep sen gov pres mt ft approx dept est fig vol pp jan feb mar apr jun jul aug sep sept oct
    nov dec
    """.split()
)
ARABIC_ABBREVIATIONS = frozenset("د أ م ص ج ق ت ه هـ ش ك ب".split())
ERA_MARKERS = frozenset("م هـ ه".split())  # after a year: AD, AH


def segment_document(doc: Document) -> Document:
    """Cut every block of `doc` into segments, store them in doc.segments and return `doc`.

    Content blocks are cut into sentences; headings and boilerplate lines stay whole.
    """
    segments: list[Segment] = []
    for block in doc.blocks:
        spans = sentence_spans(block.text) if block.kind == "content" else [(0, len(block.text))]
        for start, end in spans:
            source = block.text[start:end]
            segments.append(
                Segment(
                    doc_id=doc.doc_id,
                    seg=len(segments),
                    para=block.para,
                    kind=block.kind,
                    source=source,
                    start=block.start + start,
                    end=block.start + end,
                    mt_source=normalize_for_mt(source),
                )
            )
    doc.segments = segments
    return doc


# ---------------------------------------------------------------- sentences


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, leading/trailing whitespace excluded."""
    protected = _ProtectedSpans(text)
    cuts = [
        match.end()
        for match in _CANDIDATE.finditer(text)
        if _is_sentence_end(text, match)
        and (match.end() not in protected or _is_misplaced_period(text, match))
    ]
    spans = []
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        stripped = text[start:end].strip()
        if stripped:
            start += len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((start, start + len(stripped)))
    return _merge_letterless(text, spans)


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    after = match.end()
    marks = match.group().rstrip(_CLOSERS)
    if marks == "." and _is_abbreviation(text, match.start()):
        return False
    if after == len(text) or text[after].isspace():
        return True
    # Scraped text glues the period to the next sentence: "(قسد) .وبموافقة", "سوريا.والتي".
    if not _is_arabic_letter(text[after]):
        return False
    if _is_misplaced_period(text, match):
        return True
    word = _word_before(text, match.start())
    return len(word) >= 2 and word.isalpha() and _is_arabic_letter(word[-1])


def _is_misplaced_period(text: str, match: re.Match[str]) -> bool:
    """" .و": a space before the mark and a letter glued after it. The evidence of a sentence
    end is strong enough to cut even inside a quotation, where scraped text often has it."""
    start, end = match.span()
    return (
        start > 0 and text[start - 1].isspace() and end < len(text) and _is_arabic_letter(text[end])
    )


def _is_arabic_letter(ch: str) -> bool:
    return ch.isalpha() and is_arabic_char(ch)


def _word_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "([{«“\"'":
        start -= 1
    return text[start:pos]


def _skip_space_back(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _word_before(text, dot)
    year = _word_before(text, _skip_space_back(text, dot - len(word)))
    if word in ERA_MARKERS and year.isdigit():
        return False  # "عام 2024 م." ends the sentence with its era, not an abbreviation
    if len(word) == 1 and word.isalpha():
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # U.S, e.g, i.e
        return True
    return word.lower() in LATIN_ABBREVIATIONS or word in ARABIC_ABBREVIATIONS


class _ProtectedSpans:
    """The insides of bracket and quote pairs, where no cut may fall (a cut right after the
    closing mark is outside). Built from the pair characters only, so a 10 MB paragraph costs
    one regex scan, and queried by bisection."""

    _MARKS = re.compile("[" + re.escape("".join(_PAIRS) + '"') + "]")
    _OPENER_OF = {closer: opener for opener, closer in _PAIRS}

    def __init__(self, text: str) -> None:
        open_at: dict[str, list[int]] = {opener: [] for opener, _ in _PAIRS}
        straight_quote: int | None = None
        spans: list[tuple[int, int]] = []
        for match in self._MARKS.finditer(text):
            mark, i = match.group(), match.start()
            if mark == '"':  # straight quotes pair up in order
                if straight_quote is None:
                    straight_quote = i
                else:
                    spans.append((straight_quote, i))
                    straight_quote = None
            elif mark in open_at:
                open_at[mark].append(i)
            elif open_at[self._OPENER_OF[mark]]:
                spans.append((open_at[self._OPENER_OF[mark]].pop(), i))
        # a cut before position p is inside the pair (o, c) when o < p <= c
        inside = sorted((o + 1, c) for o, c in spans if c - o <= MAX_PROTECTED_SPAN)
        self._starts: list[int] = []
        self._ends: list[int] = []
        for lo, hi in inside:
            if self._ends and lo <= self._ends[-1] + 1:
                self._ends[-1] = max(self._ends[-1], hi)
            else:
                self._starts.append(lo)
                self._ends.append(hi)

    def __contains__(self, cut: int) -> bool:
        k = bisect.bisect_right(self._starts, cut) - 1
        return k >= 0 and cut <= self._ends[k]


def _merge_letterless(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece with no letter ("1." of a list, a stray ".") joins the sentence after it (the one
    before it, at the end of the paragraph)."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in spans:
        if not any(c.isalpha() for c in text[start:end]):
            pending = start if pending is None else pending
            continue
        merged.append((pending if pending is not None else start, end))
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending, spans[-1][1]))
    return merged


# ---------------------------------------------------------------- over-long sentences

# Where a sentence may be cut, best first: after clause punctuation, before a conjunction,
# at any space. The last resort is a cut between characters.
_CUT_LEVELS = (
    re.compile(r"[.!?؟…،؛;:,]+[" + re.escape(_CLOSERS) + r"]*\s+"),
    re.compile(
        r"(?<=\s)(?=(?:ثم|حيث|بينما|لكن|لكنه|لكنها|إذ|كما|فيما|أو|بعدما|عندما|and|but|while|"
        r"which|because)\s)|(?<=\s)(?=[وف][\u0621-\u064a]{2})"
    ),
    re.compile(r"\s+"),
)
# Pack pieces to this share of the budget as estimated from characters, so few need a recount.
_PACKING_MARGIN = 0.9


def split_long(text: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Cut `text` into pieces of at most `max_tokens` tokens each, at the best boundaries.

    "".join(pieces) == text: nothing is dropped or truncated (whitespace stays at the end of the
    piece before it). Token counts are estimated from character counts and each packed piece is
    counted once, so the cost stays linear in the length of `text`. A single character that
    alone exceeds the budget is returned as its own piece.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    n_tokens = count_tokens(text)
    if n_tokens <= max_tokens:
        return [text]
    return _merge_neighbours(_split(text, n_tokens, max_tokens, count_tokens, 0), max_tokens,
                             count_tokens)


def _merge_neighbours(pieces: list[str], max_tokens: int, count: Callable[[str], int]) -> list[str]:
    """Join neighbouring pieces that fit together (the character estimate packs cautiously);
    each try counts at most two pieces, so this stays linear too."""
    merged = [pieces[0]]
    for piece in pieces[1:]:
        if count(merged[-1] + piece) <= max_tokens:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _split(
    text: str, n_tokens: int, max_tokens: int, count: Callable[[str], int], level: int
) -> list[str]:
    if len(text) <= 1:
        return [text]
    if level >= len(_CUT_LEVELS):
        units = _character_units(text)
    else:
        units = _cut(text, _CUT_LEVELS[level])
        if len(units) == 1:
            return _split(text, n_tokens, max_tokens, count, level + 1)
    budget_chars = max(1, int(_PACKING_MARGIN * max_tokens * len(text) / n_tokens))
    pieces: list[str] = []
    for group, n_units in _pack(units, budget_chars):
        n = count(group)
        if n <= max_tokens or (n_units == 1 and level >= len(_CUT_LEVELS)):
            pieces.append(group)  # fits, or is one character (with its marks): cannot be cut
        elif n_units == 1:
            pieces.extend(_split(group, n, max_tokens, count, level + 1))
        else:  # the estimate was optimistic for this stretch: pack it again, tighter
            pieces.extend(_split(group, n, max_tokens, count, level))
    return pieces


def _cut(text: str, boundary: re.Pattern[str]) -> list[str]:
    cuts = [m.end() for m in boundary.finditer(text) if 0 < m.end() < len(text)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if a < b]


def _character_units(text: str) -> list[str]:
    """Single characters, a base letter kept with the combining marks that follow it."""
    return re.findall(r".[\u0300-\u036f\u064b-\u065f\u0670]*", text, flags=re.DOTALL)


def _pack(units: list[str], budget_chars: int) -> list[tuple[str, int]]:
    """Consecutive units joined greedily up to `budget_chars` (a longer unit stands alone)."""
    groups: list[tuple[str, int]] = []
    current: list[str] = []
    size = 0
    for unit in units:
        if current and size + len(unit) > budget_chars:
            groups.append(("".join(current), len(current)))
            current, size = [], 0
        current.append(unit)
        size += len(unit)
    if current:
        groups.append(("".join(current), len(current)))
    return groups
