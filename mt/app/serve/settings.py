"""The service's settings and their defaults: a leaf, so that the CLI reads the defaults
without importing the web stack."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mt.app.pipeline import TranslatorSettings

DEFAULT_HOST = "127.0.0.1"  # loopback: another machine must be let in on purpose (--host)
DEFAULT_PORT = 5000  # LibreTranslate's
DEFAULT_MAX_PENDING = 256  # requests waiting or running; more get 503
DEFAULT_MAX_BODY_BYTES = 2_000_000  # a long article is about 50 kB of UTF-8


@dataclass(frozen=True)
class ServiceSettings:
    translator: TranslatorSettings = TranslatorSettings()
    max_pending: int = DEFAULT_MAX_PENDING
    # A run's segments: the batch CLI's group size, so that a run fills batches as well.
    max_batch_segments: int = 1024


@dataclass(frozen=True)
class ServeSettings:
    service: ServiceSettings = field(default_factory=ServiceSettings)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_keys: Path | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
