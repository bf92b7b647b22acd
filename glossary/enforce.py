"""Hold translations to the glossary: plan each term's rendering, decode, verify, repair.

For every segment the pipeline translates:

1. plan: find the entries in the source; each occurrence requires one rendering, the entry's
   first mention on its first occurrence in a document and the short target afterwards;
2. decode the real source and verify that the output holds every required rendering, once per
   occurrence (tier 1 when it does);
3. where one is missing, decode the source with each term replaced by its rendering (the model
   may copy it: tier 1 too), and place the missing renderings in the model's own translation
   (tier 3: `_place`);
4. keep, of these translations, the one holding the most renderings, then the one the model
   scores best against the real and the injected input. Each occurrence ends as applied at
   tier 1, applied at tier 3, or failed.

A human translation (from `jisr tm import`) is never re-decoded or forced: `verify_human` only
checks it, so that its glossary column says which renderings it holds (status `human`) and which
it breaks (`failed`), and the terms report counts the breaks.

Never is a rendering added to a translation by editing its text: tier 3 re-decodes the whole
sentence, so the rest of it stays the model's own (texts with a span replaced are built only to
be scored, to choose the span). Every translation kept that was decoded with a prefix or from
the injected input is force-decoded once more from the real input, so that its log-probabilities
and attention (the quality signals and the word alignment) describe the source the outputs show.

"First" means: no earlier rendering in the document contains this entry's first mention. So
قسد after قوات سوريا الديمقراطية, rendered "Syrian Democratic Forces (SDF)", is plain "SDF".

An occurrence written in parentheses right after another term whose rendering already contains
its own, as in قوات سوريا الديمقراطية (قسد), restates the abbreviation the first rendering
introduces; it is covered by that rendering and needs no second copy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields

from glossary import placement
from glossary.match import Match, Matcher
from mt.document import Segment
from mt.engines.base import DecodeOptions, Hypothesis, TranslationEngine
from mt.engines.phrases import unmet_phrases

APPLIED, FAILED, HUMAN = "applied", "failed", "human"
TIER_HUMAN, TIER_INJECTED, TIER_FORCED = 0, 1, 3
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
    """For each use, whether `target` holds its rendering by the one rule of
    mt.engines.phrases.unmet_phrases, and covered uses when their cover is there."""
    own = [i for i, u in enumerate(uses) if u.covered_by is None]
    unmet = set(unmet_phrases(target, [uses[i].form for i in own]))
    result = [False] * len(uses)
    for k, index in enumerate(own):
        result[index] = k not in unmet
    for index, use in enumerate(uses):
        if use.covered_by is not None:
            result[index] = any(r for u, r in zip(uses, result, strict=True) if u is use.covered_by)
    return result


@dataclass
class _Unit:
    """One text the engine decodes: a segment, or a piece of a long one, with its terms."""

    text: str  # the model's input as the pipeline gave it
    injected: str  # the same with renderings injected where the terms were found in it
    uses: list[TermUse]
    located: list[Match | None]  # each use's match in `text`, None where it was not found


def _units(
    plans: list[list[TermUse]],
    pieces: Sequence[Sequence[str]],
    matcher: Matcher,
    inject_terms: bool,
) -> list[_Unit]:
    """Split each segment's uses among its pieces, in order, by finding the terms again in each
    piece (the model's input is normalised and maybe cut, so source offsets do not carry over).
    A use whose term is not found in any later piece stays with the previous use's piece and is
    not injected; a covered use in another piece than its cover needs its own rendering."""
    units: list[_Unit] = []
    for uses, texts in zip(plans, pieces, strict=True):
        owner, located = _locate(uses, [matcher.find(t) for t in texts] if uses else [])
        piece_of = {id(use): owner[u] for u, use in enumerate(uses)}
        for use in uses:
            if use.covered_by is not None and piece_of[id(use.covered_by)] != piece_of[id(use)]:
                use.covered_by = None
        for p, text in enumerate(texts):
            own = [u for u in range(len(uses)) if owner[u] == p]
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
    """Translate `segments` holding them to the glossary (the tiers in the module docstring).

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
    hyps = engine.translate([u.text for u in units], options, progress=progress)
    missing = [i for i, u in enumerate(units) if not all(satisfied(hyps[i].text, u.uses))]
    # Injected only where the model's own translation lacks a rendering: the injected words
    # may change others elsewhere ("882" for "82"), so the injected translation competes with
    # the placements of tier 3 (which start from the model's own one) by the model's score.
    injected = [i for i in missing if units[i].injected != units[i].text]
    tier1 = engine.translate([units[i].injected for i in injected], options)
    own = _fits(engine, units, [(i, hyps[i]) for i in missing])
    # Each rival: a translation and its fit, its tier, and whether it was decoded from
    # another input than the real one (then it is read from the real one if kept).
    rivals: dict[int, list[tuple[Judged, int, bool]]] = {
        i: [(judged, TIER_INJECTED, False)] for i, judged in zip(missing, own, strict=True)}
    for i, judged in zip(injected, _fits(engine, units, list(zip(injected, tier1, strict=True))),
                         strict=True):
        rivals[i].append((judged, TIER_INJECTED, True))
    for i, judged in zip(missing, _place(engine, options, units, list(zip(missing, own,
                                                                          strict=True))),
                         strict=True):
        rivals[i].append((judged, TIER_FORCED, False))  # _place reads its own from the real
    chosen = {i: max(found, key=lambda r: _preference(r[0], units[i].uses))
              for i, found in rivals.items()}
    elsewhere = [i for i, (_, _, other_input) in chosen.items() if other_input]
    for i, judged in zip(elsewhere, _read_from_real(engine, units, [(i, chosen[i][0])
                                                                    for i in elsewhere]),
                         strict=True):
        chosen[i] = (judged, *chosen[i][1:])
    for i, unit in enumerate(units):
        own_held = satisfied(hyps[i].text, unit.uses)  # by the model's own translation
        tier = TIER_INJECTED
        if i in chosen:
            (hyps[i], _), tier, _ = chosen[i]
        for use, hit, held in zip(unit.uses, satisfied(hyps[i].text, unit.uses), own_held,
                                  strict=True):
            use.tier = (TIER_INJECTED if held else tier) if hit else None

    for segment, uses in zip(segments, plans, strict=True):
        segment.matches = uses
        segment.glossary = glossary_column(uses)
    return hyps


Judged = tuple[Hypothesis, float]  # a translation and its fit


def _fits(
    engine: TranslationEngine, units: list[_Unit], pairs: list[tuple[int, Hypothesis]]
) -> list[Judged]:
    """Each (unit, translation) with its fit: the mean log-probability per token against the
    unit's real input plus that against the input with the renderings injected. Against the
    real input alone, a translation that keeps the model's own rendering beside the
    glossary's reads well; against the injected one alone, one whose injection changed a number
    elsewhere does; a translation that drops words reads badly against both. Log-probabilities
    only: the attention of the many texts scored here would go unread."""
    texts = [hyp.text for _, hyp in pairs]
    real = engine.score([units[k].text for k, _ in pairs], texts, with_attention=False)
    fits = [hyp.mean_logprob for hyp in real]
    dual = [n for n, (k, _) in enumerate(pairs) if units[k].injected != units[k].text]
    read = engine.score([units[pairs[n][0]].injected for n in dual], [texts[n] for n in dual],
                        with_attention=False)
    for n, hyp in zip(dual, read, strict=True):
        fits[n] += hyp.mean_logprob
    return [(hyp, fit) for (_, hyp), fit in zip(pairs, fits, strict=True)]


def _read_from_real(
    engine: TranslationEngine, units: list[_Unit], pairs: list[tuple[int, Judged]]
) -> list[Judged]:
    """Each kept translation force-decoded from its unit's real input, so that its
    log-probabilities and attention (the quality signals, the word alignment and tier 3's
    placement) describe the source the outputs show, not the injected input or the forced
    prefix it came from; its fit stays."""
    if not pairs:
        return []
    real = engine.score([units[k].text for k, _ in pairs], [hyp.text for _, (hyp, _) in pairs])
    for scored, (_, (hyp, _)) in zip(real, pairs, strict=True):
        scored.text = hyp.text  # the very text verified, whatever the detokeniser does
        scored.from_memory = hyp.from_memory  # the text's origin, not its scoring's
        scored.extra = {**hyp.extra, **scored.extra}  # what decoding noted (a length cut)
    return [(scored, fit) for scored, (_, (_, fit)) in zip(real, pairs, strict=True)]


def _preference(judged: Judged, uses: Sequence[TermUse]) -> tuple[int, float]:
    """Which of two translations of the same input to keep: the one holding more renderings,
    then the one the model finds the better fit."""
    return sum(satisfied(judged[0].text, uses)), judged[1]


def _place(
    engine: TranslationEngine,
    options: DecodeOptions,
    units: list[_Unit],
    starts: list[tuple[int, Judged]],
) -> list[Judged]:
    """Tier 3: each missing rendering put where the model renders its term, one per round.

    Starts from the model's free translation of the real input (`starts`: unit index and that
    translation). Each round, in every unit that still lacks a rendering, the earliest one in
    the English is placed. The attention (glossary.placement) says roughly where the term is
    translated; a small model's attention is not exact, so every span near there that may be
    the model's own rendering is replaced by the glossary's and the model scores each such text
    (_fits; scored only, never output). The words before the best span and the rendering,
    alone and then with the model's next own word, are forced as a prefix, from the real input
    and from the injected one, and the model continues freely, so its own rendering gives way
    instead of staying beside it. The decode that holds the rendering, holds no fewer than
    before, and fits best is kept; a rendering no decode holds (a piece the model cannot
    produce) is left failed. Words forced once stay forced.
    """
    index = [k for k, _ in starts]
    current = [judged for _, judged in starts]
    forced_words = [0] * len(starts)
    given_up: list[set[int]] = [set() for _ in starts]
    babble = [p for p, (hyp, _) in enumerate(current) if hyp.extra.get("truncated")]
    for p, judged in zip(babble, _forced_together(engine, options, units,
                                                  [(index[p], current[p]) for p in babble]),
                         strict=True):
        current[p] = judged
        given_up[p] = set(range(len(units[index[p]].uses)))
    for _ in range(2 * max((len(units[k].uses) for k in index), default=0) + 1):
        spans: list[tuple[int, int, tuple[int, int]]] = []  # position, use, span
        for p, k in enumerate(index):
            unit, hyp = units[k], current[p][0]
            choices = []
            for u, (use, hit) in enumerate(zip(unit.uses, satisfied(hyp.text, unit.uses),
                                               strict=True)):
                if hit or use.covered_by is not None or u in given_up[p]:
                    continue
                match = unit.located[u]
                words = len(hyp.text.split())
                short = use.match.entry.target if use.form != use.match.entry.target else ""
                found = (placement.candidate_spans(hyp, unit.text, match, forced_words[p], short)
                         if match is not None else [(words, words)])
                choices.append((found, u))
            if choices:
                found, u = min(choices)
                spans += [(p, u, span) for span in found]
        if not spans:
            break
        # The span the model finds the best to replace: scored, never output.
        edits = _fits(engine, units, [
            (index[p], _text_only(placement.replaced(current[p][0].text, span,
                                                     units[index[p]].uses[u].form)))
            for p, u, span in spans])
        chosen: dict[int, tuple[int, tuple[int, int], float]] = {}
        for (p, u, span), (edit, fit) in zip(spans, edits, strict=True):
            rank = (sum(satisfied(edit.text, units[index[p]].uses)), fit)
            if p not in chosen or rank > chosen[p][2]:
                chosen[p] = (u, span, rank)
        todo: list[tuple[int, int, str, str]] = []  # position, use, input, prefix
        for p, (u, span, _) in chosen.items():
            unit = units[index[p]]
            for prefix in placement.resumed_prefixes(current[p][0].text, span,
                                                     unit.uses[u].form):
                todo += [(p, u, source, prefix)
                         for source in dict.fromkeys((unit.text, unit.injected))]
        redone = engine.translate([source for _, _, source, _ in todo], options,
                                  prefixes=[prefix for _, _, _, prefix in todo])
        judged = _fits(engine, units, [(index[p], h) for (p, *_), h in zip(todo, redone,
                                                                           strict=True)])
        best: dict[int, tuple[Judged, str]] = {}
        for (p, u, _, prefix), candidate in zip(todo, judged, strict=True):
            uses = units[index[p]].uses
            held = sum(satisfied(current[p][0].text, uses))
            rank = _preference(candidate, uses)
            if not satisfied(candidate[0].text, uses)[u] or rank[0] < held:
                continue
            if p not in best or rank > _preference(best[p][0], uses):
                best[p] = (candidate, prefix)
        kept = list(best)
        for p, judged in zip(kept, _read_from_real(engine, units, [(index[p], best[p][0])
                                                                   for p in kept]),
                             strict=True):
            current[p] = judged
            forced_words[p] = len(best[p][1].split())
        for p, (u, _, _) in chosen.items():
            if p not in best:
                given_up[p].add(u)
    return current


def _forced_together(
    engine: TranslationEngine,
    options: DecodeOptions,
    units: list[_Unit],
    starts: list[tuple[int, Judged]],
) -> list[Judged]:
    """Tier 3 for a translation that ran to its length budget: a loop or babble, with no
    sentence to place a rendering in and no span that is the model's own rendering. Its missing
    renderings, in source order, are forced together as the prefix of one decode of the real
    input, the model continuing freely; kept if it holds more renderings. One decode keeps the
    glossary's guarantee where a round per rendering, each scoring some thirty spans of a text
    at its length cap, cost tens of decodes (a 6,000-word line on the random tiny model)."""
    prefixes = [
        " ".join(use.form for use, hit in zip(units[k].uses, satisfied(hyp.text, units[k].uses),
                                              strict=True)
                 if not hit and use.covered_by is None)
        for k, (hyp, _) in starts]
    redone = engine.translate([units[k].text for k, _ in starts], options, prefixes=prefixes)
    tried = _fits(engine, units, [(k, hyp) for (k, _), hyp in zip(starts, redone, strict=True)])
    better = [n for n, ((k, start), judged) in enumerate(zip(starts, tried, strict=True))
              if _preference(judged, units[k].uses) > _preference(start, units[k].uses)]
    result = [start for _, start in starts]
    for n, judged in zip(better, _read_from_real(engine, units, [(starts[n][0], tried[n])
                                                                 for n in better]),
                         strict=True):
        result[n] = judged
    return result


def _text_only(text: str) -> Hypothesis:
    return Hypothesis(text, [], [], [])


def verify_human(segments: Sequence[Segment], plans: Sequence[list[TermUse]]) -> None:
    """Check human translations against their planned renderings, without changing a word:
    sets each segment's `matches` and `glossary` column."""
    for segment, uses in zip(segments, plans, strict=True):
        for use, held in zip(uses, satisfied(segment.target, uses), strict=True):
            use.human = True
            use.tier = TIER_HUMAN if held else None
        segment.matches = uses
        segment.glossary = glossary_column(uses)


@contextmanager
def keep_terms(segments: Sequence[Segment]) -> Iterator[None]:
    """Undo any change to a segment, inside the block, that loses a glossary term it held.

    Later stages may translate a segment again (quality's retry of weak translations) without
    the glossary's constraints; a new translation that drops an applied term is not kept.
    """
    held = [(s, copy.deepcopy(s)) for s in segments if any(u.tier is not None for u in s.matches)]
    yield
    for segment, before in held:
        if segment.target == before.target:
            continue
        now = satisfied(segment.target, segment.matches)
        if any(u.tier is not None and not ok for u, ok in zip(segment.matches, now, strict=True)):
            for name in (f.name for f in fields(Segment)):
                setattr(segment, name, getattr(before, name))
