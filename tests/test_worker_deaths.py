"""The death ledger of `jisr batch` (mt.app.batch.deaths) as the Ray job drives it, without Ray:
a batch begun again while its articles are still open was cut short by a dead worker."""

from __future__ import annotations

import pytest

from mt.app.batch.deaths import ARTICLE_DEATHS, WorkerDeaths


def test_a_finished_batch_counts_no_death():
    ledger = WorkerDeaths()
    assert ledger.begin(["a", "b"]) == {"a": 0, "b": 0}
    ledger.end(["a", "b"])
    assert ledger.begin(["a", "b"]) == {"a": 0, "b": 0}  # the same batch again (a lost block)
    assert ledger.deaths() == {}


@pytest.mark.parametrize(
    ("steps", "deaths"),
    [
        pytest.param([("begin", "ab")], {"a": 1, "b": 1}, id="killed-in-a-batch"),
        pytest.param([("begin", "ab"), ("end", "ab"), ("begin", "a"), ("end", "a"),
                      ("begin", "b")], {"a": 0, "b": 1}, id="killed-on-b-after-a-was-done"),
        pytest.param([("begin", "ab"), ("begin", "ab"), ("end", "ab"), ("begin", "b")],
                     {"a": 1, "b": 2}, id="killed-twice"),
    ],
)
def test_deaths_are_counted_against_the_articles_open_when_a_worker_died(steps, deaths):
    """`steps` run before the worker dies; the retried batch (a, b) then begins again."""
    ledger = WorkerDeaths()
    for step, ids in steps:
        getattr(ledger, step)(list(ids))
    assert ledger.begin(["a", "b"]) == deaths
    assert ledger.deaths() == {doc_id: n for doc_id, n in deaths.items() if n}


def test_an_article_that_kills_every_worker_reaches_the_bound_in_two_deaths():
    """The job's own sequence for a batch (a, x) whose article x kills its worker each time."""
    ledger = WorkerDeaths()
    ledger.begin(["a", "x"])  # the worker dies in the batch
    deaths = ledger.begin(["a", "x"])  # retried: one death each, so article by article
    assert deaths == {"a": 1, "x": 1}
    ledger.end(["a", "x"])
    ledger.begin(["a"])
    ledger.end(["a"])
    ledger.begin(["x"])  # the worker dies again, on x alone
    deaths = ledger.begin(["a", "x"])
    assert deaths == {"a": 1, "x": ARTICLE_DEATHS}
