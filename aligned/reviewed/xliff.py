"""XLIFF 1.2 from jisr or a CAT tool (OmegaT, memoQ, Trados, Okapi, Matecat ...).

A target is a human translation when its state says a translator produced or signed it off
(translated, final, signed-off) or its unit is approved="yes". needs-review-* (jisr's machine
targets among them), new and needs-translation are not. Units marked translate="no" and units
without a target are left out; alt-trans proposals are never read as targets.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from aligned.reviewed.base import ReviewedFile
from aligned.reviewed.xml import local_name, segment_text
from mt.errors import InputError

HUMAN_STATES = frozenset(("translated", "final", "signed-off"))
# Every state XLIFF 1.2 defines; tools may add their own as "x-...".
STATES = HUMAN_STATES | frozenset((
    "new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
    "needs-review-adaptation", "needs-review-l10n",
))


def read_xliff(path: Path, root: etree._Element) -> ReviewedFile:
    version = root.get("version", "")
    if not version.startswith("1."):
        raise InputError(f"{path}: XLIFF {version or 'without a version'} is not read; "
                         "export XLIFF 1.2 from the CAT tool.")
    for file in root.iter("{*}file", "file"):
        _check_languages(file, f"{path}:{file.sourceline}")
    reviewed = ReviewedFile(path)
    for unit in root.iter("{*}trans-unit", "trans-unit"):
        _read_unit(reviewed, unit, f"{path}:{unit.sourceline}")
    return reviewed


def _check_languages(file: etree._Element, where: str) -> None:
    """The translation memory holds Arabic sources with English targets: a file in another
    direction would give matches across the source language."""
    for attribute, language in (("source-language", "ar"), ("target-language", "en")):
        given = file.get(attribute)
        if given and given.lower().replace("_", "-").split("-")[0] != language:
            raise InputError(f"{where}: {attribute} is {given!r}, not {language}: the "
                             "translation memory holds Arabic-to-English translations.")


def _child(unit: etree._Element, name: str) -> etree._Element | None:
    return next((child for child in unit if local_name(child) == name), None)


def _read_unit(reviewed: ReviewedFile, unit: etree._Element, where: str) -> None:
    target = _child(unit, "target")
    state = target.get("state", "") if target is not None else ""
    if state and state not in STATES and not state.startswith("x-"):
        raise InputError(f"{where}: state {state!r} is not an XLIFF 1.2 state.")
    if unit.get("translate") == "no":
        reviewed.skipped['translate="no"'] += 1
    elif target is None:
        reviewed.skipped["no target"] += 1
    elif unit.get("approved") != "yes" and state not in HUMAN_STATES:
        reviewed.skipped[f"not approved, state {state or 'absent'}"] += 1
    else:
        unit_id = unit.get("id") or f"line {unit.sourceline}"
        reviewed.add(unit_id, segment_text(_child(unit, "source")), segment_text(target), where)
