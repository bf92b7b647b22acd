"""LibreTranslate's API, for the clients that speak it (CAT-tool plugins, i18n tools,
`libretranslatepy`): POST /translate, GET /languages, POST /detect, with LibreTranslate's field
names, answers and error shape ({"error": ...}). Bodies come as JSON or as a form, as
LibreTranslate takes them. jisr translates Arabic to English only."""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request

from mt.app.serve.service import Service, Translated
from mt.arabic import arabic_letter_ratio
from mt.errors import InputError

SOURCE, TARGET = "ar", "en"
LANGUAGES = [
    {"code": SOURCE, "name": "Arabic", "targets": [TARGET]},
    {"code": TARGET, "name": "English", "targets": []},
]
FORMATS = ("text", "html")
# LibreTranslate documents its request bodies; the same, for the OpenAPI page.
TRANSLATE_BODY = {
    "requestBody": {
        "content": {
            media: {"schema": {
                "type": "object",
                "required": ["q", "source", "target"],
                "properties": {
                    "q": {"oneOf": [{"type": "string"},
                                    {"type": "array", "items": {"type": "string"}}]},
                    "source": {"type": "string", "enum": [SOURCE, "auto"]},
                    "target": {"type": "string", "enum": [TARGET]},
                    "format": {"type": "string", "enum": list(FORMATS), "default": "text"},
                    "alternatives": {"type": "integer", "default": 0},
                    "api_key": {"type": "string"},
                },
            }}
            for media in ("application/json", "application/x-www-form-urlencoded")
        }
    }
}


async def fields(request: Request) -> dict[str, Any]:
    """The request's fields from a JSON object or a form body; InputError for anything else."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as error:
            raise InputError("The form body is not UTF-8.") from error
        return {name: values[0] if len(values) == 1 else values for name, values in form.items()}
    try:
        record = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError("The request body is not valid JSON.") from error
    if not isinstance(record, dict):
        raise InputError("The request body is not a JSON object.")
    return record


def _required(record: dict[str, Any], name: str) -> Any:
    value = record.get(name)
    if value is None or value == "" or value == []:
        raise InputError(f"Invalid request: missing {name} parameter.")
    return value


def _check_languages(source: Any, target: Any) -> None:
    for code, allowed in ((source, (SOURCE, "auto")), (target, (TARGET,))):
        if code not in allowed:
            raise InputError(f"{code} is not supported: jisr translates Arabic (ar) to English "
                             "(en).")


def detect(text: str) -> dict[str, Any]:
    """Arabic or English, by the share of Arabic letters, as a confidence out of 100."""
    ratio = arabic_letter_ratio(text)
    if ratio >= 0.5:
        return {"confidence": round(100 * ratio, 1), "language": SOURCE}
    return {"confidence": round(100 * (1 - ratio), 1), "language": TARGET}


def router(service: Service) -> APIRouter:
    routes = APIRouter(tags=["LibreTranslate"])

    @routes.post("/translate", openapi_extra=TRANSLATE_BODY)
    async def translate(request: Request) -> dict[str, Any]:
        """Translate `q` (a text or a list of texts) from Arabic to English."""
        record = await fields(request)
        q = _required(record, "q")
        source, target = _required(record, "source"), _required(record, "target")
        _check_languages(source, target)
        text_format = record.get("format") or "text"
        if text_format not in FORMATS:
            raise InputError(f"{text_format} format is not supported: use text or html.")
        try:
            wanted = int(record.get("alternatives") or 0)
        except (TypeError, ValueError) as error:
            raise InputError("alternatives must be a whole number.") from error
        texts = q if isinstance(q, list) else [q]
        if not all(isinstance(text, str) for text in texts):
            raise InputError("Invalid request: q must be a string or a list of strings.")
        if source == "auto":
            detected = [detect(text) for text in texts]
            for found in detected:
                _check_languages(found["language"], target)
        done = await service.translate(texts, [f"q-{i + 1}" for i in range(len(texts))],
                                       html=text_format == "html")
        english = [_formatted(text, text_format) for text in done.english()]
        answer: dict[str, Any] = {"translatedText": english if isinstance(q, list) else english[0]}
        if wanted > 0:
            others = [await _alternatives(service, done, i, wanted) for i in range(len(texts))]
            answer["alternatives"] = others if isinstance(q, list) else others[0]
        if source == "auto":
            answer["detectedLanguage"] = detected if isinstance(q, list) else detected[0]
        return answer

    @routes.get("/languages")
    async def languages() -> list[dict[str, Any]]:
        """The languages jisr translates: Arabic into English."""
        return LANGUAGES

    @routes.post("/detect", openapi_extra=TRANSLATE_BODY)
    async def detect_language(request: Request) -> list[dict[str, Any]]:
        """The language of `q`: Arabic or English."""
        q = _required(await fields(request), "q")
        if not isinstance(q, str):
            raise InputError("Invalid request: q must be a string.")
        return [detect(q)]

    return routes


def _formatted(english: str, text_format: str) -> str:
    if text_format == "text":
        return english
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in english.split("\n\n"))


async def _alternatives(service: Service, done: Translated, index: int, wanted: int) -> list[str]:
    """Other translations of a one-sentence text (LibreTranslate's `alternatives`); a longer
    text has none: an article's alternatives are its sentences' (POST /v1/alternatives)."""
    segments = [seg for seg in done.docs[index].segments if seg.flag != "skipped"]
    if len(segments) != 1:
        return []
    texts = await service.alternatives(segments[0].source, wanted + 1)
    return [text for text in texts if text != segments[0].target][:wanted]
