"""Convert a Marian model to CTranslate2 once, and find the converted copy afterwards.

The converted model lives in the user cache under a key made of the model id, its revision and a
fingerprint of the files it was converted from, so a changed local directory converts again.
Conversion writes into a temporary directory renamed into place, under a file lock, so two
processes that start together convert once and never see a half-written model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
from pathlib import Path

from mt.engines.alignment_attention import DEFAULT_ATTENTION, AttentionChoice, ctranslate2_heads
from mt.engines.model_source import model_key, resolve_model_dir
from mt.errors import ModelError
from mt.userdirs import cache_dir

logger = logging.getLogger(__name__)

# Bumped when the conversion below changes, so old conversions are not reused.
CONVERSION_VERSION = 3
# Files the engine reads next to the CTranslate2 weights.
TOKENIZER_FILES = ("source.spm", "target.spm")
SETTINGS_FILE = "jisr.json"
# The cache directory's subdirectory of converted models.
CONVERTED_DIR = "ctranslate2"


def converted_model_dir(
    model: str, revision: str | None, attention: AttentionChoice = DEFAULT_ATTENTION
) -> Path:
    """The CTranslate2 copy of `model` returning `attention`, converted now if this is its
    first use."""
    source_dir, _ = resolve_model_dir(model, revision)
    key = hashlib.sha256(
        f"{model_key(model, revision)}|{CONVERSION_VERSION}|{attention.key}".encode())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model.rstrip("/").split("/")[-1])
    target = cache_dir() / CONVERTED_DIR / f"{slug}-{key.hexdigest()[:16]}"
    if (target / SETTINGS_FILE).is_file():
        return target
    from filelock import FileLock

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not (target / SETTINGS_FILE).is_file():  # another process may have finished first
            _convert(source_dir, target, attention)
    return target


def _convert(source_dir: Path, target: Path, attention: AttentionChoice) -> None:
    # A warning so that users see why the first run pauses (a minute for opus-mt-ar-en).
    logger.warning("Converting %s to CTranslate2 int8, once; cached in %s", source_dir, target)
    from safetensors import SafetensorError  # a weights file cut short or corrupt

    staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        converter = aligned_converter(str(source_dir), attention.layer, attention.head,
                                      copy_files=list(TOKENIZER_FILES))
        converter.convert(str(staging / "model"), quantization="int8")
        settings = _generation_settings(source_dir)
        (staging / "model" / SETTINGS_FILE).write_text(json.dumps(settings, indent=1))
        (staging / "model").rename(target)
    except (OSError, ValueError, RuntimeError, KeyError, SafetensorError) as error:
        raise ModelError(
            f"Could not convert {source_dir} to CTranslate2 ({error})."
        ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("Conversion done: %s", target)


def _generation_settings(source_dir: Path) -> dict:
    """What the engine needs from the Hugging Face config files, which are not converted."""
    config = json.loads((source_dir / "config.json").read_text())
    generation_file = source_dir / "generation_config.json"
    generation = json.loads(generation_file.read_text()) if generation_file.is_file() else {}
    return {
        "num_beams": generation.get("num_beams", config.get("num_beams", 4)),
        "max_source_tokens": config.get("max_position_embeddings", 512),
    }


def aligned_converter(source_dir: str, layer: int, head: int | None, **options):
    """CTranslate2's Marian converter with the alignment attention set: the decoder layer and
    how many of its first heads are averaged (the converter's default is head 0 alone)."""
    from ctranslate2.converters import TransformersConverter

    class AlignedConverter(TransformersConverter):
        def _load(self):
            spec = super()._load()
            decoder = spec.decoder
            decoder.alignment_layer = type(decoder.alignment_layer)(layer)
            decoder.alignment_heads = type(decoder.alignment_heads)(
                ctranslate2_heads(head, int(decoder.num_heads)))
            return spec

    return AlignedConverter(source_dir, **options)
