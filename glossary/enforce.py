"""Hold translations to the glossary without making them worse: the glossary changes the names
and nothing else.

For every text the engine translates (a segment, or a piece of a long one), with the renderings
its term uses require (glossary/uses.py):

1. decode the real input; every rendering the translation holds is applied at tier 1;
2. for each missing one, replace the model's own rendering of the term in its translation: the
   words the model wrote for the term (glossary/placement.py) are tried as spans, each edit read
   by the model (scoring passes, no decode), and the best one kept if glossary/choice.py accepts
   it (tier 2);
3. where some are still missing, decode the input with the terms replaced by their renderings
   (the model may copy them), and keep that translation only where it differs from the model's
   own at the terms' words and passes the same test (tier 1: the model wrote it);
4. where one is still missing, re-decode once from a forced prefix (the words before the
   model's rendering and the glossary's, the model continuing), kept if it keeps every number,
   name and rendering of the model's translation and fits about as well (tier 3);
5. what none of these could place is reported failed, and the model's translation stays.

So a sentence costs at most two decodes beyond the first, whatever the number of its terms,
and the scoring passes are batched over every text of the call. Every translation kept is read
once by the model from the real input, so that its log-probabilities and attention (the quality
signals and the word alignment) describe the source the outputs show.

A translation that ran to its length budget (a loop or babble) has no sentence to keep and no
span that is the model's rendering: its missing renderings are forced together as the prefix of
its one re-decode, kept if it then holds more of them. Only a few (MAX_FORCED_TOGETHER): a
prefix of many names in a row is no English either, and its decode costs more than the first
(a 1 MB line of run-on text, cut in pieces, has dozens per piece).

A human translation (from `jisr tm import`) is never re-decoded or forced: uses.verify_human only
checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from glossary import choice, placement
from glossary.match import Match, Matcher
from glossary.uses import (
    TIER_MODEL,
    TIER_REDECODED,
    TIER_REPLACED,
    TermUse,
    glossary_column,
    inject,
    plan,
    rendering_spans,
    satisfied,
)
from mt.document import Segment
from mt.engines.base import DecodeOptions, Hypothesis, TranslationEngine

__all__ = ["enforce", "plan"]

# Nats a span's every word costs in the choice among spans the model reads alike: of "the Qasad
# forces" and "Qasad forces", both read as well once replaced, the shorter is the rendering.
SPAN_WORD_COST = 0.01


# Missing renderings a truncated translation may get as one prefix: a sentence's worth of names
# (a news sentence holds up to four or five), not the many of a piece of run-on text.
MAX_FORCED_TOGETHER = 5


@dataclass
class _Unit:
    """One text the engine decodes, its terms, and the translation kept so far."""

    text: str  # the model's input as the pipeline gave it
    injected: str  # the same with renderings injected where the terms were found in it
    uses: list[TermUse]
    located: list[Match | None]  # each use's match in `text`, None where it was not found
    own: Hypothesis | None = None  # the model's translation of `text`
    own_reading: choice.Reading | None = None
    kept: Hypothesis | None = None  # the translation that will be output
    tiers: dict[int, int] = field(default_factory=dict)  # use index -> tier that placed it
    # use -> the rank and the token span of its best replacement, accepted or not
    spans: dict[int, tuple[float, tuple[int, int]]] = field(default_factory=dict)
    # use -> what the model's own tokens lose without the term and without the rest (placement)
    losses: dict[int, placement.Losses] = field(default_factory=dict)

    def missing(self) -> list[int]:
        """The uses the kept translation lacks that can be placed: found in this text and not
        covered by another use's rendering."""
        held = satisfied(self.kept.text, self.uses)
        return [u for u, use in enumerate(self.uses)
                if not held[u] and use.covered_by is None and self.located[u] is not None]

    def guarded(self, text: str, words: Sequence[str]) -> set[int]:
        held = placement.tokens_in(text, [s for s in rendering_spans(text, self.uses) if s])
        return choice.protected(words, self.text, held)


