"""The ASGI application: jisr's own routes (/v1/...), /health, LibreTranslate's routes, the live
review page, and the errors of them all in one shape ({"error": "One sentence."})."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from mt.app.serve import libretranslate, review
from mt.app.serve.guard import error_response
from mt.app.serve.service import MAX_ALTERNATIVES, Service
from mt.app.serve.worker import Overloaded, TranslationFailed
from mt.errors import JisrError
from mt.version import __version__

RETRY_AFTER_SECONDS = 2


class JsonlResponse(JSONResponse):
    """JSON as the JSONL writer writes it (json.dumps' defaults): a row's float that is not a
    number comes out as the CLI's file has it, not as a failure of the whole answer."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    api_key: str | None = Field(None, description="Needed when the service runs with --api-keys.")


class TranslateBody(Body):
    text: str | None = Field(None, description="One article: plain text or HTML.")
    texts: list[str] | None = Field(None, description="Several articles, translated together.")
    id: str | None = Field(None, description="The article's doc_id (default: text).")
    ids: list[str] | None = Field(None, description="The articles' doc_ids (default: text-N).")


class Pair(BaseModel):
    model_config = ConfigDict(extra="allow")  # other columns come back as they went in
    source: str
    target: str


class ScoreBody(Body):
    pairs: list[Pair]


class AlignBody(Body):
    arabic: str
    english: str
    lines: bool = Field(False, description="One sentence a line, a blank line between paragraphs.")
    html: bool = False


class SentenceBody(Body):
    source: str = Field(description="The Arabic sentence, as the row shows it.")


class ContinueBody(SentenceBody):
    prefix: str = Field(description="The translator's first words of the English.")


class AlternativesBody(SentenceBody):
    count: int = Field(4, ge=1, le=MAX_ALTERNATIVES)


class ApproveBody(SentenceBody):
    target: str
    unit: str = ""


def build_app(service: Service) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        service.close()  # the requests in flight are answered by now

    app = FastAPI(
        title="jisr", version=__version__, lifespan=lifespan,
        default_response_class=JsonlResponse,
        description="Arabic-to-English translation with MarianMT: jisr's rows (glossary, "
        "score, flag, reasons, word alignment, origin) and a LibreTranslate-compatible API.",
    )
    _errors(app)
    app.include_router(libretranslate.router(service))
    app.include_router(review.router(service))

    @app.get("/health", tags=["jisr"])
    async def health() -> dict[str, Any]:
        """The model, the signature of what it writes, and the queue."""
        engine = service.translator.engine
        return {
            "status": "ok", "model": engine.model_id, "engine": engine.name,
            "signature": service.translator.signature(), "pending": service.worker.pending,
            "runs": service.worker.runs, "batched_requests": service.worker.batched,
        }

    @app.post("/v1/translate", tags=["jisr"])
    async def translate(body: TranslateBody) -> dict[str, Any]:
        """Articles to the rows of `jisr translate`'s JSONL format."""
        if (body.text is None) == (body.texts is None):
            raise _Invalid("Give either text (one article) or texts (a list), not both.")
        texts = [body.text] if body.text is not None else body.texts or []
        if body.texts is not None and body.ids is not None and len(body.ids) != len(texts):
            raise _Invalid("ids must have one entry per text.")
        if body.text is not None:
            ids = [body.id or "text"]
        else:
            ids = body.ids or [f"text-{i + 1}" for i in range(len(texts))]
        return {"rows": (await service.translate(texts, ids)).rows()}

    @app.post("/v1/score", tags=["jisr"])
    async def score(body: ScoreBody) -> dict[str, Any]:
        """`jisr score`: each pair back with score, flag, the signals and the reasons."""
        pairs = [{name: str(value) for name, value in pair.model_dump().items()}
                 for pair in body.pairs]
        return {"rows": await service.score(pairs)}

    @app.post("/v1/align", tags=["jisr"])
    async def align(body: AlignBody) -> dict[str, Any]:
        """`jisr align` without a model: the alignment TSV's rows."""
        return {"rows": await service.align(body.arabic, body.english, body.lines, body.html)}

    @app.post("/v1/continue", tags=["review"])
    async def continue_from(body: ContinueBody) -> dict[str, Any]:
        """The model's translation that starts with the translator's words."""
        return {"translation": await service.continue_from(body.source, body.prefix)}

    @app.post("/v1/alternatives", tags=["review"])
    async def alternatives(body: AlternativesBody) -> dict[str, Any]:
        """The model's n best translations of a sentence, best first."""
        return {"alternatives": await service.alternatives(body.source, body.count)}

    @app.post("/v1/approve", tags=["review"])
    async def approve(body: ApproveBody) -> dict[str, Any]:
        """Store a reviewed translation as a human translation, served from now on."""
        return {"stored": await service.approve(body.source, body.target, body.unit)}

    return app


class _Invalid(JisrError):
    """A request whose fields do not go together."""


def _errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Any:
        return error_response(400, _validation_sentence(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Any:
        return error_response(error.status_code, f"{error.detail}.".replace("..", "."))

    @app.exception_handler(JisrError)
    async def jisr_error(request: Request, error: JisrError) -> Any:
        if isinstance(error, Overloaded):
            return error_response(503, f"{error} Retry later.",
                                  {"Retry-After": str(RETRY_AFTER_SECONDS)})
        if isinstance(error, TranslationFailed):
            return error_response(500, str(error))
        return error_response(400, str(error))


def _validation_sentence(error: RequestValidationError) -> str:
    first = error.errors()[0]
    if first.get("type") == "json_invalid":
        return "The request body is not valid JSON."
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = str(first.get("msg", "is not valid"))
    return f"Invalid request: {where}: {message}." if where else f"Invalid request: {message}."
