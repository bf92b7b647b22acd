"""TMX 1.4 (and the 1.1-1.3 files older tools still write) from any tool.

A translation memory holds translations, so every unit with an Arabic and an English variant is
a human translation, with one exception: TMX that `jisr translate` wrote, whose units are
machine translation unless their x-origin prop says human (as `jisr tm export` writes).
Languages are matched by their primary subtag, in any case (ar, ar-SA, AR-IQ; en, EN-US).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from aligned.reviewed.base import ReviewedFile
from aligned.reviewed.xml import segment_text
from mt.errors import InputError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JISR_TOOL = "jisr"


def read_tmx(path: Path, root: etree._Element) -> ReviewedFile:
    version = root.get("version", "")
    if not version.startswith("1."):
        raise InputError(f"{path}: TMX {version or 'without a version'} is not read; "
                         "export TMX 1.4 from the tool.")
    header = root.find("header")
    from_jisr = header is not None and header.get("creationtool") == JISR_TOOL
    reviewed = ReviewedFile(path)
    for number, unit in enumerate(root.iter("tu"), start=1):
        variants = {}
        for variant in unit.iter("tuv"):
            lang = (variant.get(XML_LANG) or variant.get("lang") or "").lower()
            variants.setdefault(lang.split("-")[0].split("_")[0], variant.find("seg"))
        origin = next((prop.text for prop in unit.findall("prop")
                       if prop.get("type") == "x-origin"), None)
        if "ar" not in variants or "en" not in variants:
            reviewed.skipped["no Arabic and English variant"] += 1
        elif from_jisr and origin != "human":
            reviewed.skipped[f"machine translation (jisr output, origin {origin or 'mt'})"] += 1
        else:
            reviewed.add(unit.get("tuid") or f"tu {number}", segment_text(variants["ar"]),
                         segment_text(variants["en"]), f"{path}:{unit.sourceline}")
    return reviewed
