"""A human translation in a run: kept word for word, checked against the glossary but never
forced, aligned and scored by forced decoding (the real tiny model on CTranslate2)."""

from pathlib import Path

import pytest

from aligned.human_targets import serve_human
from glossary.match import Matcher
from glossary.termbase import Entry, TermBase
from glossary.uses import plan
from mt.document import Segment
from mt.human_memory import HumanTranslation

pytestmark = pytest.mark.slow
MATCHER = Matcher(TermBase((Entry("الحشد الشعبي", "PMF", "Popular Mobilization Forces (PMF)"),)))
ROWS = [  # source, the translator's target
    ("قال الحشد الشعبي إن الهجوم فشل.", "The militias said the attack failed."),  # no PMF
    ("وصل الحشد الشعبي إلى المدينة.", "The PMF reached the city."),
]


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path):
    from mt.engines.ctranslate2_engine import CTranslate2Engine

    return CTranslate2Engine(str(tiny_model_dir), threads=1)


def test_human_targets_are_kept_checked_aligned_and_scored(engine):
    segments = [Segment("d", i, 0, "content", source, 0, len(source), mt_source=source)
                for i, (source, _) in enumerate(ROWS)]
    translations = [HumanTranslation(source, target, "r.xlf", str(i))
                    for i, (source, target) in enumerate(ROWS)]
    serve_human(engine, segments, translations, plan(segments, MATCHER))
    assert [(s.target, s.origin) for s in segments] == [(t, "human") for _, t in ROWS]
    assert [s.glossary for s in segments] == [
        "الحشد الشعبي=Popular Mobilization Forces (PMF):failed", "الحشد الشعبي=PMF:human"]
    for segment in segments:
        assert segment.alignment  # links from the model's attention on the human target
        assert {"forced_logprob", "coverage", "glossary_compliance"} <= set(segment.signals)
        assert segment.flag in ("ok", "review", "bad")
    assert segments[0].signals["glossary_compliance"] < segments[1].signals["glossary_compliance"]
