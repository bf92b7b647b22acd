"""The output signature (mt.app.signature): parseable, and it changes with anything that decides
the `score` and `flag` columns."""

from __future__ import annotations

import pytest

from aligned import pair_assessment
from aligned.sentence_align import AlignSettings
from glossary.termbase import TermBase
from mt.app.signature import build_signature
from mt.engines.base import DecodeOptions
from mt.version import __version__


def _parts(signature: str) -> list[tuple[str, str]]:
    return [tuple(part.split(":", 1)) for part in signature.split("|")]


def test_every_part_is_a_key_and_a_value_and_the_version_is_last():
    signature = build_signature(None, options=DecodeOptions(beam=4, max_new_tokens=30),
                                termbase=TermBase(), aligner=AlignSettings())
    keys = [key for key, _ in _parts(signature)]
    assert keys == ["model", "beam", "maxlen", "gloss", "align", "weights", "ok", "bad",
                    "reasons", "v"]
    assert dict(_parts(signature)) | {"v": __version__} == dict(_parts(signature))
    assert dict(_parts(signature))["ok"] == str(pair_assessment.OK_FROM)
    assert dict(_parts(signature))["bad"] == str(pair_assessment.BAD_BELOW)


@pytest.mark.parametrize(
    "name, value",
    [
        pytest.param("OK_FROM", 0.75, id="ok-threshold"),
        pytest.param("BAD_BELOW", 0.3, id="bad-threshold"),
        pytest.param("REASON_BELOW", 0.9, id="reason-threshold"),
        pytest.param("WEIGHTS", {**pair_assessment.WEIGHTS, "brackets": 1.0}, id="a-weight"),
    ],
)
def test_what_decides_the_flag_changes_the_signature(monkeypatch, name, value):
    before = build_signature(None)
    monkeypatch.setattr(pair_assessment, name, value)
    assert build_signature(None) != before


def test_the_aligner_settings_change_an_alignment_signature():
    default = build_signature(None, aligner=AlignSettings())
    assert build_signature(None, aligner=AlignSettings(anchor_weight=2.0)) != default
