"""The consistency report: how each glossary entry was rendered, per document and over all the
documents given, and the names no entry covers that the model rendered in more than one way.

Suggested entries come from the word alignment the quality stage derives from the model's
cross-attention (Segment.alignment, Pharaoh links between whitespace words of the model's input
and of the target):

1. in each translated sentence, a *name* is a maximal run of target words that start with a
   capital Latin letter (an "al-"/"ez-" style particle before it allowed), leaving out a single
   capitalised word that opens the sentence, which is capitalised for another reason;
2. the Arabic it renders is the span of source words linked to the name's words (at most
   MAX_NAME_WORDS words), folded as matching folds it (glossary.normalize); a span that is
   another span with a conjunction و/ف written onto it counts as that span;
3. an Arabic span rendered by two or more different names across the documents is a suggested
   entry; its proposed target is the most frequent rendering.

Words inside a glossary match, and names inside a glossary rendering, are no suggestion: an
entry covers them already.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from glossary.match import CONJUNCTIONS
from glossary.normalize import fold
from mt.document import Document, Segment

if TYPE_CHECKING:  # the report reads what enforcement left; it needs no engine code
    from glossary.enforce import TermUse

ALL_DOCUMENTS = "*"
MAX_NAME_WORDS = 4
REPORT_COLUMNS = (
    "kind", "doc_id", "source", "target", "occurrences", "applied", "failed", "renderings",
)
_NAME_WORD = re.compile(r"^[\"'“‘(\[]*(?:[a-z]{1,2}-)?[A-Z]")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?،؛؟«»"


@dataclass
class EntryUsage:
    """What became of one entry's occurrences in one scope (a document, or all of them)."""

    source: str
    target: str
    occurrences: int = 0
    applied: int = 0
    failed: int = 0
    renderings: Counter = field(default_factory=Counter)

    def add(self, use: TermUse) -> None:
        self.occurrences += 1
        self.applied += use.tier is not None
        self.failed += use.tier is None
        self.renderings[use.form] += 1


@dataclass(frozen=True)
class Suggestion:
    source: str  # the Arabic as first written
    renderings: tuple[tuple[str, int], ...]  # (rendering, count), most frequent first

    @property
    def target(self) -> str:
        return self.renderings[0][0]

    @property
    def occurrences(self) -> int:
        return sum(count for _, count in self.renderings)


def _segments(doc: Document) -> list[Segment]:
    return [s for s in doc.segments if s.kind != "boilerplate" or s.target]


def entry_usage(docs: Iterable[Document]) -> dict[str, dict[str, EntryUsage]]:
    """doc_id -> entry source -> usage, with ALL_DOCUMENTS for the sum over `docs`."""
    usage: dict[str, dict[str, EntryUsage]] = defaultdict(dict)
    for doc in docs:
        for segment in _segments(doc):
            for use in segment.matches:
                entry = use.match.entry
                for scope in (doc.doc_id, ALL_DOCUMENTS):
                    usage[scope].setdefault(entry.source, EntryUsage(entry.source, entry.target))
                    usage[scope][entry.source].add(use)
    return dict(usage)


def _names(words: list[str]) -> list[tuple[int, int]]:
    """[start, end) word ranges of capitalised runs, without a lone sentence-initial word."""
    spans, start = [], None
    for index, word in enumerate([*words, ""]):
        if word and _NAME_WORD.match(word):
            start = index if start is None else start
            continue
        if start is not None and not (start == 0 and index == 1):
            spans.append((start, index))
        start = None
    return spans


def _links(alignment: str) -> list[tuple[int, int]]:
    pairs = (link.split("-") for link in alignment.split())
    return [(int(s), int(t)) for s, t in pairs]


def _clean(words: Sequence[str]) -> str:
    return " ".join(w.strip(_EDGE_PUNCTUATION) for w in words).strip()


def suggestions(docs: Iterable[Document]) -> list[Suggestion]:
    """Uncovered Arabic names rendered in more than one way (see the module docstring)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    written: dict[str, str] = {}
    for doc in docs:
        for segment in _segments(doc):
            if not segment.alignment or not segment.target:
                continue
            source_words = (segment.mt_source or segment.source).split()
            target_words = segment.target.split()
            links = _links(segment.alignment)
            covered = {w for use in segment.matches for w in fold(use.match.surface).split()}
            renderings = [use.form for use in segment.matches]
            for start, end in _names(target_words):
                linked = sorted({s for s, t in links if start <= t < end and s < len(source_words)})
                if not linked or linked[-1] - linked[0] >= MAX_NAME_WORDS:
                    continue
                arabic = _clean(source_words[linked[0] : linked[-1] + 1])
                name = _clean(target_words[start:end])
                key = fold(arabic)
                if not key or covered & set(key.split()) or any(name in r for r in renderings):
                    continue
                written.setdefault(key, arabic)
                seen[key][name] += 1
    # وفالح الفياض is فالح الفياض after the conjunction "and" when the batch has the bare form
    # too; Falih itself starts with ف, so a letter alone proves nothing.
    for key in [k for k in seen if k[:1] in CONJUNCTIONS and k[1:] in seen]:
        seen[key[1:]].update(seen.pop(key))
    found = []
    for key, renderings in seen.items():
        if len(renderings) > 1:
            ranked = sorted(renderings.items(), key=lambda item: (-item[1], item[0]))
            found.append(Suggestion(written[key], tuple(ranked)))
    return sorted(found, key=lambda s: (-s.occurrences, s.source))


def _renderings(counts: Iterable[tuple[str, int]]) -> str:
    return " | ".join(f"{text} ({count})" for text, count in counts)


def report_rows(docs: Sequence[Document]) -> list[tuple[str, ...]]:
    """The report as rows of REPORT_COLUMNS: entries per document, then over all documents,
    then suggested entries (doc_id ALL_DOCUMENTS, applied and failed empty)."""
    rows: list[tuple[str, ...]] = []
    usage = entry_usage(docs)
    scopes = [d.doc_id for d in docs if d.doc_id in usage]
    scopes += [ALL_DOCUMENTS] if ALL_DOCUMENTS in usage else []
    for scope in dict.fromkeys(scopes):
        for item in usage[scope].values():
            rows.append((
                "entry", scope, item.source, item.target, str(item.occurrences),
                str(item.applied), str(item.failed), _renderings(item.renderings.most_common()),
            ))
    for suggestion in suggestions(docs):
        rows.append((
            "suggestion", ALL_DOCUMENTS, suggestion.source, suggestion.target,
            str(suggestion.occurrences), "", "", _renderings(suggestion.renderings),
        ))
    return rows
