"""`jisr serve` on the trained mini model, as a process on loopback: the same English and
columns as `jisr translate` (both engines), LibreTranslate's API through the real
`libretranslatepy` client, jisr's /v1 routes, and errors as one sentence in JSON."""

from __future__ import annotations

import asyncio
import io
import json
import urllib.error

import httpx
import pytest

from serve_process import cli_english
from tests.cli_helpers import read_tsv, run_jisr
from tests.serve_helpers import Server, cli_rows, heldout_sources

pytestmark = pytest.mark.slow
ENGINES = ("ctranslate2", "transformers")


@pytest.fixture(scope="module")
def sentences(mini_model_dir):
    return heldout_sources(mini_model_dir, 12)


@pytest.fixture(scope="module")
def articles(sentences):
    """Each held-out sentence an article, and one article of several paragraphs."""
    found = {f"s{i}": sentence for i, sentence in enumerate(sentences)}
    found["long"] = "\n\n".join(" ".join(sentences[i:i + 3]) for i in range(0, 9, 3))
    return found


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return request.param


@pytest.fixture(scope="module")
def server(engine, mini_model_dir, tmp_path_factory):
    with Server("--model", str(mini_model_dir), "--engine", engine,
                cache_dir=tmp_path_factory.mktemp(f"serve-{engine}")) as running:
        yield running


@pytest.fixture(scope="module")
def cli(engine, mini_model_dir, articles, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"cli-{engine}")
    return cli_rows(articles, folder, "--model", str(mini_model_dir), "--engine", engine), \
        cli_english(folder)


def post(server: Server, path: str, body: dict) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=300)


def test_v1_translate_rows_equal_the_clis_jsonl_rows(server, cli, articles):
    rows, _ = cli
    answer = post(server, "/v1/translate", {"texts": list(articles.values()),
                                             "ids": list(articles)})
    assert answer.status_code == 200, answer.text
    served = answer.json()["rows"]
    assert served == [row for doc_id in articles for row in rows[doc_id]]
    assert {row["origin"] for row in served} == {"mt"}


def test_concurrent_requests_each_get_what_they_get_alone(server, cli, articles):
    """Sent at once, the articles are decoded in shared runs; each answer is the CLI's."""
    rows, _ = cli

    async def send_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=300) as client:
            return await asyncio.gather(*(
                client.post("/v1/translate", json={"text": text, "id": doc_id})
                for doc_id, text in articles.items()))

    answers = asyncio.run(send_all())
    for doc_id, answer in zip(articles, answers, strict=True):
        assert answer.json()["rows"] == rows[doc_id]


def test_libretranslatepy_gets_the_clis_english(server, cli, articles):
    from libretranslatepy import LibreTranslateAPI

    _, english = cli
    client = LibreTranslateAPI(server.url)
    for index, text in enumerate(articles.values()):
        assert client.translate(text, "ar", "en") == english[index]
    assert client.translate(articles["s0"], "auto", "en") == english[0]


def test_libretranslate_languages_detect_and_a_list(server, articles, cli):
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(server.url)
    assert {"code": "ar", "name": "Arabic", "targets": ["en"]} in client.languages()
    assert client.detect(articles["s0"])[0]["language"] == "ar"
    assert client.detect("The minister said so.")[0]["language"] == "en"
    _, english = cli
    answer = post(server, "/translate", {"q": [articles["s0"], articles["s1"]], "source": "auto",
                                         "target": "en", "alternatives": 2})
    body = answer.json()
    assert body["translatedText"] == english[:2]
    assert [found["language"] for found in body["detectedLanguage"]] == ["ar", "ar"]
    assert len(body["alternatives"]) == 2
    for others, chosen in zip(body["alternatives"], english[:2], strict=True):
        assert chosen not in others and len(others) <= 2


def test_libretranslate_errors_are_its_shape_in_one_sentence(server, articles):
    from libretranslatepy import LibreTranslateAPI

    with pytest.raises(urllib.error.HTTPError) as raised:
        LibreTranslateAPI(server.url).translate(articles["s0"], "fr", "en")
    assert raised.value.code == 400
    error = json.loads(raised.value.read())["error"]
    assert error.startswith("fr is not supported") and error.count(".") == 1
    missing = post(server, "/translate", {"source": "ar", "target": "en"})
    assert (missing.status_code, missing.json()) == (
        400, {"error": "Invalid request: missing q parameter."})
    english = post(server, "/translate", {"q": "Hello there.", "source": "auto", "target": "en"})
    assert english.status_code == 400 and "en is not supported" in english.json()["error"]


