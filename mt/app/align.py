"""`jisr align` as a library function: read and segment both files, align, write the outputs.

I/O lives here; the aligner (aligned.sentence_align) and its DP (aligned.dp) are pure.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligned.alignment_tsv import render_alignment_tsv
from aligned.anchors import AnchorReader
from aligned.formats import ALIGNMENT_FORMATS
from aligned.formats.base import WriteContext, atomic_write
from aligned.sentence_align import Alignment, AlignSettings, Side, align_sides
from mt.app.signature import build_signature
from mt.document import Document, Segment
from mt.errors import ConfigurationError, InputError

logger = logging.getLogger(__name__)

ALIGNMENT_FORMAT = "tsv"  # the alignment TSV; every other name is a writer of aligned.formats
ALIGNMENT_SUFFIX = ".align.tsv"
# Below this share of Arabic letters the Arabic side is not Arabic; above it the English side
# is not English (quoted Arabic words or Latin names stay far from it).
ARABIC_SIDE_MIN = 0.5


@dataclass
class AlignedFiles:
    src: Side
    tgt: Side
    alignment: Alignment
    signature: str


def read_side(path: str | Path, lines: bool) -> Side:
    """The sentences of one file: segmented (paragraphs, headings and boilerplate tagged by
    mt.ingest), or with `lines` one sentence per non-empty line, a blank line between
    paragraphs (the convention of hunalign and Vecalign, plus paragraphs)."""
    from mt.decode import decode_bytes
    from mt.ingest import load_bytes, read_path, require_text
    from mt.segment import segment_document

    if lines:
        text, _ = decode_bytes(load_bytes(path), str(path))
        require_text(text, str(path))
        texts, paras, para = [], [], 0
        for line in text.splitlines():
            if line.strip():
                texts.append(line.strip())
                paras.append(para)
            elif texts and paras[-1] == para:
                para += 1
        return Side.of(texts, paras)
    docs = read_path(path)
    if len(docs) != 1:
        raise InputError(f"{path} holds {len(docs)} documents; align takes one article a side.")
    segments = segment_document(docs[0]).segments
    return Side.of([s.source for s in segments], [s.para for s in segments],
                   [s.kind for s in segments])


def check_languages(src: Side, tgt: Side, ar_path: str | Path, en_path: str | Path) -> None:
    """Raise InputError when the Arabic side is not mostly Arabic or the English side is (the
    files given the wrong way round, or the same language twice)."""
    from mt.arabic import arabic_letter_ratio

    order = "give the Arabic article first, then its English translation"
    if arabic_letter_ratio(" ".join(src.texts)) < ARABIC_SIDE_MIN:
        raise InputError(f"{ar_path} is not in Arabic: {order}.")
    if arabic_letter_ratio(" ".join(tgt.texts)) > ARABIC_SIDE_MIN:
        raise InputError(f"{en_path} is in Arabic, not English: {order}.")


def align_files(
    ar_path: str | Path,
    en_path: str | Path,
    *,
    lines: bool = False,
    model: str | None = None,
    engine: str = "auto",
    glossaries: Sequence[str | Path] = (),
    default_glossary: bool = True,
    settings: AlignSettings | None = None,
) -> AlignedFiles:
    """Align an Arabic file with its English translation; with `model`, the MT-assisted pass
    runs too (the model is loaded once, used to translate the Arabic and force-decode beads)."""
    from glossary.termbase import load_termbases

    src, tgt = read_side(ar_path, lines), read_side(en_path, lines)
    check_languages(src, tgt, ar_path, en_path)
    termbase = load_termbases(list(glossaries), default=default_glossary)
    reader = AnchorReader.with_glossary(termbase) if len(termbase) else AnchorReader()
    similarity, loaded = None, None
    if model is not None:
        from aligned.mt_similarity import BeadSimilarity
        from mt.engines import load_engine

        loaded = load_engine(engine, model)
        similarity = BeadSimilarity(loaded, src.texts, tgt.texts)
    settings = settings or AlignSettings()
    alignment = align_sides(src, tgt, settings, reader, similarity)
    signature = build_signature(loaded, termbase=termbase, aligner=settings)
    return AlignedFiles(src, tgt, alignment, signature)


def bead_document(result: AlignedFiles, doc_id: str) -> Document:
    """The alignment as a Document of one Segment per bead, for the writers of aligned.formats
    (TMX, XLIFF, JSONL, HTML, text): source and target are the bead's joined sentences."""
    src, tgt = result.src, result.tgt
    segments = []
    for index, bead in enumerate(result.alignment.beads):
        first_side, first = (src, bead.src[0]) if bead.src else (tgt, bead.tgt[0])
        segments.append(Segment(
            doc_id=doc_id, seg=index, para=first_side.paras[first], kind=first_side.kinds[first],
            source=" ".join(src.texts[i] for i in bead.src),
            start=0, end=0,
            target=" ".join(tgt.texts[j] for j in bead.tgt),
            score=bead.score, flag=bead.flag, signals=dict(bead.signals),
            reasons=list(bead.reasons),
        ))
    return Document(doc_id=doc_id, text="", blocks=[], segments=segments)


def write_alignment(
    result: AlignedFiles, out: str | Path | None, formats: Sequence[str] = (ALIGNMENT_FORMAT,)
) -> list[Path]:
    """Write the alignment TSV to `out` (stdout when None) and every other format beside it,
    named after `out` with the writer's suffix. Returns the files written."""
    from aligned.formats import parse_formats, writer_for

    formats = parse_formats(",".join(formats), ALIGNMENT_FORMATS)
    tsv = render_alignment_tsv(result.alignment.beads, result.src.texts, result.tgt.texts)
    others = [name for name in formats if name != ALIGNMENT_FORMAT]
    if out is None:
        if others:
            raise ConfigurationError("Formats other than tsv need an output file: give -o OUT.")
        sys.stdout.write(tsv)
        return []
    out = Path(out)
    written = []
    if ALIGNMENT_FORMAT in formats:
        atomic_write(out, tsv)
        written.append(out)
    stem = out.name.removesuffix(ALIGNMENT_SUFFIX).removesuffix(".tsv")
    doc = bead_document(result, stem)
    for name in others:
        writer = writer_for(name)
        path = out.with_name(stem + writer.suffix)
        writer.write([doc], path, WriteContext(signature=result.signature))
        written.append(path)
    return written
