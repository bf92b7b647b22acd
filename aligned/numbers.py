"""Numbers in Arabic and English text, as values, so that the two sides can be compared.

Digits in any of the three scripts (Western, Arabic-Indic, Extended Arabic-Indic), the Arabic
decimal and thousands separators, scale words after digits ("1.5 million", "3 آلاف") and
written-out numbers in both languages ("twenty-five thousand", "خمسة وعشرين ألفا") all become
floats. A pure module: no I/O; Arabic spellings fold as mt.arabic folds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mt.arabic import matching_form

_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")

# A digit run with optional thousands groups and decimals: 1,500  1500  2.75  ١٬٥٠٠
_DIGITS = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class NumberMention:
    value: float
    text: str  # as written, for messages
    written_out: bool  # spelled in words rather than digits


Word = tuple[str, float]  # (unit | scale | plural-scale | and, value)


def _lexicon(kind: str, groups: dict[float, str]) -> dict[str, Word]:
    return {word: (kind, value) for value, words in groups.items() for word in words.split()}


# English number words. "one" and "a" are left out: they are articles and pronouns far more often.
# Plural scales count only after a number: "thousands of people" is vague, not a number.
_EN_WORDS = {
    **_lexicon("unit", {
        2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
        10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen",
        16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty",
        30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
        90: "ninety",
    }),
    **_lexicon("scale", {100: "hundred", 1e3: "thousand", 1e6: "million", 1e9: "billion"}),
    **_lexicon(
        "plural-scale", {100: "hundreds", 1e3: "thousands", 1e6: "millions", 1e9: "billions"}
    ),
    "and": ("and", 0.0),
}

# Arabic number words in the normalised spelling of _normalise_arabic (alef and ya unified, ta
# marbuta as ha). Plural scales (آلاف, ملايين) multiply a preceding unit: ثلاثة آلاف = 3000;
# dual scales are two of the scale by themselves: ألفين = 2000.
_AR_WORDS = {
    **_lexicon("unit", {
        1: "واحد واحده", 2: "اثنان اثنين اثنتان اثنتين", 3: "ثلاث ثلاثه", 4: "اربع اربعه",
        5: "خمس خمسه", 6: "ست سته", 7: "سبع سبعه", 8: "ثماني ثمانيه ثمان", 9: "تسع تسعه",
        10: "عشر عشره", 20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "اربعون اربعين",
        50: "خمسون خمسين", 60: "ستون ستين", 70: "سبعون سبعين", 80: "ثمانون ثمانين",
        90: "تسعون تسعين", 200: "مئتان مئتين مئتي مائتان مائتين مائتي",
        300: "ثلاثمئه ثلاثمائه", 400: "اربعمئه اربعمائه", 500: "خمسمئه خمسمائه",
        600: "ستمئه ستمائه", 700: "سبعمئه سبعمائه", 800: "ثمانمئه ثمانمائه",
        900: "تسعمئه تسعمائه",
        2e3: "الفين الفان", 2e6: "مليونين مليونان", 2e9: "مليارين ملياران",
    }),
    **_lexicon(
        "scale", {100: "مئه مائه", 1e3: "الف الفا", 1e6: "مليون مليونا", 1e9: "مليار مليارا"}
    ),
    **_lexicon("plural-scale", {1e3: "الاف", 1e6: "ملايين", 1e9: "مليارات"}),
}
_AR_TEEN_TEN = ("عشر", "عشره")  # "ثلاثة عشر" = 13
_AR_PREFIXES = ("و", "ب")  # "and", "by": خمسة وعشرين = 25, بثلاثة = by three


def _normalise_arabic(word: str) -> str:
    return matching_form(word, ta_marbuta=True)[0]


def _digit_value(text: str) -> float:
    return float(text.replace(",", ""))


def _tokens(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*|[^\W\d_]+", text.translate(_DIGIT_TABLE))


def english_numbers(text: str) -> list[NumberMention]:
    """Every number in English text: digits, digits with a scale word, and written-out numbers."""
    return _parse(_tokens(text), _english_word)


def arabic_numbers(text: str) -> list[NumberMention]:
    """Every number in Arabic text, with the same rules as english_numbers."""
    return _parse(_tokens(text), _arabic_word)


def _english_word(token: str) -> Word | None:
    return _EN_WORDS.get(token.lower())


@lru_cache(maxsize=1 << 16)  # every Arabic word of a document is looked up
def _arabic_word(token: str) -> Word | None:
    word = _normalise_arabic(token)
    found = _AR_WORDS.get(word)
    if found is None and word[:1] in _AR_PREFIXES and len(word) > 2:
        found = _AR_WORDS.get(word[1:])
    return found


def _parse(tokens: list[str], classify) -> list[NumberMention]:
    """Group runs of number words (and a digit run with its scale words) into values.

    The grammar is the ordinary one of both languages: units add up, a scale multiplies what came
    before it in the current group ("three hundred twenty thousand" = 320,000).
    """
    mentions: list[NumberMention] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token[0].isdigit():
            value = _digit_value(token) if _DIGITS.fullmatch(token) else None
            end = index + 1
            while value is not None and end < len(tokens):
                kind_value = classify(tokens[end])
                if not kind_value or not kind_value[0].endswith("scale"):  # "1.5 million"
                    break
                value *= kind_value[1]
                end += 1
            if value is not None:
                mentions.append(NumberMention(value, " ".join(tokens[index:end]), False))
            index = end if value is not None else index + 1
            continue
        value, end = _words_value(tokens, index, classify)
        if end > index:
            mentions.append(NumberMention(value, " ".join(tokens[index:end]), True))
            index = end
        else:
            index += 1
    return mentions


def _words_value(tokens: list[str], start: int, classify) -> tuple[float, int]:
    total = 0.0  # completed groups (after a thousand-or-larger scale)
    group = 0.0  # the group being read
    end = start
    seen_number = False
    index = start
    while index < len(tokens):
        kind_value = classify(tokens[index])
        if kind_value is None:
            break
        kind, value = kind_value
        if kind == "and":  # English "and" only between number words
            if not seen_number or index + 1 >= len(tokens) or not classify(tokens[index + 1]):
                break
            index += 1
            continue
        if kind == "plural-scale" and not group:
            break  # "thousands of people": no number
        if kind == "unit":
            if value == 10 and seen_number and group and group < 10 and _is_teen(tokens[index]):
                group += 10  # Arabic teens: ثلاثة عشر
            else:
                group += value
        else:  # a scale, singular or plural
            group = (group or 1) * value
            if value >= 1e3:
                total += group
                group = 0.0
        seen_number = True
        index += 1
        end = index
    if not seen_number:
        return 0.0, start
    value = total + group
    # A lone Arabic "واحد" is an article as often as a number; one is left out in English too.
    if value == 1:
        return 0.0, start
    return value, end


def _is_teen(token: str) -> bool:
    return _normalise_arabic(token) in _AR_TEEN_TEN
