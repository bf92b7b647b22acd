"""`jisr serve`: load the model once, then answer HTTP on uvicorn until SIGTERM or Ctrl-C.

On SIGTERM uvicorn stops accepting, answers the requests in flight, and the worker finishes
what was queued; then the process exits 0 (uvicorn would raise the signal again after its
shutdown, killing the process with it, so SIGTERM's handler is set to a clean exit first).
"""

from __future__ import annotations

import signal
import sys

import uvicorn

from mt.app.serve.app import build_app
from mt.app.serve.guard import Guard, read_api_keys
from mt.app.serve.service import Service
from mt.app.serve.settings import ServeSettings


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)


def serve(settings: ServeSettings) -> None:
    """Load the model and serve until stopped."""
    keys = read_api_keys(settings.api_keys) if settings.api_keys else None  # before the model
    service = Service(settings.service)
    app = Guard(build_app(service), settings.max_body_bytes, keys)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
        lifespan="on",
    )
    signal.signal(signal.SIGTERM, _exit_cleanly)
    sys.stderr.write(f"jisr: serving on http://{settings.host}:{settings.port} "
                     "(API documentation at /docs, review page at /review).\n")
    uvicorn.Server(config).run()
