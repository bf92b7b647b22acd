"""The micro-batcher of `jisr serve` (mt/app/serve/worker.py), fast, with a translator that
records its runs: requests that wait while a run decodes share the next run, up to the segment
budget; a request that breaks a shared run fails alone; a full queue says so; calls run alone,
in turn."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mt.app.serve.worker import Overloaded, TranslationFailed, Worker
from mt.document import Document
from mt.ingest import read_text
from mt.segment import segment_document


def doc(doc_id: str, sentences: int = 1) -> Document:
    """An article of `sentences` paragraphs, segmented as the service segments a request."""
    text = "\n\n".join(f"قالت {doc_id} {i}." for i in range(sentences))
    return segment_document(read_text(text, doc_id))


class RecordingTranslator:
    """Translates by copying; the first run waits for `release`, so that others queue."""

    def __init__(self):
        self.runs: list[list[str]] = []
        self.release = threading.Event()
        self.started = threading.Event()

    def translate_documents(self, docs, progress=None):
        self.runs.append([d.doc_id for d in docs])
        self.started.set()
        self.release.wait()
        if any(d.doc_id == "broken" for d in docs):
            raise ValueError("this article breaks the engine")
        for d in docs:
            for seg in d.segments:
                seg.target = seg.source.upper()
        return docs


async def crowd(worker: Worker, translator: RecordingTranslator, later: list[Document]):
    """One request starts a run; `later` arrive while it decodes; then the run ends."""
    first = asyncio.ensure_future(worker.translate([doc("first")]))
    await asyncio.to_thread(translator.started.wait)
    waiting = [asyncio.ensure_future(worker.translate([d])) for d in later]
    await asyncio.sleep(0)  # each submits (queued behind the run, or refused) and waits
    translator.release.set()
    return await asyncio.gather(first, *waiting, return_exceptions=True)


def test_requests_that_wait_share_the_next_run():
    translator = RecordingTranslator()
    worker = Worker(translator, max_pending=64, max_batch_segments=1024)
    answers = asyncio.run(crowd(worker, translator, [doc(f"d{i}") for i in range(5)]))
    worker.stop()
    assert translator.runs == [["first"], ["d0", "d1", "d2", "d3", "d4"]]
    assert [docs[0].doc_id for docs in answers] == ["first", *(f"d{i}" for i in range(5))]
    assert all(seg.target == seg.source.upper() for docs in answers for seg in docs[0].segments)
    assert worker.batched == 5


def test_a_run_stops_at_the_segment_budget():
    translator = RecordingTranslator()
    worker = Worker(translator, max_pending=64, max_batch_segments=5)
    asyncio.run(crowd(worker, translator, [doc(f"d{i}", sentences=2) for i in range(4)]))
    worker.stop()
    assert translator.runs == [["first"], ["d0", "d1"], ["d2", "d3"]]


def test_a_request_that_breaks_a_shared_run_fails_alone():
    translator = RecordingTranslator()
    worker = Worker(translator, max_pending=64, max_batch_segments=1024)
    answers = asyncio.run(crowd(worker, translator, [doc("d0"), doc("broken"), doc("d1")]))
    worker.stop()
    assert isinstance(answers[2], TranslationFailed)
    assert "this article breaks the engine" in str(answers[2])
    assert [answers[i][0].segments[0].target for i in (1, 3)] == ["قالت D0 0.", "قالت D1 0."]


def test_a_full_queue_refuses_at_once():
    translator = RecordingTranslator()
    worker = Worker(translator, max_pending=2, max_batch_segments=1024)
    answers = asyncio.run(crowd(worker, translator, [doc("d0"), doc("d1"), doc("d2")]))
    worker.stop()
    refused = [answer for answer in answers if isinstance(answer, Overloaded)]
    assert len(refused) == 2 and "2 requests are waiting" in str(refused[0])


def test_calls_run_alone_and_in_turn():
    translator = RecordingTranslator()
    translator.release.set()
    worker = Worker(translator, max_pending=64, max_batch_segments=1024)

    async def mixed():
        return await asyncio.gather(worker.translate([doc("a")]), worker.call(lambda: "called"),
                                    worker.translate([doc("b")]))

    translated_a, called, translated_b = asyncio.run(mixed())
    worker.stop()
    assert called == "called"
    assert ["b"] in translator.runs and ["a", "b"] not in translator.runs


@pytest.mark.parametrize("error, expected", [
    pytest.param(ValueError("bad"), TranslationFailed, id="other-error-becomes-one-sentence"),
    pytest.param(Overloaded("busy"), Overloaded, id="jisr-error-kept"),
])
def test_a_failing_call_fails_its_request_only(error, expected):
    worker = Worker(RecordingTranslator(), max_pending=64, max_batch_segments=1024)

    def fail():
        raise error

    async def run():
        with pytest.raises(expected):
            await worker.call(fail)
        return await worker.call(lambda: "still serving")

    assert asyncio.run(run()) == "still serving"
    worker.stop()