def enforce(
    engine: TranslationEngine,
    segments: Sequence[Segment],
    options: DecodeOptions,
    matcher: Matcher,
    pieces: Sequence[Sequence[str]] | None = None,
    inject_terms: bool = True,
    progress: Callable[[int], None] | None = None,
    plans: list[list[TermUse]] | None = None,
) -> list[Hypothesis]:
    """Translate `segments` holding them to the glossary (the steps in the module docstring).

    `pieces[i]` is what the engine translates for segment i (default: its mt_source, or its
    source), several texts when a long sentence is cut. Returns one hypothesis per piece, in
    order, flattened. Sets each segment's `matches` (its TermUses) and `glossary` column.
    Segments come in document order, documents one after another; `plans` (of `plan` over more
    segments, so that first mentions count the others) replaces their own plan.
    """
    if pieces is None:
        pieces = [[s.mt_source or s.source] for s in segments]
    if plans is None:
        plans = plan(segments, matcher)
    units = _units(plans, pieces, matcher, inject_terms)
    for unit, hyp in zip(units, engine.translate([u.text for u in units], options,
                                                 progress=progress), strict=True):
        unit.own = unit.kept = hyp
    wanting = [u for u in units if u.missing()]
    babble = [u for u in wanting if u.own.extra.get("truncated")
              and len(u.missing()) <= MAX_FORCED_TOGETHER]
    sentences = [u for u in wanting if not u.own.extra.get("truncated")]
    # The candidates' own scores would go unread: _keep_if reads each from its real input.
    unread = replace(options, with_attention=False, with_scores=False)
    _replace(engine, sentences)
    _from_injected(engine, unread, [u for u in sentences if u.missing()])
    _redecode(engine, unread, [u for u in sentences if u.missing()])
    _forced_together(engine, unread, babble)
    for unit in units:
        held_by_own = satisfied(unit.own.text, unit.uses)
        for u, (use, held) in enumerate(zip(unit.uses, satisfied(unit.kept.text, unit.uses),
                                            strict=True)):
            use.tier = (TIER_MODEL if held_by_own[u] else unit.tiers.get(u, TIER_MODEL)
                        ) if held else None
    for segment, uses in zip(segments, plans, strict=True):
        segment.matches = uses
        segment.glossary = glossary_column(uses)
    return [unit.kept for unit in units]


def _units(
    plans: list[list[TermUse]],
    pieces: Sequence[Sequence[str]],
    matcher: Matcher,
    inject_terms: bool,
) -> list[_Unit]:
    """Split each segment's uses among its pieces, in order, by finding the terms again in each
    piece (the model's input is normalised and maybe cut, so source offsets do not carry over).
    A use whose term is not found in any later piece stays with the previous use's piece and is
    not placed; a covered use in another piece than its cover needs its own rendering."""
    units: list[_Unit] = []
    for uses, texts in zip(plans, pieces, strict=True):
        owner, located = _locate(uses, [matcher.find(t) for t in texts] if uses else [])
        piece_of = {id(use): owner[u] for u, use in enumerate(uses)}
        for use in uses:
            if use.covered_by is not None and piece_of[id(use.covered_by)] != piece_of[id(use)]:
                use.covered_by = None
        by_piece: list[list[int]] = [[] for _ in texts]
        for u in range(len(uses)):
            by_piece[owner[u]].append(u)
        for own, text in zip(by_piece, texts, strict=True):
            renderings = [
                (located[u], uses[u].form)
                for u in own
                if u in located and uses[u].covered_by is None
            ]
            injected = text
            if inject_terms and renderings:
                injected = inject(text, [m for m, _ in renderings], [f for _, f in renderings])
            units.append(_Unit(text, injected, [uses[u] for u in own],
                               [located.get(u) for u in own]))
    return units


def _locate(
    uses: list[TermUse], found: list[list[Match]]
) -> tuple[list[int], dict[int, Match]]:
    """The piece of each use, and its match in that piece where the piece has it (in order)."""
    owner = [0] * len(uses)
    located: dict[int, Match] = {}
    piece, position = 0, 0
    for u, use in enumerate(uses):
        for p in range(piece, len(found)):
            candidates = range(position if p == piece else 0, len(found[p]))
            hit = next((k for k in candidates if found[p][k].entry == use.match.entry), None)
            if hit is not None:
                piece, position = p, hit + 1
                located[u] = found[p][hit]
                break
        owner[u] = piece
    return owner, located


