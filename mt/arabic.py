"""Arabic text handling: the MT-input normalisation and small helpers for matching.

A leaf module: it imports nothing of the project. Everything here is a pure function of str.

`normalize_for_mt` makes the text the model sees look like its training data; the TSV `source`
column keeps the article's own text. The matching helpers (`strip_diacritics`,
`fold_letter_variants`, `matching_form`) let the glossary find a term whatever its spelling.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"

# Invisible marks that scraped text carries: bidi embeddings/overrides/isolates, the Arabic
# letter mark, zero-width space/joiners, word joiner, BOM and soft hyphen. They change nothing a
# reader sees but split the model's subwords.
FORMAT_MARKS = frozenset(
    "\u061c\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    + "".join(map(chr, range(0x202A, 0x202F)))
    + "".join(map(chr, range(0x2066, 0x206A)))
)

# Harakat, superscript alef and Quranic annotation marks.
DIACRITICS = frozenset(
    "".join(map(chr, range(0x064B, 0x0660)))
    + "\u0670"
    + "".join(map(chr, range(0x06D6, 0x06DD)))
    + "".join(map(chr, range(0x06DF, 0x06E9)))
    + "".join(map(chr, range(0x06EA, 0x06EE)))
)

_ARABIC_RANGES = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Presentation Forms-A
    (0xFE70, 0xFEFF),  # Presentation Forms-B
)

_LETTER = re.compile(r"[^\W\d_]")
# What an Arabic letter is, for every part of jisr: a letter (not a mark, digit or punctuation)
# of the Arabic script blocks.
ARABIC_LETTER = re.compile(
    "(?=[^\\W\\d_])[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _ARABIC_RANGES) + "]"
)
# An Arabic word: Arabic letters, with the diacritics and tatweel written on them.
ARABIC_WORD = re.compile(
    f"{ARABIC_LETTER.pattern}(?:{ARABIC_LETTER.pattern}|[{''.join(sorted(DIACRITICS))}{TATWEEL}])*"
)

# Eastern digits (Arabic-Indic and the Persian/Urdu extended set) to the Western digits that
# opus-mt-ar-en's training data mostly uses; Persian letters typed on a Persian keyboard to the
# Arabic letters they stand for in Arabic text.
_MT_TABLE = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u066a": "%",  # Arabic percent sign
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u06cc": "\u064a",  # Farsi yeh -> yeh
        "\u06c0": "\u0629",  # heh with yeh above -> teh marbuta
        TATWEEL: None,
        **{ord(c): None for c in FORMAT_MARKS},
    }
)

_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_SPACES = re.compile(r"\s+")
# A space before closing punctuation is a scraping artefact: "سوريا ." and, with the mark glued
# to the next word, "(قسد) ،وبموافقة".
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[.,;:!?،؛؟](?:\s|$))")
_MARK_GLUED_TO_NEXT_WORD = re.compile(r"\s+([.,;:!?،؛؟])(?=[^\W\d_])")

_VARIANT_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
_TA_MARBUTA_TABLE = str.maketrans({"ة": "ه"})


def is_arabic_char(ch: str) -> bool:
    """True for any character of the Arabic script blocks (letters, marks, digits, punctuation)."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _ARABIC_RANGES)


def arabic_letter_ratio(text: str, sample: int = 100_000) -> float:
    """Share of the letters in `text` that are Arabic (0.0 when it has no letters), judged on
    its first `sample` characters: that decides the question for a whole article."""
    text = text[:sample]
    letters = len(_LETTER.findall(text))
    return len(ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def has_arabic_letter(text: str) -> bool:
    return ARABIC_LETTER.search(text) is not None


def normalize_for_mt(text: str) -> str:
    """The text as the model should see it.

    Presentation forms become base letters (NFKC, applied to those blocks only, because NFKC on
    the whole text would also rewrite e.g. superscripts and full-width forms), the text is
    composed (NFC), tatweel and invisible format marks are dropped, Eastern digits become Western
    ones, whitespace runs become one space, and punctuation that scraping moved off its word
    ("سوريا ." or "(قسد) ،وبموافقة") is put back.
    """
    text = _PRESENTATION_FORM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", text).translate(_MT_TABLE)
    text = _SPACES.sub(" ", text).strip()
    text = _MARK_GLUED_TO_NEXT_WORD.sub(r"\1 ", text)
    return _SPACE_BEFORE_PUNCT.sub("", text)


def strip_diacritics(text: str) -> str:
    """Remove harakat, superscript alef and Quranic marks (not tatweel: see `matching_form`)."""
    return "".join(c for c in text if c not in DIACRITICS)


def fold_letter_variants(text: str, ta_marbuta: bool = False) -> str:
    """Fold spelling variants that writers use interchangeably: أ إ آ ٱ -> ا and ى -> ي,
    and with `ta_marbuta` also ة -> ه. One character in, one out: offsets are kept."""
    text = text.translate(_VARIANT_TABLE)
    return text.translate(_TA_MARBUTA_TABLE) if ta_marbuta else text


def matching_form(text: str, ta_marbuta: bool = False) -> tuple[str, list[int]]:
    """The form in which two spellings of a term compare equal, with a map back to `text`.

    Drops diacritics, tatweel and format marks and folds letter variants. Returns the folded
    string and, for each of its characters, the index of the character of `text` it came from,
    so a match at key[i:j] is text[pos[i]:pos[j-1] + 1].
    """
    kept = [
        (i, c)
        for i, c in enumerate(text)
        if c not in DIACRITICS and c != TATWEEL and c not in FORMAT_MARKS
    ]
    key = fold_letter_variants("".join(c for _, c in kept), ta_marbuta)
    return key, [i for i, _ in kept]
