import pytest

from aligned.pair_assessment import BAD_BELOW, NO_TRANSLATION, OK_FROM, assess, combine, flag_for
from glossary.match import Match
from glossary.termbase import Entry
from glossary.uses import TermUse
from mt.document import Segment

SOURCE = "قال قائد الشرطة إن 14 مشتبها بهم اعتقلوا في المداهمة."
TARGET = "The police chief said 14 suspects were arrested in the raid."


def _segment(target: str, kind: str = "content", matches=()) -> Segment:
    return Segment("doc", 0, 0, kind, SOURCE, 0, len(SOURCE), target=target, matches=list(matches))


@pytest.mark.parametrize(
    "score, flag",
    [
        pytest.param(1.0, "ok", id="perfect"),
        pytest.param(OK_FROM, "ok", id="ok-threshold-is-ok"),
        pytest.param(OK_FROM - 0.01, "review", id="just-below-ok"),
        pytest.param(BAD_BELOW, "review", id="bad-threshold-is-review"),
        pytest.param(BAD_BELOW - 0.01, "bad", id="just-below-review"),
        pytest.param(0.0, "bad", id="zero"),
    ],
)
def test_flag_thresholds(score, flag):
    assert flag_for(score) == flag


def test_combine_is_a_weighted_product_where_one_failure_is_enough():
    assert combine({"length_ratio": 1.0, "numbers": 1.0}) == 1.0
    assert combine({"length_ratio": 1.0, "numbers": 0.3, "repetition": 1.0}) == 0.3
    assert combine({"brackets": 0.64}) == 0.8  # weight 0.5: a square root
    assert combine({"numbers": 1.0, "mean_logprob": None}) == 1.0  # None does not apply


@pytest.mark.parametrize(
    "target, flag, reason_word",
    [
        pytest.param(TARGET, "ok", None, id="intact"),
        pytest.param("The police chief said 41 suspects were arrested in the raid.", "review",
                     "41", id="changed-number"),
        pytest.param("The police chief said", "bad", "shorter", id="truncated"),
        pytest.param(SOURCE, "bad", "Arabic", id="copied-arabic"),
        pytest.param("The police chief said the police chief said the police chief said the "
                     "police chief said 14", "bad", "loop", id="loop"),
        pytest.param("", "bad", NO_TRANSLATION, id="empty"),
    ],
)
def test_assess_fills_score_flag_signals_and_reasons(target, flag, reason_word):
    segment = assess(_segment(target))
    assert segment.flag == flag
    assert 0.0 <= segment.score <= 1.0
    if reason_word is None:
        assert segment.reasons == [] and segment.score == 1.0
        assert set(segment.signals) >= {"length_ratio", "numbers", "repetition"}
    else:
        assert any(reason_word in reason for reason in segment.reasons), segment.reasons


def test_untranslated_boilerplate_is_skipped_without_score():
    segment = assess(_segment("", kind="boilerplate"))
    assert (segment.flag, segment.score, segment.reasons) == ("skipped", None, [])


def test_glossary_matches_are_checked_in_the_target():
    term, start = "الشرطة", SOURCE.index("الشرطة")
    match = Match(start, start + len(term), term, "", Entry(term, "Iraqi police"), term)
    segment = assess(_segment(TARGET, matches=[TermUse(match, form="Iraqi police", first=True)]))
    assert segment.signals["glossary_compliance"] == 0.0
    assert any("Iraqi police" in reason for reason in segment.reasons)
