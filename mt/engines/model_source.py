"""Where a model's files are, and a fingerprint that changes when they do: keys for the
converted-model cache and the machine-translation cache."""

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


# A Marian model needs these beside its config and weights.
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
# What a hub snapshot downloads: config, tokenizer and PyTorch weights, not the TF/Rust copies.
HUB_PATTERNS = ["*.json", "*.spm", "*.safetensors", "pytorch_model.bin"]


def offline_message(model: str) -> str:
    return (
        f"Model {model!r} is neither a local directory nor in the Hugging Face cache, and the "
        "hub cannot be reached; pass --model DIR with a downloaded Marian model, or download "
        "it once and set HF_HUB_OFFLINE=1."
    )


def looks_like_path(model: str) -> bool:
    """A hub id is `name` or `org/name`; anything else is meant as a local directory."""
    return (
        model.startswith((".", "/", "~", "\\"))
        or model.count("/") > 1
        or "\\" in model
        or Path(model).expanduser().exists()
    )


@cache
def resolve_model_dir(model: str, revision: str | None) -> tuple[Path, str]:
    """The local directory holding `model` (a directory or a hub id), and its fingerprint: the
    hub snapshot's commit hash, or a hash of a local directory's files."""
    if looks_like_path(model):
        path = Path(model).expanduser()
        if not path.is_dir():
            raise ModelError(
                f"Model directory {model} does not exist; pass --model DIR with a Marian model."
            )
        directory, fingerprint = path.resolve(), None
    else:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

        try:
            directory = Path(snapshot_download(model, revision=revision,
                                               allow_patterns=HUB_PATTERNS))
        except (LocalEntryNotFoundError, HfHubHTTPError, OSError, ValueError) as error:
            raise ModelError(offline_message(model)) from error
        fingerprint = directory.name  # snapshot directories are named by their commit hash
    missing = [name for name in TOKENIZER_FILES if not (directory / name).is_file()]
    if missing:
        raise ModelError(
            f"Model directory {directory} lacks its tokenizer files ({', '.join(missing)}); "
            "pass --model DIR with a whole Marian model (source.spm, target.spm, vocab.json)."
        )
    return directory, fingerprint or _hash_files(directory)


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
