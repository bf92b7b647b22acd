"""XLIFF 1.2 for CAT tools: one <file> per article, one <trans-unit> per segment. A machine
target awaits review (state needs-review-translation, state-qualifier mt-suggestion); a human
translation that the translation memory matched exactly is translated (exact-match). Fuzzy
matches follow as <alt-trans> proposals, best first, with their match-quality (the percentage),
origin `tm` (or `tm+placeables` when numbers or names were replaced) and a target
leveraged-tm. The score, flag and reasons go in a <note>. Boilerplate is kept, marked
translate="no", so that nothing of the article is lost."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from aligned.formats.base import WriteContext, Writer
from aligned.formats.xml_text import xml_safe
from mt.document import Document, Segment, TmMatch
from mt.version import __version__

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
TOOL_ID = "jisr"


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def quality_note(seg: Segment) -> str:
    score = "none" if seg.score is None else f"{seg.score:.4f}"
    note = f"jisr score {score}, flag {seg.flag or 'none'}"
    return note + (": " + "; ".join(seg.reasons) if seg.reasons else "")


def unit_id(seg: Segment) -> str:
    return f"{seg.doc_id}:{seg.seg}"


def target_state(seg: Segment) -> dict[str, str]:
    if seg.origin == "human":
        return {"state": "translated", "state-qualifier": "exact-match"}
    return {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}


def _alt_trans(match: TmMatch) -> ET.Element:
    alt = ET.Element(_tag("alt-trans"), {
        "match-quality": str(match.percent), "origin": "tm+placeables" if match.adapted else "tm",
        "tool-id": TOOL_ID,
    })
    ET.SubElement(alt, _tag("source")).text = xml_safe(match.source)
    ET.SubElement(alt, _tag("target"), {
        "state": "needs-review-translation", "state-qualifier": "leveraged-tm",
    }).text = xml_safe(match.offered)
    note = f"translation memory: {match.file} {match.unit}"
    if match.adapted:
        note += "; numbers or names replaced (placeables), the human translation was: " + \
            match.target
    ET.SubElement(alt, _tag("note"), {"from": TOOL_ID}).text = xml_safe(note)
    return alt


def _unit(seg: Segment) -> ET.Element:
    attributes = {"id": unit_id(seg)}
    if seg.kind == "boilerplate":
        attributes["translate"] = "no"
    unit = ET.Element(_tag("trans-unit"), attributes)
    ET.SubElement(unit, _tag("source")).text = xml_safe(seg.source)
    if seg.target:
        ET.SubElement(unit, _tag("target"), target_state(seg)).text = xml_safe(seg.target)
    ET.SubElement(unit, _tag("note"), {"from": TOOL_ID}).text = xml_safe(quality_note(seg))
    unit.extend(_alt_trans(match) for match in seg.tm_matches)
    return unit


def _file(doc: Document, signature: str) -> ET.Element:
    file = ET.Element(_tag("file"), {
        "original": xml_safe(doc.source_path or doc.doc_id), "source-language": "ar",
        "target-language": "en", "datatype": "plaintext", "tool-id": TOOL_ID,
    })
    header = ET.SubElement(file, _tag("header"))
    ET.SubElement(header, _tag("tool"), {
        "tool-id": TOOL_ID, "tool-name": "jisr", "tool-version": __version__,
    })
    if signature:
        ET.SubElement(header, _tag("note"), {"from": TOOL_ID}).text = xml_safe(signature)
    body = ET.SubElement(file, _tag("body"))
    body.extend(_unit(seg) for seg in doc.segments)
    return file


class XliffWriter(Writer):
    name = "xliff"
    suffix = ".xlf"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        ET.register_namespace("", NAMESPACE)
        root = ET.Element(_tag("xliff"), version="1.2")
        root.extend(_file(doc, context.signature) for doc in docs)
        ET.indent(root)
        xml = ET.tostring(root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
