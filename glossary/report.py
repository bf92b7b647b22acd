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
   entry; its proposed target is the most frequent rendering, and it is shown as most often
   written.

Words inside a glossary match, and names inside a glossary rendering, are no suggestion: an
entry covers them already.

Merging. Everything the report says is a sum of counts, kept in TermCounts: entry usage per
document and over all of them, and every (Arabic span, English name) pair seen, including the
spans seen with a single rendering so far (another input may hold the second). The counts of a
batch are the merge of the counts of its inputs (or workers), and the report of the merged
counts is the report over all the documents at once; a batch never holds its documents to make
it. Ties are broken by text, never by which part came first, so merging in any order gives the
same bytes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from glossary.match import CONJUNCTIONS
from glossary.normalize import fold
from mt.document import Document, Segment

if TYPE_CHECKING:  # the report reads what enforcement left; it needs no engine code
    from glossary.uses import TermUse

ALL_DOCUMENTS = "*"
MAX_NAME_WORDS = 4
# human_failed: of the failed occurrences, those in human translations (jisr tm import), which
# are never forced to the glossary: a translator's choice, or a mistake, to look at.
REPORT_COLUMNS = (
    "kind", "doc_id", "source", "target", "occurrences", "applied", "failed", "human_failed",
    "renderings",
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
    human_failed: int = 0
    renderings: Counter = field(default_factory=Counter)

    def add(self, use: TermUse) -> None:
        self.occurrences += 1
        self.applied += use.tier is not None
        self.failed += use.tier is None
        self.human_failed += use.tier is None and use.human
        self.renderings[use.form] += 1

    def merge(self, other: EntryUsage) -> None:
        self.occurrences += other.occurrences
        self.applied += other.applied
        self.failed += other.failed
        self.human_failed += other.human_failed
        self.renderings.update(other.renderings)

    def as_json(self) -> dict:
        return {"source": self.source, "target": self.target, "occurrences": self.occurrences,
                "applied": self.applied, "failed": self.failed,
                "human_failed": self.human_failed, "renderings": dict(self.renderings)}

    @classmethod
    def from_json(cls, data: dict) -> EntryUsage:
        # Counts written before human translations existed have no human_failed.
        return cls(data["source"], data["target"], data["occurrences"], data["applied"],
                   data["failed"], data.get("human_failed", 0), Counter(data["renderings"]))


@dataclass(frozen=True)
class Suggestion:
    source: str  # the Arabic as most often written
    renderings: tuple[tuple[str, int], ...]  # (rendering, count), most frequent first

    @property
    def target(self) -> str:
        return self.renderings[0][0]

    @property
    def occurrences(self) -> int:
        return sum(count for _, count in self.renderings)


def _ranked(counts: Counter) -> list[tuple[str, int]]:
    """Most frequent first, ties by text: the same order whatever order the counts came in."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _merge_usage(into: dict[str, EntryUsage], usage: Iterable[EntryUsage]) -> None:
    for item in usage:
        into.setdefault(item.source, EntryUsage(item.source, item.target)).merge(item)


@dataclass
class TermCounts:
    """The report's counts over some documents; `merge` adds another part's (see the module
    docstring). `documents` may be left out of a merge to keep memory bounded by the glossary
    and the names seen, not by the number of documents."""

    documents: dict[str, dict[str, EntryUsage]] = field(default_factory=dict)  # doc order
    entries: dict[str, EntryUsage] = field(default_factory=dict)  # over all the documents
    names: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    spellings: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @classmethod
    def of(cls, docs: Iterable[Document]) -> TermCounts:
        counts = cls()
        for doc in docs:
            counts.add(doc)
        return counts

    def add(self, doc: Document) -> None:
        """Count one translated document."""
        usage: dict[str, EntryUsage] = {}
        for segment in _segments(doc):
            for use in segment.matches:
                entry = use.match.entry
                usage.setdefault(entry.source, EntryUsage(entry.source, entry.target)).add(use)
            for arabic, name in _segment_names(segment):
                key = fold(arabic)
                self.names[key][name] += 1
                self.spellings[key][arabic] += 1
        if usage:
            _merge_usage(self.documents.setdefault(doc.doc_id, {}), usage.values())
            _merge_usage(self.entries, usage.values())

    def merge(self, other: TermCounts, documents: bool = True) -> None:
        if documents:
            for doc_id, usage in other.documents.items():
                _merge_usage(self.documents.setdefault(doc_id, {}), usage.values())
        _merge_usage(self.entries, other.entries.values())
        for key, names in other.names.items():
            self.names[key].update(names)
        for key, spellings in other.spellings.items():
            self.spellings[key].update(spellings)

    def suggestions(self) -> list[Suggestion]:
        """Uncovered Arabic names rendered in more than one way (see the module docstring)."""
        seen = defaultdict(Counter, {key: Counter(names) for key, names in self.names.items()})
        # وفالح الفياض is فالح الفياض after the conjunction "and" when the batch has the bare
        # form too; Falih itself starts with ف, so a letter alone proves nothing. Longest first,
        # so that ووفالح joins وفالح before وفالح joins فالح, whatever order the keys came in.
        # The name is shown as its bare form is written.
        joined = sorted((k for k in seen if k[:1] in CONJUNCTIONS and k[1:] in seen),
                        key=lambda k: (-len(k), k))
        for key in joined:
            seen[key[1:]].update(seen.pop(key))
        found = [
            Suggestion(_ranked(self.spellings[key])[0][0], tuple(_ranked(renderings)))
            for key, renderings in seen.items()
            if len(renderings) > 1
        ]
        return sorted(found, key=lambda s: (-s.occurrences, s.source))

    def as_json(self) -> dict:
        return {
            "documents": [[doc_id, [u.as_json() for u in usage.values()]]
                          for doc_id, usage in self.documents.items()],
            "entries": [u.as_json() for u in self.entries.values()],
            "names": {key: dict(names) for key, names in self.names.items()},
            "spellings": {key: dict(spellings) for key, spellings in self.spellings.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> TermCounts:
        """The counts `as_json` gave; a KeyError or TypeError if `data` is not such counts."""
        def usage(items: list[dict]) -> dict[str, EntryUsage]:
            return {item["source"]: EntryUsage.from_json(item) for item in items}

        return cls(
            {doc_id: usage(items) for doc_id, items in data["documents"]},
            usage(data["entries"]),
            defaultdict(Counter, {k: Counter(v) for k, v in data["names"].items()}),
            defaultdict(Counter, {k: Counter(v) for k, v in data["spellings"].items()}),
        )


def _segments(doc: Document) -> list[Segment]:
    return [s for s in doc.segments if s.kind != "boilerplate" or s.target]


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


def _segment_names(segment: Segment) -> Iterator[tuple[str, str]]:
    """(Arabic as written, English name) of each uncovered name the segment renders."""
    if not segment.alignment or not segment.target:
        return
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
        yield arabic, name


def suggestions(docs: Iterable[Document]) -> list[Suggestion]:
    """Uncovered Arabic names rendered in more than one way (see the module docstring)."""
    return TermCounts.of(docs).suggestions()


def _renderings(counts: Iterable[tuple[str, int]]) -> str:
    return " | ".join(f"{text} ({count})" for text, count in counts)


def _entry_rows(scope: str, usage: Iterable[EntryUsage]) -> Iterator[tuple[str, ...]]:
    for item in usage:
        yield (
            "entry", scope, item.source, item.target, str(item.occurrences),
            str(item.applied), str(item.failed), str(item.human_failed),
            _renderings(_ranked(item.renderings)),
        )


def document_rows(counts: TermCounts) -> Iterator[tuple[str, ...]]:
    """The rows of each document of `counts`, its entries in the order they first occur."""
    for doc_id, usage in counts.documents.items():
        yield from _entry_rows(doc_id, usage.values())


def total_rows(counts: TermCounts) -> Iterator[tuple[str, ...]]:
    """The rows over all the documents (most used entry first), then the suggestions."""
    usage = sorted(counts.entries.values(), key=lambda u: (-u.occurrences, u.source))
    yield from _entry_rows(ALL_DOCUMENTS, usage)
    for suggestion in counts.suggestions():
        yield (
            "suggestion", ALL_DOCUMENTS, suggestion.source, suggestion.target,
            str(suggestion.occurrences), "", "", "", _renderings(suggestion.renderings),
        )


def count_rows(counts: TermCounts) -> Iterator[tuple[str, ...]]:
    """The report as rows of REPORT_COLUMNS: entries per document, then over all documents,
    then suggested entries (doc_id ALL_DOCUMENTS, the counts of uses empty)."""
    yield from document_rows(counts)
    yield from total_rows(counts)


def merged_rows(parts: Iterable[TermCounts]) -> Iterator[tuple[str, ...]]:
    """The report of a batch from the counts of its parts, in order: each part's document rows
    as it comes, then the rows over the whole batch. Only the merged totals stay in memory;
    a doc_id found in two parts gets rows in each."""
    total = TermCounts()
    for part in parts:
        yield from document_rows(part)
        total.merge(part, documents=False)
    yield from total_rows(total)


def report_rows(docs: Iterable[Document]) -> list[tuple[str, ...]]:
    """The report over `docs` as rows of REPORT_COLUMNS (see `count_rows`)."""
    return list(count_rows(TermCounts.of(docs)))