def _replace(engine: TranslationEngine, units: list[_Unit]) -> None:
    """Step 2: in each unit, every missing rendering put in place of the model's own, where the
    model reads the edit as well as its own translation (choice.edit_acceptable); the accepted
    edits of one unit are joined and read once more, as a whole.

    The model's own translation is read from the real input and, per missing term, from the
    input with that term replaced by a placeholder and from the input with every other word
    replaced: the first says where the model rendered the term, the second which words no span
    may take (glossary.placement)."""
    # unit, use (None: the real input), which reading, the input read
    readings: list[tuple[_Unit, int | None, str, str]] = []
    for unit in units:
        readings.append((unit, None, "real", unit.text))
        for u in unit.missing():
            match = unit.located[u]
            readings.append((unit, u, "term", inject(unit.text, [match], [placement.PLACEHOLDER])))
            readings.append((unit, u, "others",
                             placement.term_alone(unit.text, match.start, match.end)))
    read = engine.score([source for *_, source in readings],
                        [unit.own.text for unit, *_ in readings], with_attention=False)
    by_input: dict[tuple[int, int | None, str], choice.Reading | None] = {}
    for (unit, u, kind, _), hyp in zip(readings, read, strict=True):
        hyp.text = unit.own.text
        by_input[id(unit), u, kind] = choice.reading(hyp)
    trials: list[tuple[_Unit, int, tuple[int, int], str]] = []
    for unit in units:
        unit.own_reading = by_input[id(unit), None, "real"]
        for u in unit.missing():
            term = choice.contrast(unit.own_reading, by_input[id(unit), u, "term"])
            others = choice.contrast(unit.own_reading, by_input[id(unit), u, "others"])
            if term is None or others is None:
                continue
            unit.losses[u] = placement.Losses(term, others)
            form = unit.uses[u].form
            for span in placement.candidate_spans(term, unit.own_reading.words, form):
                text = placement.replaced(unit.own.text, span, form)
                if _may_replace_only_the_term(unit, u, text):
                    trials.append((unit, u, span, text))
    read = engine.score([t[0].text for t in trials], [t[3] for t in trials],
                        with_attention=False) if trials else []
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {}  # (unit, use) -> accepted
    for (unit, u, span, text), hyp in zip(trials, read, strict=True):
        hyp.text = text
        edit = _edit_of(unit, hyp, [unit.uses[u]])
        if edit is None or not choice.replaces_only_the_terms(
                edit, unit.own_reading.words, unit.guarded(unit.own.text, unit.own_reading.words),
                [unit.losses[u]]):
            continue
        rank = edit.change - SPAN_WORD_COST * (span[1] - span[0])
        if u not in unit.spans or rank > unit.spans[u][0]:
            unit.spans[u] = (rank, span)  # within the margin or not: the re-decode's place
        if edit.change >= -choice.EDIT_MARGIN and (
                (id(unit), u) not in best or rank > best[id(unit), u][0]):
            best[id(unit), u] = (rank, span)
    joined = []
    for unit in units:
        chosen = _disjoint({u: found for (key, u), found in best.items() if key == id(unit)})
        if not chosen:
            continue
        text = unit.own.text
        for u, span in sorted(chosen.items(), key=lambda item: -item[1][0]):  # right to left
            text = placement.replaced(text, span, unit.uses[u].form)
        joined.append((unit, text, sorted(chosen), unit.own))
    _keep_if(engine, joined, TIER_REPLACED, _edit_accepted)


def _from_injected(engine: TranslationEngine, options: DecodeOptions, units: list[_Unit]) -> None:
    """Step 3: the translation of the input with the renderings injected, kept where it holds
    more renderings and differs from the model's own only where it holds them."""
    units = [u for u in units if u.injected != u.text and u.own_reading is not None]
    if not units:
        return
    decoded = engine.translate([u.injected for u in units], options)
    joined = []
    for unit, hyp in zip(units, decoded, strict=True):
        held, now = satisfied(hyp.text, unit.uses), satisfied(unit.kept.text, unit.uses)
        placed = [u for u in unit.missing() if held[u]]
        if placed and all(h or not n for h, n in zip(held, now, strict=True)):
            joined.append((unit, hyp.text, placed, hyp))
    _keep_if(engine, joined, TIER_MODEL,
             lambda unit, hyp, placed: _edit_accepted(unit, hyp, placed, margin=False))


def _redecode(engine: TranslationEngine, options: DecodeOptions, units: list[_Unit]) -> None:
    """Step 4: one re-decode per unit, from the kept translation's words before the first
    missing rendering's place, the rendering and the model's next own word."""
    todo = []
    for unit in units:
        u = next((u for u in unit.missing() if u in unit.spans), None)
        if u is not None and unit.own_reading is not None:
            _, span = unit.spans[u]
            todo.append((unit, u, span, placement.resumed_prefix(unit.own.text, span,
                                                                unit.uses[u].form)))
    if not todo:
        return
    decoded = engine.translate([unit.text for unit, *_ in todo], options,
                               prefixes=[prefix for *_, prefix in todo])
    joined, own_spans = [], {}
    for (unit, u, span, _), hyp in zip(todo, decoded, strict=True):
        held = satisfied(hyp.text, unit.uses)
        # A loop is no sentence to keep, and a rendering step 2 or 3 put in must stay.
        if hyp.extra.get("truncated") or not held[u] or not all(held[k] for k in unit.tiers):
            continue
        joined.append((unit, hyp.text, [u], hyp))
        own_spans[id(unit)] = range(*span)

    def accepted(unit: _Unit, hyp: Hypothesis, placed: list[int]) -> bool:
        candidate = choice.reading(hyp)
        rendered = placement.tokens_in(hyp.text, [s for s in rendering_spans(hyp.text, unit.uses)
                                                  if s])
        return candidate is not None and choice.redecode_acceptable(
            unit.own_reading, own_spans[id(unit)], candidate, rendered,
            unit.guarded(unit.own.text, unit.own_reading.words))

    _keep_if(engine, joined, TIER_REDECODED, accepted)


