"""`jisr serve` safe by default, on the trained mini model: API keys, a full queue, SIGTERM with
requests in flight, and the human memory surviving a kill -9."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import urllib.error

import httpx
import pytest

from mt.human_memory import HumanMemory
from tests.serve_helpers import Server, heldout_sources

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sentences(mini_model_dir):
    return heldout_sources(mini_model_dir, 40)


def test_api_keys_refuse_a_request_without_a_valid_key(mini_model_dir, tmp_path, sentences):
    from libretranslatepy import LibreTranslateAPI

    keys = tmp_path / "keys.txt"
    keys.write_text("# who may translate\nsecret-1\n\nsecret-2\n")
    with Server("--model", str(mini_model_dir), "--api-keys", str(keys),
                cache_dir=tmp_path) as server:
        for key in (None, "wrong"):
            with pytest.raises(urllib.error.HTTPError) as raised:
                LibreTranslateAPI(server.url, api_key=key).translate(sentences[0], "ar", "en")
            assert raised.value.code == 401
            assert "API key" in json.loads(raised.value.read())["error"]
        assert LibreTranslateAPI(server.url, api_key="secret-2").translate(
            sentences[0], "ar", "en")
        assert httpx.post(server.url + "/v1/translate", json={"text": sentences[0]}).status_code \
            == 401
        answer = httpx.post(server.url + "/v1/translate", json={"text": sentences[0]},
                            headers={"X-API-Key": "secret-1"}, timeout=120)
        assert answer.status_code == 200 and answer.json()["rows"]


def test_a_full_queue_answers_503_with_retry_after(mini_model_dir, tmp_path, sentences):
    article = " ".join(sentences)

    async def crowd(url: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=url, timeout=300) as client:
            return await asyncio.gather(*(
                client.post("/v1/translate", json={"text": article, "id": str(i)})
                for i in range(8)))

    with Server("--model", str(mini_model_dir), "--max-pending", "1", "--no-cache",
                cache_dir=tmp_path) as server:
        answers = asyncio.run(crowd(server.url))
    codes = sorted(answer.status_code for answer in answers)
    assert codes[0] == 200 and codes[-1] == 503, codes
    busy = next(answer for answer in answers if answer.status_code == 503)
    assert busy.headers["retry-after"].isdigit()
    assert busy.json()["error"].startswith("The service is busy")


def test_sigterm_answers_the_requests_in_flight_and_exits_0(mini_model_dir, tmp_path, sentences):
    article = "\n\n".join(sentences)
    answers: list[httpx.Response] = []
    with Server("--model", str(mini_model_dir), "--no-cache", cache_dir=tmp_path) as server:
        sender = threading.Thread(target=lambda: answers.append(httpx.post(
            server.url + "/v1/translate", json={"text": article}, timeout=300)))
        sender.start()
        in_flight = False
        while not in_flight and sender.is_alive():
            in_flight = httpx.get(server.url + "/health").json()["pending"] > 0
        code = server.stop(signal.SIGTERM)
        sender.join()
    assert in_flight, "the request was answered before SIGTERM could be sent"
    assert code == 0, server.log()
    assert answers[0].status_code == 200
    assert len(answers[0].json()["rows"]) == len(sentences)
    assert "Traceback" not in server.log()


def test_an_approved_translation_survives_kill_9(mini_model_dir, tmp_path, sentences):
    source = sentences[3]
    with Server("--model", str(mini_model_dir), cache_dir=tmp_path) as server:
        answer = httpx.post(server.url + "/v1/approve", timeout=120, json={
            "source": source, "target": "A reviewer's own words.", "unit": "article:0"})
        assert answer.json() == {"stored": "added"}
        assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    memory = HumanMemory(tmp_path / "memory.sqlite3")
    assert [(t.source, t.target) for t in memory] == [(source, "A reviewer's own words.")]
    memory.close()
    with Server("--model", str(mini_model_dir), cache_dir=tmp_path) as server:
        row = httpx.post(server.url + "/v1/translate", json={"text": source},
                         timeout=120).json()["rows"][0]
    assert (row["target"], row["origin"]) == ("A reviewer's own words.", "human")
