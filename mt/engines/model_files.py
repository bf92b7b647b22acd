"""Find a Marian model's files: a local directory or a hub id served from the Hugging Face cache.

Every failure becomes a ModelError of one sentence. Both engines use this, so a user sees the
same message whichever engine loads the model.
"""

from __future__ import annotations

from pathlib import Path

from mt.errors import ModelError

TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
HUB_PATTERNS = ["*.json", "*.spm"]  # weights are fetched by from_pretrained (safetensors or bin)


def offline_message(model: str) -> str:
    return (
        f"Model {model!r} is not a local directory and is not in the Hugging Face cache, and the "
        "hub cannot be reached; pass --model DIR with a downloaded Marian model, or download it "
        "once online and then set HF_HUB_OFFLINE=1."
    )


def looks_like_path(model: str) -> bool:
    """A hub id is `name` or `org/name`; anything else is meant as a directory."""
    return (
        model.startswith((".", "/", "~", "\\"))
        or model.count("/") > 1
        or "\\" in model
        or Path(model).exists()
    )


def resolve_model_dir(model: str, revision: str | None = None) -> Path:
    """The directory holding the model's config and tokenizer files (downloaded if need be)."""
    if looks_like_path(model):
        directory = Path(model).expanduser()
        if not directory.is_dir():
            raise ModelError(f"Model directory {model} does not exist.")
    else:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

        try:
            directory = Path(snapshot_download(model, revision=revision,
                                               allow_patterns=HUB_PATTERNS))
        except LocalEntryNotFoundError as error:  # offline, or hub unreachable, and not cached
            raise ModelError(offline_message(model)) from error
        except (HFValidationError, OSError) as error:  # unknown repo or revision, bad id
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ModelError(f"Model {model!r} cannot be fetched from the hub: {reason}") from error
    missing = [name for name in TOKENIZER_FILES if not (directory / name).is_file()]
    if missing:
        raise ModelError(
            f"Model directory {directory} lacks its tokenizer files ({', '.join(missing)}); "
            "a Marian model needs source.spm, target.spm and vocab.json."
        )
    return directory
