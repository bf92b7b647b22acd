"""Parsing reviewed XML files safely, and the text of segments with inline markup."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from mt.errors import InputError

# Inline elements whose content is the original's native code (a tag of the source document),
# not text: XLIFF 1.2 and TMX 1.4 share these names.
NATIVE_CODE = frozenset(("bpt", "ept", "ph", "it", "ut"))


def parse_xml(path: Path, data: bytes) -> etree._Element:
    """The root element; no entity expansion, no network (a reviewed file comes from outside)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{path}: not well-formed XML ({error.msg}).") from error


def local_name(element: etree._Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def segment_text(element: etree._Element | None) -> str:
    """The text of a <source>, <target> or <seg>: inline elements' text (g, mrk, hi, sub)
    kept, native code (bpt, ept, ph, it, ut) left out, placeholders (x, bx, ex) empty."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and local_name(child) not in NATIVE_CODE:  # no comments
            parts.append(segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
