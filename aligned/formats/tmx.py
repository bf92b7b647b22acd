"""TMX 1.4 for translation-memory tools (OmegaT, memoQ, Trados): one <tu> per translated
sentence, srclang ar, score and flag as <prop>s. Boilerplate and sentences without English are
left out: a translation memory holds translations."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from aligned.formats.base import WriteContext, Writer
from aligned.formats.xml_text import xml_safe
from mt.document import Document, Segment
from mt.version import __version__

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG, TARGET_LANG = "ar", "en"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def in_memory(seg: Segment) -> bool:
    return seg.kind != "boilerplate" and bool(seg.target.strip())


def _prop(parent: ET.Element, kind: str, value: str) -> None:
    ET.SubElement(parent, "prop", type=f"x-{kind}").text = xml_safe(value)


def _unit(seg: Segment) -> ET.Element:
    unit = ET.Element("tu", tuid=f"{seg.doc_id}:{seg.seg}")
    _prop(unit, "doc_id", seg.doc_id)
    _prop(unit, "seg", str(seg.seg))
    if seg.score is not None:
        _prop(unit, "score", f"{seg.score:.4f}")
    _prop(unit, "flag", seg.flag)
    if seg.reasons:
        _prop(unit, "reasons", "; ".join(seg.reasons))
    for lang, text in ((SOURCE_LANG, seg.source), (TARGET_LANG, seg.target)):
        variant = ET.SubElement(unit, "tuv", {XML_LANG: lang})
        ET.SubElement(variant, "seg").text = xml_safe(text)
    return unit


class TmxWriter(Writer):
    name = "tmx"
    suffix = ".tmx"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        root = ET.Element("tmx", version="1.4")
        header = ET.SubElement(
            root, "header",
            creationtool="jisr", creationtoolversion=__version__, segtype="sentence",
            adminlang="en", srclang=SOURCE_LANG, datatype="plaintext",
            **{"o-tmf": "jisr"},
        )
        if context.signature:
            _prop(header, "signature", context.signature)
        body = ET.SubElement(root, "body")
        body.extend(_unit(seg) for doc in docs for seg in doc.segments if in_memory(seg))
        ET.indent(root)
        xml = ET.tostring(root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{xml}\n'
