"""The document model shared by every stage. A leaf module: it imports nothing of the project."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

KINDS = ("content", "heading", "boilerplate")
FLAGS = ("ok", "review", "bad", "skipped")
# Where a target came from: decoded now, an earlier decoding from the machine-translation cache,
# or a human translation from the translation memory (jisr tm import). `mt-cache` was `memory`
# before 0.2: in CAT tools the translation memory is the human one.
ORIGINS = ("mt", "mt-cache", "human")


@dataclass
class Block:
    """A paragraph-level unit of the cleaned text, tagged by what it is."""

    text: str
    kind: str  # one of KINDS
    para: int  # 0-based paragraph index in the document
    start: int  # character offset of `text` in Document.text


class SourceSpan(Protocol):
    """Where a glossary term stands in a segment's source: `source[start:end] == surface`."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def surface(self) -> str: ...


class GlossaryUse(Protocol):
    """One use of a glossary term in a segment and what became of it: the interface of
    glossary.enforce.TermUse, declared here so that the document model imports nothing above it."""

    @property
    def match(self) -> SourceSpan: ...
    @property
    def form(self) -> str: ...  # the rendering the translation must hold
    @property
    def covered_by(self) -> GlossaryUse | None: ...  # the use whose rendering holds this one's
    @property
    def status(self) -> str: ...  # applied/<tier>, human or failed


@dataclass(frozen=True)
class TmMatch:
    """A fuzzy match: a human translation from the translation memory whose source is close to
    a segment's. Offered beside the segment's target, never put in its place."""

    percent: int  # word-level similarity of the folded sources, below 100 (aligned.tm.index)
    source: str  # the memory's source
    target: str  # its human translation
    file: str  # where the translation was imported from, and its unit id there
    unit: str
    changed: tuple[tuple[int, int], ...] = ()  # spans of `source`'s words the segment lacks
    # `target` with the numbers and glossary names that differ replaced (placeables); empty
    # unless those are the only differences and each was found in `target` exactly once.
    adapted: str = ""

    @property
    def offered(self) -> str:
        """What a translator would take: the adapted target, or the target as it is."""
        return self.adapted or self.target


@dataclass
class Segment:
    """One sentence (or heading, or boilerplate line): a row of every output."""

    doc_id: str
    seg: int  # 0-based index in the document
    para: int
    kind: str
    source: str  # as the cleaned article has it
    start: int  # character offsets into Document.text
    end: int
    mt_source: str = ""  # normalised text fed to the model
    target: str = ""
    score: float | None = None  # in [0, 1]; None when not scored
    flag: str = ""  # one of FLAGS
    glossary: str = ""  # the TSV glossary column
    origin: str = ""  # one of ORIGINS once translated; empty while there is no target
    split: bool = False  # translated in pieces because it was too long for the model
    retried: bool = False
    alignment: str = ""  # Pharaoh word alignment "0-0 1-2 ..."
    signals: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)  # why the flag is not ok, in words
    matches: list[GlossaryUse] = field(default_factory=list)  # the glossary's terms in the source
    tm_matches: list[TmMatch] = field(default_factory=list)  # fuzzy matches, best first


@dataclass
class Document:
    """A cleaned article, its blocks, and the segments cut from them."""

    doc_id: str
    text: str
    blocks: list[Block]
    segments: list[Segment] = field(default_factory=list)
    source_path: str | None = None
    encoding: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def content_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.kind != "boilerplate"]
