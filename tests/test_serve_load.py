"""The load test of scripts/serve_load.py at a size for CI: 480 requests from 16 concurrent
clients on loopback, every tenth malformed, on the trained mini model. Every good request is
answered with the CLI's rows, every malformed one 400, requests are decoded in shared runs, and
the server's resident memory stays flat. The big run: python scripts/serve_load.py (3,000)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from serve_load import run_load
from tests.serve_helpers import Server, cli_rows, heldout_sources

pytestmark = pytest.mark.slow
REQUESTS, CLIENTS, BAD_EVERY = 480, 16, 10


def test_sixteen_clients_get_the_clis_answers_in_flat_memory(mini_model_dir, tmp_path):
    articles = {f"a{i}": text for i, text in enumerate(heldout_sources(mini_model_dir, 24))}
    model = ("--model", str(mini_model_dir))
    expected = cli_rows(articles, tmp_path / "cli", *model)
    (tmp_path / "serve").mkdir()
    with Server(*model, cache_dir=tmp_path / "serve") as server:
        report = asyncio.run(run_load(server.url, expected, articles, REQUESTS, CLIENTS,
                                      BAD_EVERY, server.rss_kb))
        health = httpx.get(server.url + "/health").json()
    print(report.summary())
    assert report.problems == []
    assert report.good == report.equal == REQUESTS - REQUESTS // BAD_EVERY
    assert report.bad == report.bad_answered_400 == REQUESTS // BAD_EVERY
    assert health["batched_requests"] > 0  # concurrent requests shared decoding runs
    assert report.rss_growth < 1.10
