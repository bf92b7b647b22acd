import numpy as np
import pytest

from aligned.pair_assessment import REASON_BELOW
from aligned.signals import SIGNALS, Pair, get_signal
from mt.engines.base import Hypothesis
from mt.errors import ConfigurationError

GOOD = Pair(
    "قال وزير الخارجية إن المحادثات مع 3 وفود ستستأنف الأسبوع المقبل.",
    "The foreign minister said talks with 3 delegations would resume next week.",
)


def _with_target(target: str, **kwargs) -> Pair:
    return Pair(GOOD.source, target, **kwargs)


@pytest.mark.parametrize(
    "signal, pair, most",
    [
        pytest.param(
            "repetition",
            _with_target("The foreign minister said talks said talks said talks said talks."),
            0.2, id="loop-of-a-phrase",
        ),
        pytest.param(
            "repetition", _with_target("The the the the the minister said talks with 3."),
            0.2, id="loop-of-a-word",
        ),
        pytest.param(
            "length_ratio", _with_target("The foreign minister said"), 0.6, id="truncated-half",
        ),
        pytest.param(
            "numbers",
            _with_target("The foreign minister said talks with 5 delegations would resume."),
            0.5, id="changed-number",
        ),
        pytest.param("arabic_script", _with_target(GOOD.source), 0.0, id="copied-arabic"),
        pytest.param(
            "arabic_script",
            _with_target("The foreign minister said talks with 3 وفود would resume next week."),
            0.8, id="one-arabic-word-left",
        ),
        pytest.param(
            "brackets", _with_target("The minister (of foreign affairs said talks with 3."),
            0.65, id="unbalanced-parenthesis",
        ),
        pytest.param(
            "latin_names",
            Pair("ذكرت قناة BBC أن الانتخابات ستجرى", "The channel said elections would be held"),
            0.0, id="latin-name-dropped",
        ),
        pytest.param(
            "glossary_compliance", _with_target(GOOD.target, terms=("Syrian Democratic Forces",)),
            0.0, id="glossary-term-missing",
        ),
    ],
)
def test_signal_trips_on_broken_pair(signal, pair, most):
    assert get_signal(signal).score([pair])[0] <= most
    assert get_signal(signal).score([GOOD])[0] in (1.0, None)  # the intact pair passes


@pytest.mark.parametrize(
    "signal, pair",
    [
        pytest.param("numbers", Pair("قتل ٢٥ شخصا", "25 people were killed"), id="indic-digits"),
        pytest.param(
            "numbers", Pair("عاد ثلاثة آلاف نازح", "3,000 displaced people returned"),
            id="written-arabic-vs-digits",
        ),
        pytest.param(
            "numbers", Pair("بقيمة 1.5 مليار دولار", "worth one and a half billion"),
            id="known-gap-fractions-in-words", marks=pytest.mark.xfail(strict=True),
        ),
        pytest.param(
            "numbers", Pair("بعد إغلاق دام أسبوعين", "after a two-week closure"),
            id="english-small-word-from-arabic-dual",
        ),
        pytest.param(
            "repetition", Pair("نعم نعم نعم للسلام", "Yes yes yes to peace"),
            id="repetition-the-source-has",
        ),
        pytest.param(
            "brackets", Pair('قال: "لن نسمح بذلك"', 'He said: "We will not allow it"'),
            id="quotes-on-both-sides",
        ),
        pytest.param(
            "latin_names", Pair("أعلنت شركة Siemens عن استثمار", "siemens announced an investment"),
            id="latin-name-any-case",
        ),
    ],
)
def test_signal_passes_intact_pair(signal, pair):
    assert get_signal(signal).score([pair])[0] in (1.0, None)


def test_numbers_describe_names_the_missing_number():
    pair = _with_target("The foreign minister said talks with 5 delegations would resume.")
    reason = get_signal("numbers").describe(pair)
    assert "3" in reason and "5" in reason


def test_score_checks_its_argument():
    with pytest.raises(TypeError):
        get_signal("numbers").score(GOOD)  # a Pair, not a sequence of them


def test_unknown_signal_lists_the_known_ones():
    with pytest.raises(ConfigurationError, match="length_ratio"):
        get_signal("fluency")


def test_model_signals_do_not_apply_without_a_hypothesis():
    for name, cls in SIGNALS.items():
        if cls.needs_model:
            assert get_signal(name).score([GOOD]) == [None], name


def _hypothesis(logprobs, attention=None):
    return Hypothesis(
        text=GOOD.target, tokens=["▁The", "▁talk", "s"], token_logprobs=logprobs,
        source_tokens=["▁قال", "▁الو", "زير", "▁إن"], attention=attention,
    )


