"""A Ray cluster of two nodes on this machine, started and ended by the tests that use it.

Each node is a `ray start --block` process started in a session of its own, so every process of
the node (raylet, agents, workers, whatever they spawn) carries its session id: the node is
ended by signalling exactly those processes, and nothing else on the machine. (`ray stop` is no
use here: it stops every Ray process of the user on the machine, other people's clusters too.)
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RAY = Path(sys.executable).with_name("ray")
# A loopback address. Ray replaces 127.0.0.1 and localhost by the machine's outward address;
# another address of 127.0.0.0/8 it keeps, so the nodes and the driver talk over loopback.
NODE_IP = "127.0.0.2"
START_TIMEOUT = 180.0  # seconds for a node to come up on a loaded machine
STARTED = "Ray runtime started."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Node:
    """One `ray start --block` and the processes of its session."""

    process: subprocess.Popen
    log: Path

    def pids(self) -> list[int]:
        """Every live process of the node's session (the `ray start` process leads it)."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.getsid(int(entry)) == self.process.pid:
                        found.append(int(entry))
                except ProcessLookupError:
                    continue
        return found

    def processes_titled(self, part: str) -> list[int]:
        """The node's processes whose title (Ray sets it to the actor's class) contains `part`."""
        return [pid for pid in self.pids() if part in _title(pid)]

    def kill(self) -> None:
        """SIGKILL every process of the node, as a machine that is switched off loses them."""
        for _ in range(50):  # a process may fork while the others die
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        self.process.wait(timeout=30)


def _title(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def at_work(pid: int, looks: int = 10) -> bool:
    """Whether the Ray worker `pid` is running a task through `looks` looks over half a second:
    Ray titles a worker `ray::Class.method` while the method runs (`.submit` for a Ray Data
    batch, `.__init__` while the actor is built) and `ray::Class` when it waits for work."""
    for _ in range(looks):
        if not _title(pid).rstrip().endswith(".submit"):
            return False
        time.sleep(0.05)
    return True


class TwoNodeCluster:
    """A head node and a second node, on loopback, with their own ports and temp dir. Its own
    token too: on a shared machine, only the nodes and drivers given `client_env` may join."""

    def __init__(self, root: Path, env: dict[str, str], head_cpus: int, node_cpus: int):
        self.root = root
        self.client_env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
        self.env = {**os.environ, **env, **self.client_env, "RAY_USAGE_STATS_ENABLED": "0"}
        self.head_cpus, self.node_cpus = head_cpus, node_cpus
        self.port = free_port()
        self.address = f"{NODE_IP}:{self.port}"
        self.head: Node | None = None
        self.second: Node | None = None

    def start(self) -> None:
        self.head = self._start("head", "--head", "--port", str(self.port),
                                "--num-cpus", str(self.head_cpus),
                                "--include-dashboard", "false",
                                "--dashboard-port", str(free_port()),
                                "--temp-dir", str(self.root / "ray"))
        self.ensure_second_node()

    def ensure_second_node(self) -> None:
        """Start the second node, unless it runs (a test before may have lost it)."""
        if self.second is None:
            self.second = self._start("second", "--address", self.address,
                                      "--num-cpus", str(self.node_cpus))

    def stop_second_node(self) -> None:
        """The second node is lost: all its processes killed at once."""
        assert self.second is not None
        self.second.kill()
        self.second = None

    def shutdown(self) -> None:
        for node in (self.second, self.head):
            if node is not None:
                node.kill()
        self.second = self.head = None

    def _start(self, name: str, *args: str) -> Node:
        log = self.root / f"{name}-{time.monotonic_ns()}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(RAY), "start", "--block", "--node-ip-address", NODE_IP,
                 "--disable-usage-stats", "--min-worker-port", "0", "--max-worker-port", "0",
                 "--dashboard-agent-listen-port", str(free_port()), *args],
                stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True,
            )
        node = Node(process, log)
        deadline = time.monotonic() + START_TIMEOUT
        while STARTED not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                node.kill()
                raise RuntimeError(f"ray start ({name}) failed:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return node
