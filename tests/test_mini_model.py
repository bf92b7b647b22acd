"""The trained mini model (scripts/train_mini_model.py) really translates its small world: on the
held-out sentences, through `jisr translate` on both engines, with natural stopping."""

from __future__ import annotations

import re

import pytest
import sacrebleu

from tests.cli_helpers import read_tsv, run_jisr

ENGINES = ["auto", "transformers"]  # auto is CTranslate2, what a user gets by default
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*[A-Za-z]|[A-Z]")


@pytest.fixture(scope="module")
def heldout(mini_model_dir):
    return read_tsv(mini_model_dir / "heldout.tsv")


@pytest.fixture(scope="module")
def translations(mini_model_dir, heldout, tmp_path_factory) -> dict[str, list[str]]:
    """The held-out sources translated by `jisr translate`, per engine, no glossary, beam 4."""
    work = tmp_path_factory.mktemp("mini_translate")
    source = work / "heldout.txt"
    source.write_text("\n".join(heldout["source"]) + "\n", encoding="utf-8")
    found = {}
    for engine in ENGINES:
        out = work / engine
        result = run_jisr("translate", str(source), "-o", str(out), "--model", str(mini_model_dir),
                          "--engine", engine, "--no-default-glossary", "--beam", "4",
                          "--no-cache")
        assert result.returncode == 0, result.stderr.decode()
        rows = read_tsv(out / "heldout.tsv")
        assert list(rows["source"]) == list(heldout["source"])  # one segment per sentence
        found[engine] = list(rows["target"])
    return found


def test_heldout_file(mini_model_dir, heldout):
    from train_mini_model import HELDOUT_COLUMNS, world

    assert tuple(heldout.columns) == HELDOUT_COLUMNS
    assert len(heldout) >= 300
    made = world(0)
    assert [s.source for s in made.heldout] == list(heldout["source"])
    test = read_tsv(mini_model_dir / "test.tsv")
    assert [s.source for s in made.test] == list(test["source"])
    seen = {s.source for s in made.train}
    assert not seen & set(heldout["source"]) and not seen & set(test["source"])
    assert not set(heldout["source"]) & set(test["source"])
    for row in heldout.itertuples():
        pairs = [tuple(map(int, p.split("-"))) for p in row.alignment.split()]
        assert all(s < len(row.source.split()) and t < len(row.reference.split()) for s, t in pairs)
    qasad = heldout[heldout["source"].str.contains("قسد")]
    assert len(qasad) and not qasad["reference"].str.contains("SDF").any()
    assert qasad["house_reference"].str.contains("SDF").all()


@pytest.mark.parametrize("engine", ENGINES)
def test_chrf_at_least_90(translations, heldout, engine):
    chrf = sacrebleu.corpus_chrf(translations[engine], [list(heldout["reference"])]).score
    assert chrf >= 90, chrf


@pytest.mark.parametrize("engine", ENGINES)
def test_own_rendering_of_qasad_without_glossary(translations, heldout, engine):
    outputs = [t for t, s in zip(translations[engine], heldout["source"], strict=True)
               if "قسد" in s]
    assert outputs
    assert not any("SDF" in t for t in outputs)
    assert sum("Qasad" in t for t in outputs) >= 0.9 * len(outputs)


@pytest.mark.parametrize("engine", ENGINES)
def test_latin_words_copied_through(translations, heldout, engine):
    """Renderings as tier-1 injection writes them into the Arabic are copied; made-up names never
    seen in training less surely by this small model (measured on the 2,400-step model: 19 of
    27 whole on both engines; 5 of 27 with the 1,000-step one)."""
    from glossary.termbase import load_default

    renderings = {w for e in load_default().entries
                  for w in LATIN_WORD.findall(f"{e.target} {e.first_mention}")}
    pairs = [(LATIN_WORD.findall(s), t)
             for s, t in zip(heldout["source"], translations[engine], strict=True)]
    injected = [(words, t) for words, t in pairs if words and set(words) <= renderings]
    made_up = [(words, t) for words, t in pairs if words and not set(words) <= renderings]
    assert injected and made_up
    copied = sum(all(w in t for w in words) for words, t in injected)
    assert copied >= 0.95 * len(injected), (copied, len(injected))
    copied_made_up = sum(all(w in t for w in words) for words, t in made_up)
    assert copied_made_up >= 0.5 * len(made_up), (copied_made_up, len(made_up))


def test_engines_mostly_agree(translations):
    same = sum(a == b for a, b in zip(*translations.values(), strict=True))
    assert same >= 0.9 * len(translations["auto"]), same


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_outputs_stop_by_themselves(mini_model_dir, heldout, engine):
    """Every output ends with the model's own </s>, well before the length cap."""
    from mt.engines import load_engine
    from mt.engines.base import MAX_LEN_A, MAX_LEN_B, DecodeOptions

    loaded = load_engine(engine, str(mini_model_dir))
    hyps = loaded.translate(list(heldout["source"]), DecodeOptions(beam=4))
    for hyp in hyps:
        cap = int(MAX_LEN_A * len(hyp.source_tokens) + MAX_LEN_B)
        assert len(hyp.tokens) + 1 < cap
        assert hyp.token_logprobs[-1] > -1.0  # </s> chosen with confidence, not forced
        assert "truncated" not in hyp.extra  # what the glossary's tier 3 reads


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_injected_renderings_copied_and_the_rest_translated(mini_model_dir, heldout, engine):
    """Tier-1 injection on a model that copies: each held-out sentence holding a glossary term,
    its terms replaced by the default glossary's renderings as glossary.enforce does, decodes to
    an English holding every rendering, and most of them to the house reference whole (the rest
    of the sentence translated as before: no number or name disturbed)."""
    from glossary.match import Matcher
    from glossary.termbase import load_default
    from glossary.uses import inject, plan, satisfied
    from mt.document import Segment
    from mt.engines import load_engine
    from mt.engines.base import DecodeOptions

    matcher = Matcher(load_default())
    cases = []
    for row in heldout.itertuples():
        segment = Segment("doc", 0, 0, "content", row.source, 0, len(row.source))
        uses = plan([segment], matcher)[0]
        own = [u for u in uses if u.covered_by is None]
        if own:
            injected = inject(row.source, [u.match for u in own], [u.form for u in own])
            cases.append((injected, uses, row.house_reference))
    assert len(cases) >= 200
    hyps = load_engine(engine, str(mini_model_dir)).translate([c[0] for c in cases],
                                                              DecodeOptions(beam=4))
    kept = [ok for (_, uses, _), hyp in zip(cases, hyps, strict=True)
            for ok in satisfied(hyp.text, uses)]
    assert sum(kept) >= 0.95 * len(kept), (sum(kept), len(kept))  # measured: 98%
    whole = sum(hyp.text == house for (_, _, house), hyp in zip(cases, hyps, strict=True))
    assert whole >= 0.75 * len(cases), (whole, len(cases))  # measured: 83%; before: 43%
