"""Consonant skeletons that let an Arabic name be compared with its English spelling.

Arabic script leaves short vowels unwritten and English spellings of the same name disagree on
them (Mohammed, Muhammad, Mohamed), on doubled letters (Hassan, Hasan) and on the letters for
sounds English lacks (Qatar, Katar). So both sides are reduced to a skeleton of consonant
classes:

- vowels, alef, hamza, ain, the semi-vowels waw/ya (w, y in English) and h are dropped:
  they are written inconsistently in either direction;
- letters whose English spellings overlap share a class: ق ك خ = k (q, c, kh, x),
  ج غ = g (j, g, gh), ت ط ث = t (t, th), د ض ذ = d (d, dh), س ش ص = s (s, sh, ch),
  ز ظ = z, ف = f (f, v, ph), ب = b (b, p);
- doubled letters collapse before classing (shadda is unwritten in Arabic): Hassan -> Hasan.

"Mohammed" and "محمد" both become "mmd"; "Qatar" and "قطر" become "ktr". An Arabic word
yields several skeletons because a clitic or the article may be attached (والسيسي -> "ss").
A skeleton of fewer than MIN_SKELETON classes says too little to count as a match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mt.arabic import strip_diacritics

MIN_SKELETON = 2

_ARABIC_CLASSES = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "g", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
    "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f",
    "ق": "k", "ك": "k", "خ": "k", "ل": "l", "م": "m", "ن": "n", "پ": "b", "چ": "s",
    "گ": "g", "ڤ": "f",
}
# English digraphs first, then single letters; anything not listed is dropped.
_ENGLISH_DIGRAPHS = (("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"), ("kh", "k"),
                     ("gh", "g"), ("ph", "f"), ("ck", "k"), ("ng", "n"))
_ENGLISH_CLASSES = {
    "b": "b", "p": "b", "t": "t", "d": "d", "s": "s", "z": "z", "j": "g", "g": "g",
    "k": "k", "q": "k", "c": "k", "x": "ks", "f": "f", "v": "f", "l": "l", "m": "m",
    "n": "n", "r": "r",
}
# Attached words an Arabic name may carry: conjunctions and prepositions, then the article.
_ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ك")
_ARABIC_ARTICLES = ("ال", "لل")
_REPEATS = re.compile(r"(.)\1+")


def _collapse(classes: str) -> str:
    return _REPEATS.sub(r"\1", classes)


def english_skeleton(word: str) -> str:
    word = _collapse(word.lower())
    for digraph, cls in _ENGLISH_DIGRAPHS:
        word = word.replace(digraph, cls)
    return "".join(_ENGLISH_CLASSES.get(ch, "") for ch in word)


def _arabic_skeleton(word: str) -> str:
    return "".join(_ARABIC_CLASSES.get(ch, "") for ch in _collapse(word))


@lru_cache(maxsize=1 << 16)
def arabic_skeletons(word: str) -> frozenset[str]:
    """The skeletons of the word as written and with attached clitics and article removed
    (cached: a long document repeats its words, and reading them is most of reading anchors)."""
    word = strip_diacritics(word)
    forms = {word}
    if len(word) > 3 and word[0] in _ARABIC_PREFIXES:
        forms.add(word[1:])
    for form in list(forms):
        for article in _ARABIC_ARTICLES:
            if form.startswith(article) and len(form) > len(article) + 1:
                forms.add(form[len(article):])
    skeletons = {_arabic_skeleton(form) for form in forms}
    return frozenset(s for s in skeletons if len(s) >= MIN_SKELETON)