def _forced_together(engine: TranslationEngine, options: DecodeOptions,
                     units: list[_Unit]) -> None:
    """A translation that ran to its length budget: its missing renderings, in source order,
    forced together as the prefix of one decode of the real input, kept if it then holds more
    renderings (the quality score flags such a translation whatever the glossary does)."""
    if not units:
        return
    prefixes = [" ".join(unit.uses[u].form for u in unit.missing()) for unit in units]
    decoded = engine.translate([u.text for u in units], options, prefixes=prefixes)
    joined = [(unit, hyp.text, unit.missing(), hyp)
              for unit, hyp in zip(units, decoded, strict=True)
              if sum(satisfied(hyp.text, unit.uses)) > sum(satisfied(unit.kept.text, unit.uses))]
    _keep_if(engine, joined, TIER_REDECODED, lambda *_: True)


def _keep_if(
    engine: TranslationEngine,
    joined: list[tuple[_Unit, str, list[int], Hypothesis]],
    tier: int,
    accepted: Callable[[_Unit, Hypothesis, list[int]], bool],
) -> None:
    """Read each candidate (unit, text, the uses it places, the decode it comes from) from its
    unit's real input, with attention (if kept, it is what the outputs show), and keep it
    where `accepted`; the uses it places get `tier`."""
    if not joined:
        return
    read = engine.score([unit.text for unit, *_ in joined], [text for _, text, *_ in joined])
    for (unit, text, placed, origin), hyp in zip(joined, read, strict=True):
        hyp.text = text  # the very text verified, whatever the detokeniser does
        hyp.from_memory = origin.from_memory  # the text's origin, not its scoring's
        hyp.extra = {**origin.extra, **hyp.extra}  # what decoding noted (a length cut)
        if accepted(unit, hyp, placed):
            unit.kept = hyp
            for u in placed:
                unit.tiers[u] = tier


def _may_replace_only_the_term(unit: _Unit, u: int, text: str) -> bool:
    """Whether a replacement of use u can pass the test `_replace` puts to it once the model
    has read it: the words alone decide all of that test but the log-probabilities, so a
    candidate failing it is not read at all (most of the candidate spans do)."""
    rendered = placement.tokens_in(text, [s for s in rendering_spans(text, [unit.uses[u]]) if s])
    words = [token.text for token in placement.tokens(text)]
    edit = choice.word_edit(unit.own_reading.words, words, rendered)
    return choice.replaces_only_the_terms(
        edit, unit.own_reading.words, unit.guarded(unit.own.text, unit.own_reading.words),
        [unit.losses[u]])


def _edit_of(unit: _Unit, hyp: Hypothesis, uses: Sequence[TermUse]) -> choice.Edit | None:
    candidate = choice.reading(hyp)
    if unit.own_reading is None or candidate is None:
        return None
    rendered = placement.tokens_in(hyp.text, [s for s in rendering_spans(hyp.text, uses) if s])
    return choice.compare(unit.own_reading, candidate, rendered)


def _edit_accepted(unit: _Unit, hyp: Hypothesis, placed: list[int], margin: bool = True) -> bool:
    """Whether `hyp` changes the model's own translation only where it holds renderings, each
    name it renders anew the model's rendering of one of the placed terms, and (`margin`) the
    model reads the rest as well as in its own (glossary/choice.py). The translation of the
    injected input needs no margin: the model itself chose where the name ends and the rest
    of the sentence resumes, word for word its own."""
    if unit.own_reading is None:
        return False
    # Every rendering it holds that the model's own translation lacks: those placed now, and
    # those an earlier step placed (the injected input's translation holds them too).
    held, own = satisfied(hyp.text, unit.uses), satisfied(unit.own.text, unit.uses)
    new = [u for u in range(len(unit.uses)) if held[u] and not own[u]]
    losses = [unit.losses[u] for u in new if u in unit.losses]
    edit = _edit_of(unit, hyp, [unit.uses[u] for u in new])
    guarded = unit.guarded(unit.own.text, unit.own_reading.words)
    if not margin:
        return choice.replaces_only_the_terms(edit, unit.own_reading.words, guarded, losses)
    return choice.edit_acceptable(edit, unit.own_reading.words, guarded, losses)


def _disjoint(
    chosen: dict[int, tuple[float, tuple[int, int]]]
) -> dict[int, tuple[int, int]]:
    """Of the best span of each use, those that overlap no better one's."""
    kept: dict[int, tuple[int, int]] = {}
    for u, (_, span) in sorted(chosen.items(), key=lambda item: -item[1][0]):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in kept.values()):
            kept[u] = span
    return kept
