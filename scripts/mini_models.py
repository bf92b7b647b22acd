"""The trained mini models, cached between sessions: one per world (the switches of
scripts/train_mini_model.py) and per content of the scripts that make it. The tests' fixtures
and scripts/measurements.py take them from here.

    python scripts/mini_models.py [WORLD]     # print the directory, training it if missing
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Everything a trained model and its heldout.tsv and test.tsv depend on.
INPUTS = ("scripts/train_mini_model.py", "scripts/mini_world.py", "scripts/make_tiny_model.py",
          "glossary/data/default.tsv")
WORLDS: dict[str, tuple[str, ...]] = {
    "default": (),
    # The world opus-mt-ar-en resembles more: it never saw a glossary rendering in its Arabic,
    # and a quarter of its English uses the house renderings.
    "plain": ("--no-injected-renderings", "--house-share", "0.25"),
    # The harshest: the house renderings never occur in its English.
    "never-house": ("--no-injected-renderings", "--house-share", "0"),
}


def cache() -> Path:
    """$JISR_TEST_MODELS, else ~/.cache/jisr-test-models (outside the repository, shared by
    worktrees)."""
    return Path(os.environ.get("JISR_TEST_MODELS", Path.home() / ".cache" / "jisr-test-models"))


def key(switches: tuple[str, ...] = ()) -> str:
    import torch
    import transformers

    digest = hashlib.sha256(f"{torch.__version__} {transformers.__version__}".encode())
    for name in INPUTS:
        digest.update((REPO / name).read_bytes())
    digest.update(" ".join(switches).encode())
    return digest.hexdigest()[:16]


def trained(switches: tuple[str, ...] = ()) -> Path:
    """The model of these switches, trained (a few minutes) only when none is cached; a lock
    makes concurrent sessions train once, and the directory appears whole (renamed into
    place). Raises RuntimeError with the training's last words if it fails."""
    root = cache()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"mini-{key(switches)}"
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            work = Path(tempfile.mkdtemp(dir=root, prefix=".training-"))
            try:
                result = subprocess.run(
                    [sys.executable, str(REPO / "scripts" / "train_mini_model.py"), str(work),
                     *switches],
                    capture_output=True, timeout=3600,
                )
                if result.returncode:
                    raise RuntimeError(
                        f"train_mini_model.py failed: {result.stderr.decode()[-2000:]}")
                work.rename(target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    return target


if __name__ == "__main__":
    print(trained(WORLDS[sys.argv[1] if len(sys.argv) > 1 else "default"]))
