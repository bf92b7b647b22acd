"""`jisr serve` as users run it, a real process on loopback, and `jisr translate` beside it for
the answers a request must equal: shared by the serve tests and the serve scripts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def jisr_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment a jisr process runs in here: offline, this checkout first."""
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO), **extra}


STARTUP_SECONDS = 600  # the first start converts the model to CTranslate2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`python -m mt serve ARGS` on a free port, with its own cache directory (translation and
    human memory); `url` once /health answers."""

    def __init__(self, *args: str, cache_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cache_dir = cache_dir
        env = jisr_env({"JISR_CACHE_DIR": str(cache_dir)})
        self.stderr_path = cache_dir / f"serve-{self.port}.log"
        self.stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mt", "serve", "--port", str(self.port), *args],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=self.stderr, env=env,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jisr serve exited {self.process.returncode}: {self.log()}")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code in (200, 401):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"jisr serve did not start: {self.log()}")

    def log(self) -> str:
        """The end of what the server wrote to stderr."""
        return self.stderr_path.read_text(errors="replace")[-3000:]

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 300) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        self.stderr.close()
        return code

    def rss_kb(self) -> int:
        """The process's resident memory now (Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1])

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def cli_rows(articles: dict[str, str], folder: Path, *args: str) -> dict[str, list[dict]]:
    """`jisr translate` on the articles (a JSONL input, one article a line, ids kept), with its
    own cache directory, `folder`/cache: each article's JSONL rows."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n"
                              for doc_id, text in articles.items()), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mt", "translate", str(source), "-o", str(folder / "out"),
         "--formats", "jsonl,txt", *args],
        cwd=REPO, capture_output=True, env=jisr_env({"JISR_CACHE_DIR": str(folder / "cache")}),
    )
    if result.returncode:
        raise RuntimeError(f"jisr translate failed: {result.stderr.decode()[-2000:]}")
    rows: dict[str, list[dict]] = {doc_id: [] for doc_id in articles}
    for line in (folder / "out" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows[row["doc_id"]].append(row)
    return rows


def cli_english(folder: Path) -> list[str]:
    """The articles' English from the run of `cli_rows` in `folder`, in input order."""
    return (folder / "out" / "articles.en.txt").read_text(encoding="utf-8").rstrip(
        "\n").split("\n\n\n")
