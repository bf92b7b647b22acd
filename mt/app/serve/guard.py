"""The service's outer layer, before any route: the body size limit (413), the API keys (401),
and the last word on any failure: a JSON error of one sentence, never a traceback.

A pure ASGI middleware: it reads the whole body first (up to the limit), so that a key sent in
the body, as LibreTranslate's clients send it, is checked before a route runs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi.responses import JSONResponse

from mt.errors import ConfigurationError

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Any:
    """Every error the service returns: LibreTranslate's shape, {"error": "One sentence."}."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def read_api_keys(path: Path) -> frozenset[str]:
    """One key a line; blank lines and lines starting with # are left out."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"Cannot read the API keys file {path}: {error}.") from error
    keys = frozenset(line.strip() for line in lines
                     if line.strip() and not line.lstrip().startswith("#"))
    if not keys:
        raise ConfigurationError(f"The API keys file {path} holds no key.")
    return keys


class Guard:
    def __init__(self, app: ASGIApp, max_body_bytes: int, api_keys: frozenset[str] | None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.api_keys = api_keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await self._body(scope, receive)
        if body is None:
            too_large = error_response(
                413, f"The request is larger than the limit of {self.max_body_bytes} bytes.")
            await too_large(scope, receive, send)
            return
        if self.api_keys is not None and api_key(scope, body) not in self.api_keys:
            refused = error_response(
                401, "A valid API key is needed: send it as api_key or in an X-API-Key header.")
            await refused(scope, receive, send)
            return
        started = False

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, replay, watched_send)
        except Exception as error:  # noqa: BLE001 - a request fails, the service goes on
            log.error("%s %s failed: %s: %s", scope.get("method"), scope.get("path"),
                      type(error).__name__, error)
            if not started:
                await error_response(500, f"Internal error ({type(error).__name__}).")(
                    scope, replay, send)

    async def _body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None when it is over the limit (declared or sent)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and (
                    int(value) > self.max_body_bytes):
                return None
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def api_key(scope: Scope, body: bytes) -> str | None:
    """The key of a request: an X-API-Key or `Authorization: Bearer` header, an api_key query
    parameter, or api_key in a JSON or form body (LibreTranslate's clients send it there)."""
    headers = {name.decode("latin-1"): value.decode("latin-1")
               for name, value in scope.get("headers", ())}
    if "x-api-key" in headers:
        return headers["x-api-key"]
    if headers.get("authorization", "").startswith("Bearer "):
        return headers["authorization"].removeprefix("Bearer ")
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if "api_key" in query:
        return query["api_key"][0]
    content_type = headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            record = json.loads(body)
            key = record.get("api_key") if isinstance(record, dict) else None
            return key if isinstance(key, str) else None
        if content_type.startswith("application/x-www-form-urlencoded"):
            return parse_qs(body.decode("utf-8")).get("api_key", [None])[0]
    except (ValueError, UnicodeDecodeError):
        return None
    return None
