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
from mt.quotes import QuoteMarks, quote_marks

_TERMINATORS = re.compile(r"[.!?؟…]+")
# Marks that close: a sentence end carries those right after it (`.)` `."` `؟»`), quotation
# marks only when mt.quotes reads them as closing.
_CLOSERS = "\"'”’»)]}›"
_ALWAYS_CLOSING = "’')]}"
# Marks that may open: a word before a period starts after them (curly quotes are typed either
# way round in Arabic text).
_OPENING = "([{«‹“”„\"'"
# Brackets whose inside is never cut. One left open must not glue a whole paragraph into one
# sentence, so a pair spanning more than this is not protected. Quotation marks protect
# nothing: a quotation of several sentences is cut into its sentences.
_PAIRS = ("()", "[]", "{}")
MAX_PROTECTED_SPAN = 500

# Words after which a period is an abbreviation, not a sentence end. Any single letter is one
# too (Arabic د. أ. م. ص. and Latin initials); so are dotted initials such as U.S. and أ.د.
LATIN_ABBREVIATIONS = frozenset(
    """
    dr mr mrs ms prof st jr sr vs etc e.g i.e no nos inc ltd co corp gen col lt sgt capt maj
    rep sen gov pres mt ft approx dept est fig vol pp jan feb mar apr jun jul aug sep sept oct
    nov dec
    """.split()
)
ARABIC_ABBREVIATIONS = frozenset(["هـ"])  # single letters are abbreviations anyway
# After a year (or a century, for ق.م "BC"), an era: it ends a sentence like any word.
ERA_MARKERS = frozenset("م هـ ه".split())
ERAS_ANYWHERE = frozenset(["ق.م"])
# The names of Latin letters as Arabic spells them: سي.آي.إيه (CIA), إف. بي. آي (FBI).
LETTER_NAMES = frozenset(
    """
    إيه ايه أيه إي اي آي أي بي سي دي إف اف جي إتش اتش جيه جاي كيه كاي إل ال إم ام إن ان أو
    كيو آر ار إس اس تي يو في ڤي دبليو إكس اكس واي زد زي
    """.split()
)
# The dot of U.S. ends a sentence when one of these follows (pySBD's list for English).
ENGLISH_SENTENCE_STARTERS = frozenset(
    """
    A Being Did For He How However I In It Millions More She That The There They We What When
    Where Who Why
    """.split()
)
# A question or exclamation in quotes followed by one of these, with no conjunction, is the
# speaker's line and the sentence goes on: «من سيدفع؟» تساءل الخبير.
SPEECH_VERBS = frozenset(
    """
    قال قالت يقول تقول تساءل تساءلت يتساءل تتساءل سأل سألت أضاف أضافت صاح صاحت صرخ صرخت
    هتف هتفت
    """.split()
)


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
    quotes = quote_marks(text)
    brackets = _BracketSpans(text)
    cuts = []
    for match in _TERMINATORS.finditer(text):
        end = _end_with_closers(text, match.end(), quotes)
        if _is_sentence_end(text, match, end, quotes) and (
            end not in brackets or _is_misplaced_period(text, match.start(), end)
        ):
            cuts.append(end)
    spans = []
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        stripped = text[start:end].strip()
        if stripped:
            start += len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((start, start + len(stripped)))
    return _merge_letterless(text, spans)


def _end_with_closers(text: str, end: int, quotes: QuoteMarks) -> int:
    """Past the closing brackets and quotes right after a sentence's final mark (`."` `؟»`)."""
    while end < len(text) and (text[end] in _ALWAYS_CLOSING or end in quotes.closers):
        end += 1
    return end


def _is_sentence_end(text: str, match: re.Match[str], end: int, quotes: QuoteMarks) -> bool:
    marks = match.group()
    if marks == "." and _is_abbreviation(text, match.start(), end):
        return False
    if "." not in marks and _ends_quoted_phrase(text, match, end, quotes):
        return False
    if end == len(text) or text[end].isspace() or end in quotes.openers:
        return True
    # Scraped text glues the period to the next sentence: "(قسد) .وبموافقة", "سوريا.والتي".
    if not _is_arabic_letter(text[end]):
        return False
    if _is_misplaced_period(text, match.start(), end):
        return True
    word = _word_before(text, match.start())
    return len(word) >= 2 and word.isalpha() and _is_arabic_letter(word[-1])


def _ends_quoted_phrase(text: str, match: re.Match[str], end: int, quotes: QuoteMarks) -> bool:
    """A ? or ! that ends a quoted title or the speaker's line, not the sentence around it:
    برنامج «ماذا بعد؟» الذي ... and «من سيدفع؟» تساءل الخبير."""
    closing = [quotes.closers[i] for i in range(match.end(), end) if i in quotes.closers]
    if not closing or closing[0] is None or end == len(text):
        return False
    opener = closing[0]
    if _TERMINATORS.search(text, opener, match.start()):
        return False  # a quotation of several sentences: its last one ends here too
    if _next_word(text, end) in SPEECH_VERBS:
        return True
    before = _skip_space_back(text, opener)
    return before > 0 and text[before - 1].isalnum()  # opened inside a sentence: a title


def _is_misplaced_period(text: str, start: int, end: int) -> bool:
    """" .و": a space before the mark and a letter glued after it. The evidence of a sentence
    end is strong enough to cut even inside brackets, where scraped text often has it."""
    return (
        start > 0 and text[start - 1].isspace() and end < len(text) and _is_arabic_letter(text[end])
    )


def _is_arabic_letter(ch: str) -> bool:
    return ch.isalpha() and is_arabic_char(ch)


def _word_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENING:
        start -= 1
    return text[start:pos]


def _next_word(text: str, pos: int) -> str:
    """The letters of the word at or after `pos` (after spaces), up to the first non-letter."""
    word = re.match(r"\s*([^\W\d_]*)", text[pos : pos + 64])
    return word.group(1) if word else ""


def _skip_space_back(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _is_abbreviation(text: str, dot: int, end: int) -> bool:
    word = _word_before(text, dot)
    year = _word_before(text, _skip_space_back(text, dot - len(word)))
    if (word in ERA_MARKERS and year.isdigit()) or word in ERAS_ANYWHERE:
        return False  # "عام 2024 م." ends the sentence with its era, not an abbreviation
    if word.rsplit(".", 1)[-1] in LETTER_NAMES and _next_word(text, end) in LETTER_NAMES:
        return True  # سي.آي.إيه, سي. آي. إيه
    if re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", word):  # a letter, or initials: U.S, أ.د
        # "in the U.S. They ..." ends there; a lone initial never does
        return not ("." in word and word.isascii()
                    and _next_word(text, end) in ENGLISH_SENTENCE_STARTERS)
    return word.lower() in LATIN_ABBREVIATIONS or word in ARABIC_ABBREVIATIONS


class _BracketSpans:
    """The insides of bracket pairs, where no cut may fall (a cut right after the closing mark
    is outside). Built from the bracket characters only, so a 10 MB paragraph costs one regex
    scan, and queried by bisection."""

    _MARKS = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
    _OPENER_OF = {closer: opener for opener, closer in _PAIRS}

    def __init__(self, text: str) -> None:
        open_at: dict[str, list[int]] = {opener: [] for opener, _ in _PAIRS}
        spans: list[tuple[int, int]] = []
        for match in self._MARKS.finditer(text):
            mark, i = match.group(), match.start()
            if mark in open_at:
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
