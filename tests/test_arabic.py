"""MT-input normalisation and the matching helpers of mt/arabic.py."""

from __future__ import annotations

import pytest

from mt.arabic import (
    arabic_letter_ratio,
    fold_letter_variants,
    is_arabic_char,
    matching_form,
    normalize_for_mt,
    strip_diacritics,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("الســـلام", "السلام", id="tatweel"),
        pytest.param("\ufe8d\ufedf\ufeb4\ufefc\ufee1", "السلام", id="presentation-forms"),
        pytest.param("\ufefb بأس", "لا بأس", id="lam-alef-ligature"),
        pytest.param("قال\u200f إن \u202bالوزير\u202c", "قال إن الوزير", id="bidi-marks"),
        pytest.param("مست\u200dشفى\u200b", "مستشفى", id="zero-width"),
        pytest.param("عام ٢٠٢٤ و١٥٪", "عام 2024 و15%", id="arabic-indic-digits"),
        pytest.param("۱۲۳ کیلو", "123 كيلو", id="persian-digits-and-letters"),
        pytest.param("٣٫٥ مليون", "3.5 مليون", id="arabic-decimal-separator"),
        pytest.param("  كلمة\t\u00a0 أخرى \n", "كلمة أخرى", id="whitespace"),
        pytest.param("(قسد) .", "(قسد).", id="space-before-period"),
        pytest.param("ماذا حدث ؟", "ماذا حدث؟", id="space-before-question"),
        pytest.param("(قسد) ،وبموافقة", "(قسد)، وبموافقة", id="comma-glued-to-next-word"),
        pytest.param("بلغ 2 .5 مليون", "بلغ 2 .5 مليون", id="dot-before-digit-kept"),
        pytest.param("x\u00b2 ＡＢ", "x\u00b2 ＡＢ", id="nfkc-only-on-arabic-forms"),
        pytest.param("ا\u0654", "أ", id="nfc-composes-hamza"),
    ],
)
def test_normalize_for_mt(raw: str, expected: str) -> None:
    assert normalize_for_mt(raw) == expected


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        pytest.param("ب", True, id="letter"),
        pytest.param("٣", True, id="arabic-indic-digit"),
        pytest.param("\ufefb", True, id="presentation-form"),
        pytest.param("b", False, id="latin"),
        pytest.param("3", False, id="western-digit"),
    ],
)
def test_is_arabic_char(ch: str, expected: bool) -> None:
    assert is_arabic_char(ch) is expected


def test_arabic_letter_ratio_counts_letters_only() -> None:
    assert arabic_letter_ratio("مرحبا 123 !!") == 1.0
    assert arabic_letter_ratio("ab مم") == 0.5
    assert arabic_letter_ratio("123") == 0.0


def test_strip_diacritics() -> None:
    assert strip_diacritics("مُحَمَّدٌ عَلِيٌّ") == "محمد علي"


@pytest.mark.parametrize(
    ("raw", "ta_marbuta", "expected"),
    [
        pytest.param("أحمد إبراهيم آمال ٱلله", False, "احمد ابراهيم امال الله", id="alef"),
        pytest.param("مستشفى", False, "مستشفي", id="alef-maksura"),
        pytest.param("مدرسة", False, "مدرسة", id="ta-marbuta-kept"),
        pytest.param("مدرسة", True, "مدرسه", id="ta-marbuta-folded"),
    ],
)
def test_fold_letter_variants(raw: str, ta_marbuta: bool, expected: str) -> None:
    folded = fold_letter_variants(raw, ta_marbuta)
    assert folded == expected
    assert len(folded) == len(raw)


def test_matching_form_maps_back_to_the_original() -> None:
    text = "وصل الرَّئيـــس إلى بغداد"
    key, positions = matching_form(text)
    assert key == "وصل الرئيس الي بغداد"
    i = key.index("الرئيس")
    j = i + len("الرئيس")
    assert text[positions[i] : positions[j - 1] + 1] == "الرَّئيـــس"
