"""Hypothesis strategies for Arabic-like news text: letters, diacritics, digits, punctuation,
Latin names, invisible format characters, and (when asked) control characters."""

from __future__ import annotations

from hypothesis import strategies as st

LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهوي" + "ءآأؤإئةى" + "کیۀپچژگ"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"  # harakat, shadda, sukun
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩"
PUNCTUATION = ".،؛؟!:«»\"'()-–…%/"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
INVISIBLE = "\u200c\u200d\u200e\u200f\u202e\u2066\u2069\u0640\ufeff"  # ZWNJ ZWJ marks RLO tatweel
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])) + (
    "\u2028\u2029"
)

words = st.text(alphabet=LETTERS + DIACRITICS, min_size=1, max_size=9)
numbers = st.text(alphabet=DIGITS, min_size=1, max_size=6)
names = st.text(alphabet=LATIN, min_size=1, max_size=8)
tokens = st.one_of(
    words, words, words, numbers, names,
    st.sampled_from(list(PUNCTUATION)), st.sampled_from(list(INVISIBLE)),
)
sentences = st.lists(tokens, min_size=1, max_size=25).map(" ".join)
paragraphs = st.lists(sentences, min_size=1, max_size=5).map(
    lambda parts: " ".join(part.rstrip(".") + "." for part in parts)
)
articles = st.lists(paragraphs, min_size=1, max_size=5).map("\n\n".join)


@st.composite
def fields(draw, controls: bool = True) -> str:
    """One value of a TSV field: article text, sometimes with tabs, newlines and other controls."""
    text = draw(sentences)
    if not controls:
        return text
    inserts = draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(
        list(CONTROLS + "\t\n\r"))), max_size=4))
    for position, char in sorted(inserts, reverse=True):
        text = text[:position] + char + text[position:]
    return text
