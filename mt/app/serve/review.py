"""GET /review: a form for an article; POST /review: its translation as the review page of
`jisr translate --formats html`, made live (review_page.py)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from aligned.formats.base import WriteContext
from aligned.formats.html import CSP, HtmlWriter
from aligned.formats.xliff import unit_id
from mt.app.serve.libretranslate import fields
from mt.app.serve.review_page import LIVE_CSP_EXTRA, SCRIPT, STYLE, form_page
from mt.app.serve.service import Service, Translated
from mt.errors import InputError

REVIEW_DOC_ID = "article"


def router(service: Service) -> APIRouter:
    routes = APIRouter(tags=["review"])

    @routes.get("/review", response_class=HTMLResponse)
    async def review_form(request: Request) -> str:
        """A form to paste an article into."""
        return form_page(request.query_params.get("api_key"))

    @routes.post("/review", response_class=HTMLResponse)
    async def review_page(request: Request) -> str:
        """The article's translation as the live review page."""
        record = await fields(request)
        text = record.get("text")
        if not isinstance(text, str):
            raise InputError("Invalid request: missing text parameter.")
        done = await service.translate([text], [REVIEW_DOC_ID])
        key = record.get("api_key") or request.headers.get("x-api-key")
        return live_page(done, key if isinstance(key, str) else None)

    return routes


def live_page(done: Translated, api_key: str | None) -> str:
    """The static page, allowed to call the service, with the live script and its data."""
    page = HtmlWriter().render(done.docs, WriteContext(signature=done.signature))
    static_csp = f'content="{CSP}"'
    if static_csp not in page:  # the writer's policy changed: the live script would be blocked
        raise RuntimeError("the review page's Content-Security-Policy is not the expected one")
    page = page.replace(static_csp, f'content="{CSP}{LIVE_CSP_EXTRA}"', 1)
    data = {"sources": {unit_id(seg): seg.source for doc in done.docs for seg in doc.segments},
            "key": api_key}
    live = (STYLE + '<script type="application/json" id="live-data">'
            + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + "</script>" + SCRIPT)
    return page.replace("</body>", live + "</body>", 1)
