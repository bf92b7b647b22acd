"""The signature every output carries: everything that decides the output, so
that a file can be reproduced from its label, in sacrebleu's form `key:value|key:value|...`:

- the model, its revision, the engine and its calibration (`model:...|rev:...|engine:...|cal:...`,
  or `model:none` where no model ran);
- the decoding settings (`beam:...|maxlen:...`), where a model translated;
- the term bases (`gloss:...`) and the human translations served (`tm:...`), where used;
- the aligner's settings (`align:...`), for an alignment;
- what turns signals into the `score`, `flag` and `reasons` columns (aligned.pair_assessment:
  `weights:<hash of the signal weights>|ok:<ok from>|bad:<bad below>|reasons:<reasons below>`);
- jisr's version last (`v:...`).

No part holds a `|`, so a reader splits on it and then on the first `:`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from aligned.pair_assessment import scoring_signature
from glossary.termbase import TermBase
from mt.engines.base import DecodeOptions, TranslationEngine
from mt.human_memory import HumanTranslation, digest
from mt.version import __version__

if TYPE_CHECKING:  # the aligner and its numpy stack load only for `jisr align`
    from aligned.sentence_align import AlignSettings


def build_signature(
    engine: TranslationEngine | None,
    *,
    options: DecodeOptions | None = None,
    termbase: TermBase | None = None,
    human: Mapping[str, HumanTranslation] | None = None,
    aligner: AlignSettings | None = None,
) -> str:
    """The signature of an output made with `engine` (None: no model) and whichever of the
    other settings took part in it."""
    parts = [engine.signature() if engine is not None else "model:none"]
    if options is not None:
        parts.append(options.signature())
    if termbase is not None:
        parts.append(termbase.signature())
    if human:
        parts.append(f"tm:{digest(human)}")
    if aligner is not None:
        parts.append(f"align:{settings_digest(aligner)}")
    parts += [scoring_signature(), f"v:{__version__}"]
    return "|".join(parts)


def settings_digest(settings: object) -> str:
    """A short hash of a settings dataclass, field by field."""
    fields = json.dumps(dataclasses.asdict(settings), sort_keys=True)
    return hashlib.sha256(fields.encode()).hexdigest()[:8]
