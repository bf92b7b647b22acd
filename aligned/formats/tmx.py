"""TMX 1.4 for translation-memory tools (OmegaT, memoQ, Trados): one <tu> per translated
sentence, srclang ar, score, flag and origin as <prop>s. Boilerplate and sentences without
English are left out: a translation memory holds translations. `human_tmx` writes the human
translations of jisr's memory (`jisr tm export`) in the same shape."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from aligned.formats.base import WriteContext, Writer
from aligned.formats.xml_text import xml_safe
from mt.document import Document, Segment
from mt.human_memory import HumanTranslation
from mt.version import __version__

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG, TARGET_LANG = "ar", "en"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def in_memory(seg: Segment) -> bool:
    return seg.kind != "boilerplate" and bool(seg.target.strip())


def _prop(parent: ET.Element, kind: str, value: str) -> None:
    ET.SubElement(parent, "prop", type=f"x-{kind}").text = xml_safe(value)


def _variants(unit: ET.Element, source: str, target: str) -> ET.Element:
    for lang, text in ((SOURCE_LANG, source), (TARGET_LANG, target)):
        variant = ET.SubElement(unit, "tuv", {XML_LANG: lang})
        ET.SubElement(variant, "seg").text = xml_safe(text)
    return unit


def _unit(seg: Segment) -> ET.Element:
    unit = ET.Element("tu", tuid=f"{seg.doc_id}:{seg.seg}")
    _prop(unit, "doc_id", seg.doc_id)
    _prop(unit, "seg", str(seg.seg))
    if seg.score is not None:
        _prop(unit, "score", f"{seg.score:.4f}")
    _prop(unit, "flag", seg.flag)
    _prop(unit, "origin", seg.origin)
    if seg.reasons:
        _prop(unit, "reasons", "; ".join(seg.reasons))
    return _variants(unit, seg.source, seg.target)


def _human_unit(translation: HumanTranslation) -> ET.Element:
    imported = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(translation.imported))
    unit = ET.Element("tu", creationdate=imported)
    _prop(unit, "origin", "human")
    _prop(unit, "file", translation.file)
    _prop(unit, "unit", translation.unit)
    return _variants(unit, translation.source, translation.target)


def _tmx(units: Iterable[ET.Element], signature: str = "") -> str:
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        root, "header",
        creationtool="jisr", creationtoolversion=__version__, segtype="sentence",
        adminlang="en", srclang=SOURCE_LANG, datatype="plaintext",
        **{"o-tmf": "jisr"},
    )
    if signature:
        _prop(header, "signature", signature)
    ET.SubElement(root, "body").extend(units)
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{xml}\n'


def human_tmx(translations: Iterable[HumanTranslation]) -> str:
    return _tmx(_human_unit(translation) for translation in translations)


class TmxWriter(Writer):
    name = "tmx"
    suffix = ".tmx"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        units = (_unit(seg) for doc in docs for seg in doc.segments if in_memory(seg))
        return _tmx(units, context.signature)
