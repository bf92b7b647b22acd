"""Fault injection, to see a cluster (and jisr's tests) lose a worker for real.

With JISR_BATCH_CRASH_ARTICLE=ID in the environment of `jisr batch` (the driver, which hands it
to its actors), an actor kills its own process with SIGKILL each time it is about to translate
the article ID, as the kernel's out-of-memory killer would. Nothing else reads it; unset, it
costs one comparison per batch. See docs/ray.md, Faults and retries.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Collection

log = logging.getLogger(__name__)

CRASH_ARTICLE_ENV = "JISR_BATCH_CRASH_ARTICLE"


def crash_article() -> str | None:
    """The article whose translation kills its worker, if the setting is on."""
    return os.environ.get(CRASH_ARTICLE_ENV) or None


def crash_if_among(doc_ids: Collection[str], crash_id: str | None) -> None:
    if crash_id is not None and crash_id in doc_ids:
        log.warning("%s=%s: killing this worker (pid %d)", CRASH_ARTICLE_ENV, crash_id,
                    os.getpid())
        os.kill(os.getpid(), signal.SIGKILL)
