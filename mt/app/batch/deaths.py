"""Which articles a worker was translating when it died, so that an article that kills its worker
every time ends as failed rows instead of being retried until Ray gives up on the whole job.

A worker killed mid-batch (out of memory, a segfault, a lost node) takes no exception with it:
Ray restarts the actor and runs the batch again. Before a batch, the actor marks its articles
open here; after it, closed. A batch that finds any of its articles still open was being
translated when its worker died: each such article counts a death, and the batch is translated
article by article, each marked on its own, so that the next death names one article. An article
with ARTICLE_DEATHS deaths is not tried again: the second death happened while it was translated
alone (or, at worst, twice in a batch), so it is that article's, not bad luck's.

Plain Python: the Ray job runs one instance as an actor on the driver's node (mt.app.batch.job).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# Deaths after which an article is written as failed rows without another try.
ARTICLE_DEATHS = 2


def death_reason(deaths: int) -> str:
    """The `reasons` text of an article given up on (after the failure prefix)."""
    return (f"its Ray worker died {deaths} times while translating it (killed or crashed); "
            "not tried again.")


class WorkerDeaths:
    """The open articles of every worker and the deaths counted against each article."""

    def __init__(self) -> None:
        self._open: set[str] = set()
        self._deaths: Counter[str] = Counter()

    def begin(self, doc_ids: Iterable[str]) -> dict[str, int]:
        """Mark `doc_ids` open; each one still open from before counts a death. Returns the
        deaths of each id."""
        doc_ids = list(doc_ids)
        for doc_id in doc_ids:
            if doc_id in self._open:
                self._deaths[doc_id] += 1
        self._open.update(doc_ids)
        return {doc_id: self._deaths[doc_id] for doc_id in doc_ids}

    def end(self, doc_ids: Iterable[str]) -> None:
        self._open.difference_update(doc_ids)

    def deaths(self) -> dict[str, int]:
        """Every article that was being translated when a worker died, and how often."""
        return dict(sorted(self._deaths.items()))
