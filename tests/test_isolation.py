"""Failure isolation shared by `jisr translate` and `jisr batch` (mt.app.isolation): a stand-in
for the translator that breaks on one article shows which units fail, and that every unit is
translated again from fresh segments."""

from __future__ import annotations

import pytest

from mt.app.isolation import describe, translate_isolated
from mt.errors import ModelError
from mt.ingest import read_text
from mt.segment import segment_document

TEXTS = {
    "a": "وصل الوفد إلى بغداد.",
    "b": "أغلقت السلطات المعبر.",
    "c": "قال الوزير إن الحدود مفتوحة.",
}


def _docs():
    return [segment_document(read_text(text, doc_id)) for doc_id, text in TEXTS.items()]


def _translator(bad: str, error: Exception):
    calls = []

    def translate(docs):
        calls.append([doc.doc_id for doc in docs])
        for doc in docs:
            for seg in doc.segments:
                assert not seg.target, "translated again without a fresh segmentation"
                seg.target = f"english of {doc.doc_id}"
        if any(doc.doc_id == bad for doc in docs):
            raise error

    return translate, calls


def test_only_the_breaking_unit_fails_and_every_unit_starts_afresh():
    docs = _docs()
    translate, calls = _translator("b", RuntimeError("the engine broke"))
    errors = translate_isolated(translate, docs, [[doc] for doc in docs])
    assert errors == [None, "RuntimeError: the engine broke.", None]
    assert calls == [["a", "b", "c"], ["a"], ["b"], ["c"]]
    assert [seg.target for seg in docs[0].segments] == ["english of a"]


def test_a_run_that_succeeds_is_not_repeated():
    docs = _docs()
    translate, calls = _translator("none", RuntimeError())
    assert translate_isolated(translate, docs, [docs[:2], docs[2:]]) == [None, None]
    assert calls == [["a", "b", "c"]]


def test_a_stop_signal_goes_through():
    docs = _docs()
    translate, _ = _translator("a", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        translate_isolated(translate, docs, [[doc] for doc in docs])


@pytest.mark.parametrize(
    "error, words",
    [
        pytest.param(ModelError("The model ran out of memory."), "The model ran out of memory.",
                     id="jisr-error-is-a-sentence"),
        pytest.param(ValueError("bad shape"), "ValueError: bad shape.", id="other-gets-its-type"),
        pytest.param(ValueError(), "ValueError.", id="no-message"),
    ],
)
def test_describe(error, words):
    assert describe(error) == words
