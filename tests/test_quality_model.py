"""Model signals and word alignment with the real (tiny, random) Marian model: what the pipeline
guarantees, not fluency."""

import pytest

from aligned.quality import apply_translation
from mt.app.score import score_segments
from mt.document import FLAGS, Segment

SOURCE = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل."

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(tiny_model_dir):
    from mt.engines.transformers_engine import TransformersEngine

    return TransformersEngine(str(tiny_model_dir), threads=1)


def _segment(target: str = "") -> Segment:
    return Segment("doc", 0, 0, "content", SOURCE, 0, len(SOURCE), mt_source=SOURCE,
                   target=target)


def test_translation_gets_model_signals_and_a_word_alignment(engine):
    segment = _segment()
    apply_translation(segment, engine.translate([SOURCE]))
    assert {"mean_logprob", "min_logprob", "coverage"} <= set(segment.signals)
    assert "forced_logprob" not in segment.signals  # the model's own output
    assert segment.flag in FLAGS and 0.0 <= segment.score <= 1.0
    links = [tuple(map(int, link.split("-"))) for link in segment.alignment.split()]
    if segment.target.split():
        assert sorted(t for _, t in links) == list(range(len(segment.target.split())))
        assert all(s < len(SOURCE.split()) for s, _ in links)


def test_scoring_a_given_target_uses_forced_decoding(engine):
    [segment] = score_segments([_segment("The foreign minister said talks resume next week.")],
                               engine)
    assert "forced_logprob" in segment.signals and "mean_logprob" not in segment.signals
    assert "coverage" in segment.signals
