"""Load test of `jisr serve`: a bounded async client on loopback sends REQUESTS requests from
CLIENTS concurrent clients, every BAD_EVERY-th one malformed, and checks that every good request
is answered with the rows `jisr translate` writes for the same article, every malformed one
gets 400, and the server's resident memory stays flat.

    python scripts/serve_load.py MODEL_DIR SENTENCES.txt [--requests 3000] [--clients 16]

SENTENCES.txt holds one article a line (the mini model's held-out sources, say). The script
starts the server and the CLI itself, each with a fresh cache directory; tests/test_serve_load.py
runs `run_load` on a few hundred requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

# Malformed requests, each with the path it goes to; every one must get 400.
MALFORMED: list[tuple[str, bytes]] = [
    ("/v1/translate", b'{"text": '),
    ("/v1/translate", b'{"texts": [1, 2]}'),
    ("/v1/translate", b'{"text": "   "}'),
    ("/translate", json.dumps({"q": "x", "source": "fr", "target": "en"}).encode()),
    ("/translate", b'{"source": "ar", "target": "en"}'),
]
SAMPLES = 10  # resident-memory readings over the run


@dataclass
class LoadReport:
    statuses: Counter = field(default_factory=Counter)
    good: int = 0
    equal: int = 0
    bad_answered_400: int = 0
    bad: int = 0
    rss_kb: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rss_growth(self) -> float:
        """The second half's peak resident memory over the first half's (1.0: flat)."""
        half = len(self.rss_kb) // 2
        return max(self.rss_kb[half:]) / max(self.rss_kb[:half])

    def summary(self) -> str:
        return (f"{self.good} good requests, {self.equal} answered equal to the CLI; "
                f"{self.bad} malformed, {self.bad_answered_400} answered 400; statuses "
                f"{dict(self.statuses)}; resident memory {self.rss_kb[0] // 1024}-"
                f"{max(self.rss_kb) // 1024} MB, second half / first half peak "
                f"{self.rss_growth:.3f}")


async def run_load(
    url: str,
    expected: dict[str, list[dict]],
    articles: dict[str, str],
    requests: int,
    clients: int,
    bad_every: int,
    rss_kb: Callable[[], int],
) -> LoadReport:
    """Send the requests (article i % len(articles), or a malformed one every `bad_every`-th)
    from `clients` concurrent clients; compare each answer with `expected` (the CLI's rows by
    article id)."""
    report = LoadReport()
    ids = list(articles)
    todo: asyncio.Queue[int] = asyncio.Queue()
    for index in range(requests):
        todo.put_nowait(index)
    checkpoints = {requests * (k + 1) // SAMPLES for k in range(SAMPLES)}
    done = 0

    async def one(client: httpx.AsyncClient, index: int) -> None:
        if index % bad_every == bad_every - 1:
            path, body = MALFORMED[(index // bad_every) % len(MALFORMED)]
            answer = await client.post(path, content=body,
                                       headers={"content-type": "application/json"})
            report.bad += 1
            report.statuses[answer.status_code] += 1
            if answer.status_code == 400 and set(answer.json()) == {"error"}:
                report.bad_answered_400 += 1
            else:
                report.problems.append(f"malformed {body[:40]!r}: {answer.status_code}")
            return
        doc_id = ids[index % len(ids)]
        answer = await client.post("/v1/translate",
                                   json={"text": articles[doc_id], "id": doc_id})
        report.good += 1
        report.statuses[answer.status_code] += 1
        if answer.status_code == 200 and answer.json()["rows"] == expected[doc_id]:
            report.equal += 1
        else:
            report.problems.append(f"{doc_id}: {answer.status_code} {answer.text[:200]}")

    async def client_loop() -> None:
        nonlocal done
        async with httpx.AsyncClient(base_url=url, timeout=600) as client:
            while not todo.empty():
                await one(client, todo.get_nowait())
                done += 1
                if done in checkpoints:
                    report.rss_kb.append(rss_kb())

    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return report


def main() -> None:
    from serve_process import Server, cli_rows

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("sentences", type=Path, help="One article a line.")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--bad-every", type=int, default=10)
    parser.add_argument("--engine", default="ctranslate2")
    args = parser.parse_args()
    lines = [line.strip() for line in args.sentences.read_text(encoding="utf-8").splitlines()]
    articles = {f"a{i}": line for i, line in enumerate(dict.fromkeys(filter(None, lines)))}
    with tempfile.TemporaryDirectory(prefix="jisr-load-") as folder:
        model = ("--model", str(args.model), "--engine", args.engine)
        expected = cli_rows(articles, Path(folder, "cli"), *model)
        serve_cache = Path(folder, "serve")
        serve_cache.mkdir()
        with Server(*model, cache_dir=serve_cache) as server:
            report = asyncio.run(run_load(server.url, expected, articles, args.requests,
                                          args.clients, args.bad_every, server.rss_kb))
            health = httpx.get(server.url + "/health").json()
    print(report.summary())
    print(f"translation runs: {health['runs']}; requests translated in a shared run: "
          f"{health['batched_requests']}")
    for problem in report.problems[:20]:
        print("problem:", problem)
    sys.exit(1 if report.problems else 0)


if __name__ == "__main__":
    main()