@pytest.mark.parametrize("path, body, expected", [
    pytest.param("/v1/translate", b'{"text": ', "The request body is not valid JSON.",
                 id="malformed-json"),
    pytest.param("/translate", b"[1, 2]", "The request body is not a JSON object.",
                 id="not-an-object"),
    pytest.param("/v1/translate", b'{"text": "x", "texts": ["y"]}',
                 "Give either text (one article) or texts (a list), not both.", id="both"),
    pytest.param("/v1/translate", b'{"text": "   "}',
                 "text is empty: there is no text to work on.", id="empty"),
    pytest.param("/v1/translate", b'{"texts": [1]}',
                 "Invalid request: texts.0: Input should be a valid string.", id="wrong-type"),
    pytest.param("/v1/translate", b'{"txt": "x"}',
                 "Invalid request: txt: Extra inputs are not permitted.", id="unknown-field"),
])
def test_bad_requests_get_400_and_one_sentence(server, path, body, expected):
    answer = httpx.post(server.url + path, content=body,
                        headers={"content-type": "application/json"}, timeout=60)
    assert (answer.status_code, answer.json()) == (400, {"error": expected})


def test_unknown_routes_and_oversized_bodies(server):
    missing = httpx.get(server.url + "/nowhere")
    assert (missing.status_code, missing.json()) == (404, {"error": "Not Found."})
    wrong = httpx.get(server.url + "/translate")
    assert wrong.status_code == 405 and "error" in wrong.json()
    big = post(server, "/v1/translate", {"text": "ا" * 1_100_000})  # 2.2 MB of UTF-8
    assert big.status_code == 413
    assert big.json() == {"error": "The request is larger than the limit of 2000000 bytes."}
    assert "Traceback" not in server.log()


def test_health_and_openapi(server, engine):
    health = httpx.get(server.url + "/health").json()
    assert (health["status"], health["engine"]) == ("ok", engine)
    assert f"engine:{engine}" in health["signature"]
    paths = httpx.get(server.url + "/openapi.json").json()["paths"]
    for path in ("/translate", "/languages", "/detect", "/v1/translate", "/v1/align",
                 "/v1/score", "/health", "/review"):
        assert path in paths
    assert httpx.get(server.url + "/docs").status_code == 200


def test_score_and_align_answer_as_the_commands(server, engine, sentences, cli, tmp_path,
                                                mini_model_dir):
    rows, _ = cli
    pairs = [{"source": rows["s0"][0]["source"], "target": rows["s0"][0]["target"]},
             {"source": sentences[1], "target": "Completely unrelated words about football."}]
    (tmp_path / "pairs.tsv").write_text("source\ttarget\n" + "".join(
        f"{pair['source']}\t{pair['target']}\n" for pair in pairs), encoding="utf-8")
    scored = run_jisr("score", str(tmp_path / "pairs.tsv"), "--model", str(mini_model_dir),
                      "--engine", engine)
    assert scored.returncode == 0, scored.stderr.decode()
    expected = read_tsv(io.StringIO(scored.stdout.decode())).to_dict("records")
    assert post(server, "/v1/score", {"pairs": pairs}).json()["rows"] == expected

    arabic, english = " ".join(sentences[:3]), " ".join(rows[f"s{i}"][0]["target"]
                                                         for i in range(3))
    (tmp_path / "ar.txt").write_text(arabic, encoding="utf-8")
    (tmp_path / "en.txt").write_text(english, encoding="utf-8")
    aligned = run_jisr("align", str(tmp_path / "ar.txt"), str(tmp_path / "en.txt"))
    assert aligned.returncode == 0, aligned.stderr.decode()
    expected = read_tsv(io.StringIO(aligned.stdout.decode())).to_dict("records")
    answer = post(server, "/v1/align", {"arabic": arabic, "english": english}).json()["rows"]
    assert answer == expected and len(answer) >= 2


def test_continue_and_alternatives(server, cli):
    rows, _ = cli
    row = rows["s1"][0]
    words = row["target"].split()
    prefix = "Yesterday " + " ".join(words[:1])
    continued = post(server, "/v1/continue", {"source": row["source"], "prefix": prefix})
    assert continued.json()["translation"].startswith(prefix)
    found = post(server, "/v1/alternatives", {"source": row["source"], "count": 3}).json()
    assert 1 <= len(found["alternatives"]) <= 3
    assert len(set(found["alternatives"])) == len(found["alternatives"])
    assert all(text.strip() for text in found["alternatives"])
