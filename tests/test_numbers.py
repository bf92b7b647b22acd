import pytest

from aligned.numbers import arabic_numbers, english_numbers


@pytest.mark.parametrize(
    "text, values",
    [
        pytest.param("قتل ٢٥ شخصا", [25], id="arabic-indic-digits"),
        pytest.param("قتل ۲۵ شخصا", [25], id="extended-arabic-indic-digits"),
        pytest.param("بلغ ١٬٥٠٠ جريح", [1500], id="arabic-thousands-separator"),
        pytest.param("نسبة ٣٫٥ بالمئة", [3.5], id="arabic-decimal-separator"),
        pytest.param("و1,500 جريح عام 2024", [1500, 2024], id="western-digits-after-conjunction"),
        pytest.param("1.5 مليون دولار", [1.5e6], id="digits-with-scale"),
        pytest.param("ثلاثة آلاف جندي", [3000], id="unit-times-plural-thousands"),
        pytest.param("ألف جندي", [1000], id="thousand"),
        pytest.param("ألفين جندي", [2000], id="dual-thousand"),
        pytest.param("خمسة وعشرين ألفا", [25000], id="compound-with-conjunction"),
        pytest.param("ثلاثة عشر قتيلا", [13], id="teen"),
        pytest.param("ثلاثمائة شخص", [300], id="hundreds-compound"),
        pytest.param("آلاف المدنيين", [], id="vague-plural-is-no-number"),
        pytest.param("رجل واحد", [], id="lone-one-is-no-number"),
    ],
)
def test_arabic_numbers(text, values):
    assert [m.value for m in arabic_numbers(text)] == values


@pytest.mark.parametrize(
    "text, values",
    [
        pytest.param("2,000 troops and 13 dead", [2000, 13], id="digits"),
        pytest.param("twenty-five thousand people", [25000], id="hyphenated-words"),
        pytest.param("three hundred and twenty", [320], id="and-between-words"),
        pytest.param("1.5 million dollars", [1.5e6], id="digits-with-scale"),
        pytest.param("thousands of people", [], id="vague-plural-is-no-number"),
        pytest.param("one of the men", [], id="one-is-no-number"),
        pytest.param("Thirteen died", [13], id="capitalised"),
    ],
)
def test_english_numbers(text, values):
    assert [m.value for m in english_numbers(text)] == values
