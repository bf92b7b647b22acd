"""The glossary changes the names and nothing else, on trained mini models of two worlds
(tests/conftest.py): the default one, and the plain one that never saw a glossary rendering in
its Arabic and sees the house rendering in a quarter of its English, as opus-mt-ar-en never saw
jisr's injected renderings. Measured on each model's test split, which no development reads
(scripts/eval_glossary_fluency.py prints the same figures on any split; docs/measurements.md
has them, the table "The glossary on three worlds")."""

from __future__ import annotations

import pytest

from eval_glossary_fluency import measure, read_rows

pytestmark = pytest.mark.slow

ENGINES = ["ctranslate2", "transformers"]
# Each test split whole (300 sentences): the bars hold on it as measured, not on a part of it.
TEST_ROWS = None
# Issue 21's bars.
REST_UNCHANGED = 95.0  # % of all sentences: the English differs only at the renderings
EXACT_NEEDING = 85.0  # % of the sentences needing the glossary that come out exactly right
FLAGGED_RIGHT = 3.0  # % of the exactly right outputs that the quality score flags
EXACT_DEFAULT_WORLD = 95.0  # % of all sentences exactly right on the default world


@pytest.mark.parametrize("engine_name", ENGINES)
def test_the_glossary_changes_only_the_names_on_a_model_that_never_saw_it(
    engine_name: str, plain_world_model_dir
) -> None:
    rows = read_rows(plain_world_model_dir / "test.tsv", TEST_ROWS)
    figures = measure(engine_name, str(plain_world_model_dir), rows)
    assert figures["needing the glossary"] >= figures["sentences"] // 3  # the split needs it
    assert figures["all: rest unchanged %"] >= REST_UNCHANGED, figures
    assert figures["needing: exact = house_reference %"] >= EXACT_NEEDING, figures
    assert figures["doubles"] == 0 and figures["tails"] == 0, figures
    assert (figures["needing: chrF with glossary vs house_reference"]
            >= figures["needing: chrF without glossary vs house_reference"]), figures
    assert figures["exact outputs flagged review or bad %"] <= FLAGGED_RIGHT, figures


@pytest.mark.parametrize("engine_name", ENGINES)
def test_the_default_world_stays_exact(engine_name: str, mini_model_dir) -> None:
    rows = read_rows(mini_model_dir / "test.tsv", TEST_ROWS)
    figures = measure(engine_name, str(mini_model_dir), rows)
    assert figures["all: exact = house_reference %"] >= EXACT_DEFAULT_WORLD, figures
    assert figures["all: rest unchanged %"] >= REST_UNCHANGED, figures
    assert figures["doubles"] == 0 and figures["tails"] == 0, figures