def test_logprob_signals_rank_confident_above_unsure():
    confident = _with_target(GOOD.target, hypothesis=_hypothesis([-0.2, -0.4, -0.3, -0.1]))
    unsure = _with_target(GOOD.target, hypothesis=_hypothesis([-2.5, -7.0, -3.0, -2.0]))
    for name in ("mean_logprob", "min_logprob"):
        high, low = get_signal(name).score([confident, unsure])
        assert high > low, name
    assert get_signal("forced_logprob").score([confident]) == [None]  # not forced decoding


def test_coverage_drops_when_half_the_source_is_ignored():
    # 3 target pieces over 4 source pieces = 3 source words (قال | الوزير | إن).
    even = np.full((3, 4), 0.25)
    first_word_only = np.array([[1.0, 0, 0, 0]] * 3)
    covered = _with_target(GOOD.target, hypothesis=_hypothesis([-0.1] * 4, even))
    dropped = _with_target(GOOD.target, hypothesis=_hypothesis([-0.1] * 4, first_word_only))
    full, partial = get_signal("coverage").score([covered, dropped])
    assert full == 1.0 and partial == 0.0


# A translation whose glossary rendering the model barely chose: the pieces of "Islamic
# Revolutionary Guard Corps (IRGC)" carry the low log-probs.
IRGC = "Islamic Revolutionary Guard Corps (IRGC)"
IRGC_SOURCE = "قال سامر الخطيب إن الحرس الثوري سيطر على دمشق يوم الأحد."
IRGC_TARGET = f"Samer al-Khatib said the {IRGC} took control of Damascus on Sunday."
IRGC_PIECES = ["▁Samer", "▁al", "-", "Khatib", "▁said", "▁the", "▁Islamic", "▁Revolutionary",
               "▁Guard", "▁Corps", "▁(", "IR", "GC", ")", "▁took", "▁control", "▁of",
               "▁Damascus", "▁on", "▁Sunday", "."]
IRGC_LOGPROBS = [-0.1] * 6 + [-9.4, -3.0, -2.0, -1.0, -0.5, -4.0, -0.2, -0.1] + [-0.1] * 7 + [-0.05]


def _irgc_pair(terms=(IRGC,), forced=False, logprobs=IRGC_LOGPROBS, target=IRGC_TARGET):
    hypothesis = Hypothesis(target, IRGC_PIECES, list(logprobs), ["▁قال"])
    return Pair(IRGC_SOURCE, target, hypothesis, forced=forced, terms=terms,
                term_sources=("الحرس الثوري",) * len(terms))


def test_rendering_tokens_are_the_pieces_that_spell_a_rendering_found_in_the_english():
    from aligned.signals.renderings import rendering_tokens

    marked = rendering_tokens(_irgc_pair())
    assert [p for p, m in zip(IRGC_PIECES, marked, strict=True) if m] == IRGC_PIECES[6:14]
    assert not any(rendering_tokens(_irgc_pair(terms=("Quds Force",))))  # not in the English
    assert not any(rendering_tokens(_irgc_pair(terms=("Khat",))))  # inside a word: not it


@pytest.mark.parametrize("name, forced", [("mean_logprob", False), ("min_logprob", False),
                                          ("forced_logprob", True)])
def test_logprob_signals_leave_out_the_glossary_rendering(name, forced):
    signal = get_signal(name)
    with_terms = _irgc_pair(forced=forced)
    without_terms = _irgc_pair(terms=(), forced=forced)
    assert signal.raw(with_terms) == pytest.approx(-0.1 if name == "min_logprob" else
                                                   np.mean([-0.1] * 13 + [-0.05]))
    assert signal.raw(without_terms) < signal.raw(with_terms)
    # The model's doubt outside the rendering still counts.
    doubtful = list(IRGC_LOGPROBS)
    doubtful[15] = -9.0  # "control"
    assert signal.raw(_irgc_pair(forced=forced, logprobs=doubtful)) <= (
        -9.0 if name == "min_logprob" else -0.7)


def test_length_ratio_allows_for_the_renderings():
    signal = get_signal("length_ratio")
    assert signal.score([_irgc_pair(terms=())])[0] < 0.85  # the rendering read as the model's
    assert signal.score([_irgc_pair()])[0] == 1.0
    # A lost half is still short, rendering or not: it gets a reason (the coverage signal,
    # which reads the attention, is the one that sinks it).
    half = f"Samer al-Khatib said the {IRGC}."
    assert signal.score([Pair(IRGC_SOURCE, half, terms=(IRGC,),
                              term_sources=("الحرس الثوري",))])[0] < REASON_BELOW
