"""A glossary term's uses in the segments of a document, and what became of each: the plan
(which rendering each occurrence requires), the rule by which a translation holds it, and the
TSV `glossary` column.

Each occurrence requires one rendering: the entry's first mention on its first occurrence in a
document and the short target afterwards. "First" means: no earlier rendering in the document
contains this entry's first mention. So قسد after قوات سوريا الديمقراطية, rendered "Syrian
Democratic Forces (SDF)", is plain "SDF".

An occurrence written in parentheses right after another term whose rendering already contains
its own, as in قوات سوريا الديمقراطية (قسد), restates the abbreviation the first rendering
introduces; it is covered by that rendering and needs no second copy.

A use ends applied at a tier (glossary/enforce.py says how each tier puts it in), human (a
human translation that holds it, never changed) or failed (the translation does not hold it:
the model's sentence was kept rather than made worse).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from glossary.match import Match, Matcher
from mt.document import Segment
from mt.engines.phrases import phrase_spans

APPLIED, FAILED, HUMAN = "applied", "failed", "human"
TIER_HUMAN = 0
TIER_MODEL = 1  # the model wrote it: from the real input, or copied from the injected one
TIER_REPLACED = 2  # the model's own rendering replaced in its translation
TIER_REDECODED = 3  # the model continued its translation after the rendering
COLUMN_SEPARATOR = "; "


@dataclass
class TermUse:
    """One occurrence of an entry in a segment and what became of it."""

    match: Match
    form: str  # the rendering the translation must hold
    first: bool  # the document's first mention of the entry
    covered_by: TermUse | None = None  # the use whose rendering holds this one's
    tier: int | None = None  # the tier that applied it; None if it failed
    human: bool = False  # in a human translation, checked, never enforced

    @property
    def status(self) -> str:
        if self.tier is None:
            return FAILED
        return HUMAN if self.human else f"{APPLIED}/{self.tier}"


def glossary_column(uses: Sequence[TermUse]) -> str:
    """The TSV `glossary` column: `source=rendering:status` per occurrence, in source order,
    e.g. `قسد=SDF:applied/1; الحشد الشعبي=PMF:applied/3`. Never a tab or a newline."""
    parts = (f"{u.match.entry.source}={u.form}:{u.status}" for u in uses)
    return " ".join(COLUMN_SEPARATOR.join(parts).split())


def plan(segments: Sequence[Segment], matcher: Matcher) -> list[list[TermUse]]:
    """The term uses of each segment, with first mentions counted per document in order."""
    rendered: dict[str, set[str]] = {}  # doc_id -> distinct renderings so far
    plans = []
    for segment in segments:
        earlier = rendered.setdefault(segment.doc_id, set())
        uses: list[TermUse] = []
        for match in matcher.find(segment.source):
            entry = match.entry
            first = bool(entry.first_mention) and not any(
                entry.first_mention in r for r in earlier
            )
            use = TermUse(match, entry.form(first), first)
            if uses and _restates(segment.source, uses[-1], use):
                use.covered_by = uses[-1]
            uses.append(use)
            earlier.add(use.form)
        plans.append(uses)
    return plans


def _restates(source: str, previous: TermUse, use: TermUse) -> bool:
    """Whether `use` is a parenthesised restatement of `previous`: "A (B)"."""
    between = source[previous.match.end : use.match.start]
    after = source[use.match.end : use.match.end + 1]
    return (
        between.strip() == "("
        and after == ")"
        and not use.match.prefix
        and previous.covered_by is None
        and use.form in previous.form
    )


def inject(text: str, matches: Sequence[Match], forms: Sequence[str]) -> str:
    """`text` with each match's words (after its proclitics) replaced by its rendering."""
    pieces, position = [], 0
    for match, form in zip(matches, forms, strict=True):
        pieces.append(text[position : match.start])
        pieces.append(f"{match.prefix} {form}" if match.prefix else form)
        position = match.end
    pieces.append(text[position:])
    return "".join(pieces)


def satisfied(target: str, uses: Sequence[TermUse]) -> list[bool]:
    """For each use, whether `target` holds its rendering (`rendering_spans`)."""
    return [span is not None for span in rendering_spans(target, uses)]


def rendering_spans(target: str, uses: Sequence[TermUse]) -> list[tuple[int, int] | None]:
    """For each use, the characters of `target` that hold its rendering, by the one rule of
    mt.engines.phrases.phrase_spans, or None; a covered use has its cover's span."""
    own = [i for i, u in enumerate(uses) if u.covered_by is None]
    found = phrase_spans(target, [uses[i].form for i in own])
    spans: list[tuple[int, int] | None] = [None] * len(uses)
    for index, span in zip(own, found, strict=True):
        spans[index] = span
    for index, use in enumerate(uses):
        if use.covered_by is not None:
            spans[index] = next((s for u, s in zip(uses, spans, strict=True)
                                 if u is use.covered_by), None)
    return spans


def verify_human(segments: Sequence[Segment], plans: Sequence[list[TermUse]]) -> None:
    """Check human translations against their planned renderings, without changing a word:
    sets each segment's `matches` and `glossary` column."""
    for segment, uses in zip(segments, plans, strict=True):
        for use, held in zip(uses, satisfied(segment.target, uses), strict=True):
            use.human = True
            use.tier = TIER_HUMAN if held else None
        segment.matches = uses
        segment.glossary = glossary_column(uses)
