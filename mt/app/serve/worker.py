"""The micro-batcher: one thread owns the translator, and the translation requests that wait
while it works are translated together in its next run.

Nothing is held back to wait for company: a request that finds the thread idle starts at once,
and the requests that arrive while a run decodes are the next run's. Every sentence's English and
columns do not depend on its batch mates (batch invariance, both engines), so a request gets
what it would alone; a run that fails is retried request by request, so that only the request
that breaks fails (the failure isolation of `jisr translate`). Other work on the model (scoring,
alignment, a continuation, alternatives, storing a human translation) runs alone, in turn.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mt.app.isolation import describe, translate_isolated
from mt.app.pipeline import Translator
from mt.document import Document
from mt.errors import JisrError

log = logging.getLogger(__name__)


class Overloaded(JisrError):
    """More requests wait than the queue holds: the client should retry later."""


class TranslationFailed(JisrError):
    """A request's documents could not be translated (the reason is in the message)."""


@dataclass
class _Task:
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future
    docs: list[Document] | None = None  # a translation, batched with others
    call: Callable[[], Any] | None = None  # anything else, run alone

    @property
    def segments(self) -> int:
        return sum(len(doc.segments) for doc in self.docs or ())

    def settle(self, result: Any = None, error: BaseException | None = None) -> None:
        def set_() -> None:
            if self.future.done():  # the client went away
                return
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(result)

        self.loop.call_soon_threadsafe(set_)


class Worker:
    """The translator's one thread and its queue of at most `max_pending` requests."""

    def __init__(self, translator: Translator, max_pending: int, max_batch_segments: int):
        self.translator = translator
        self.max_pending = max_pending
        self.max_batch_segments = max_batch_segments
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._pending = 0  # submitted and not yet settled, counted in the event loop's thread
        self._held: deque[_Task] = deque()  # taken while filling a batch, run next
        self._thread = threading.Thread(target=self._run, name="jisr-worker", daemon=True)
        self._thread.start()
        self.runs = 0  # translation runs, for /health
        self.batched = 0  # requests translated in a run with others

    @property
    def pending(self) -> int:
        return self._pending

    async def translate(self, docs: list[Document]) -> list[Document]:
        """`docs` (segmented) translated, in the next run with whatever else waits."""
        return await self._submit(docs=docs)

    async def call(self, function: Callable[[], Any]) -> Any:
        """`function()` run in the translator's thread, between runs."""
        return await self._submit(call=function)

    async def _submit(self, **work: Any) -> Any:
        if self._pending >= self.max_pending:
            raise Overloaded(f"The service is busy: {self._pending} requests are waiting.")
        loop = asyncio.get_running_loop()
        task = _Task(loop, loop.create_future(), **work)
        self._pending += 1
        try:
            self._queue.put(task)
            return await task.future
        finally:
            self._pending -= 1

    def stop(self) -> None:
        """Finish what was submitted, then end the thread."""
        self._queue.put(None)
        self._thread.join()

    # -- the thread ------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            task = self._held.popleft() if self._held else self._queue.get()
            if task is None:
                return
            if task.call is not None:
                self._run_call(task)
            else:
                self._run_translations(self._fill(task))

    def _fill(self, first: _Task) -> list[_Task]:
        """`first` and the translations waiting behind it, up to the batch's segment budget;
        a call met on the way waits for the next turn, in order."""
        batch, segments = [first], first.segments
        while segments < self.max_batch_segments and not self._held:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is None or task.call is not None or (
                    segments + task.segments > self.max_batch_segments):
                self._held.append(task)
                break
            batch.append(task)
            segments += task.segments
        return batch

    def _run_call(self, task: _Task) -> None:
        try:
            result = task.call()  # type: ignore[misc]
        except Exception as error:  # noqa: BLE001 - the request fails, the service goes on
            log.debug("call failed", exc_info=True)
            task.settle(error=error if isinstance(error, JisrError)
                        else TranslationFailed(describe(error)))
            return
        task.settle(result)

    def _run_translations(self, tasks: Sequence[_Task]) -> None:
        self.runs += 1
        self.batched += len(tasks) if len(tasks) > 1 else 0
        docs = [doc for task in tasks for doc in task.docs or ()]
        errors = translate_isolated(self.translator.translate_documents, docs,
                                    [task.docs or [] for task in tasks])
        for task, error in zip(tasks, errors, strict=True):
            if error:
                task.settle(error=TranslationFailed(f"The text could not be translated: {error}"))
            else:
                task.settle(task.docs)
