"""The glossary keeps the English fluent, on the trained mini model: each rendering where its term
is translated, once, never tacked on after the full stop, on both engines, each held-out sentence
its own document with the shipped default glossary (issue 13). The named cases are held-out
sentences chosen by what they hold, so the test follows the world train_mini_model.py builds."""

from __future__ import annotations

import pytest

from glossary.match import Matcher
from glossary.termbase import load_default
from mt.engines import load_engine
from scripts.eval_glossary_fluency import (
    after_final_punctuation,
    measure,
    normalised,
    own_renderings,
    read_heldout,
    translate,
)

pytestmark = pytest.mark.slow

ENGINES = ["ctranslate2", "transformers"]


def _named_cases(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """One held-out row per named case of the issue."""
    matcher = Matcher(load_default())
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        matches = matcher.find(row["source"])
        renderings = [m.entry.target for m in matches]
        firsts = [r.split()[0] for r in renderings]
        tests = {
            "term at sentence start": bool(matches) and matches[0].start == 0,
            "two terms": len(matches) >= 2,
            "renderings sharing a first word": len(set(firsts)) < len(firsts),
            "term the model renders its own way": any(
                m.entry.target not in row["reference"] and m.entry.target in row["house_reference"]
                for m in matches),
            "term next to a clitic": any(m.prefix for m in matches),
        }
        for name, hit in tests.items():
            if hit and name not in found:
                found[name] = row
    return found


@pytest.fixture(scope="module")
def cases(mini_model_dir) -> dict[str, dict[str, str]]:
    rows = read_heldout(mini_model_dir / "heldout.tsv", None)
    named = _named_cases(rows)
    assert len(named) == 5, sorted(named)  # the world holds every named case
    return named


@pytest.mark.parametrize("engine_name", ENGINES)
def test_named_cases_read_in_house_style_without_doubles_or_tails(
    engine_name: str, mini_model_dir, cases
) -> None:
    engine = load_engine(engine_name, str(mini_model_dir))
    rows = list(cases.values())
    segments = translate(engine, str(mini_model_dir), [r["source"] for r in rows], True)
    pairs = own_renderings(read_heldout(mini_model_dir / "heldout.tsv", None))
    for name, row, segs in zip(cases, rows, segments, strict=True):
        out = " ".join(s.target for s in segs)
        house = row["house_reference"]
        uses = [u for s in segs for u in s.matches]
        assert uses and all(u.tier is not None for u in uses), (name, out, house)
        assert not after_final_punctuation(out) or after_final_punctuation(house), (name, out)
        for rendering, own in pairs.items():
            if rendering in out and own not in house and own not in rendering:
                assert own not in out, (name, out, house)
    exact = sum(normalised(" ".join(s.target for s in segs)) == normalised(r["house_reference"])
                for r, segs in zip(rows, segments, strict=True))
    assert exact >= 3, [" ".join(s.target for s in segs) for segs in segments]


# The issue's bars, on the whole held-out set (400 sentences; about a minute on CTranslate2 and
# a few on transformers). The 2,400-step model measured 95.2% and 96.8% exact, 97.9% and 98.7%
# of the model's exact sentences kept, chrF 0.3 below on both (README, Glossary).
CHRF_LOSS = 1.0
EXACT = 95.0  # % of outputs equal to house_reference
EXACT_KEPT = 95.0  # % of the sentences the model alone gets right that stay exactly right


@pytest.mark.parametrize("engine_name", ENGINES)
def test_issue_figures_on_the_heldout_set(engine_name: str, mini_model_dir) -> None:
    """The issue's figures on every held-out sentence, each its own document (README,
    Glossary; scripts/eval_glossary_fluency.py prints the same)."""
    rows = read_heldout(mini_model_dir / "heldout.tsv", None)
    figures = measure(engine_name, str(mini_model_dir), rows)
    assert figures["failed"] == 0
    assert figures["glossary and own rendering both"] == 0
    assert figures["rendering after final punctuation"] == 0
    assert (figures["chrF glossary vs house_reference"]
            >= figures["chrF no glossary vs reference"] - CHRF_LOSS)
    assert figures["exact = house_reference % where no glossary = reference"] >= EXACT_KEPT
    assert figures["exact = house_reference %"] >= EXACT
