"""Where a model's files are, and a fingerprint that changes when they do: keys for the
converted-model cache and the translation memory."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from mt.errors import ModelError

# What decides a model's output; hashed for local directories.
FINGERPRINT_FILES = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "pytorch_model.bin",
    "vocab.json",
    "source.spm",
    "target.spm",
)


@cache
def resolve_model_dir(model: str, revision: str | None) -> tuple[Path, str]:
    """The local directory holding `model` (a directory or a hub id), and its fingerprint: the
    hub snapshot's commit hash, or a hash of a local directory's files."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve(), _hash_files(path)
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        snapshot = Path(snapshot_download(model, revision=revision))
    except (LocalEntryNotFoundError, HfHubHTTPError, OSError, ValueError) as error:
        raise ModelError(
            f"Model {model!r} is neither a local directory nor in the Hugging Face cache, and the "
            "hub cannot be reached; pass --model DIR with a downloaded Marian model, or download "
            "it once and set HF_HUB_OFFLINE=1."
        ) from error
    return snapshot, snapshot.name  # snapshot directories are named by their commit hash


def model_key(model: str, revision: str | None) -> str:
    """One string naming exactly these model files."""
    directory, fingerprint = resolve_model_dir(model, revision)
    return f"{directory}|rev:{revision or 'default'}|files:{fingerprint[:16]}"


def _hash_files(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in FINGERPRINT_FILES:
        file = directory / name
        if file.is_file():
            digest.update(name.encode())
            with file.open("rb") as stream:
                digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()
