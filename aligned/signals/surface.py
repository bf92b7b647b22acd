"""Model-free signals on the form of a pair: its length, its script, loops and brackets."""

from __future__ import annotations

import math
import re
from collections import Counter

from aligned.signals.base import Pair, Signal
from aligned.signals.renderings import rendered_terms, without_renderings
from mt.arabic import ARABIC_LETTER, has_arabic_letter

_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+")


class LengthRatio(Signal):
    """English length against the length the Arabic predicts. Catches dropped halves, runaway
    outputs and misaligned pairs. A glossary rendering is as long as the house wants, not as
    its Arabic predicts ("Islamic Revolutionary Guard Corps (IRGC)" for "الحرس الثوري"): the
    Arabic of each rendering the English holds is counted as long as that rendering predicts,
    so the ratio judges the words the model chose."""

    name = "length_ratio"
    problem = "the English is much shorter or longer than the Arabic predicts"
    # English characters per Arabic character (spaces left out) in news. Arabic writes short
    # vowels not at all and attaches articles and prepositions, so English runs longer; measured
    # at 1.27 (log-ratio sd 0.18) on the 50 hand-written pairs of tests/data/pairs.tsv.
    EXPECTED = 1.27
    TOLERANCE = 0.2  # |log(ratio / EXPECTED)| up to this is normal variation (about 1 sd)
    FLOOR = 0.9  # ... and at this distance (a ratio 2.5 times off) the value reaches 0
    SMOOTHING = 8  # characters added to both sides so that short pairs are not judged harshly

    def ratio(self, pair: Pair) -> float:
        # Each rendering's Arabic counts as long as the rendering at the expected ratio: taking
        # both out instead left, where names make most of a sentence, a few words of English
        # around them against fewer Arabic ones ("the decision of the ... to open the" for
        # "بقرار ... فتح"), judged 1.8 times too long.
        rendered = [i for i in rendered_terms(pair) if i < len(pair.term_sources)]
        source = _length(pair.source) + sum(
            _length(pair.terms[i]) / self.EXPECTED - _length(pair.term_sources[i])
            for i in rendered)
        return (_length(pair.target) + self.SMOOTHING) / (max(source, 0) + self.SMOOTHING)

    def _score(self, pair: Pair) -> float:
        distance = abs(math.log(self.ratio(pair) / self.EXPECTED))
        return 1.0 - max(0.0, distance - self.TOLERANCE) / (self.FLOOR - self.TOLERANCE)

    def _describe(self, pair: Pair) -> str:
        ratio = self.ratio(pair) / self.EXPECTED
        if ratio < 1:
            return f"the English is {1 / ratio:.1f} times shorter than expected: part may be lost"
        return f"the English is {ratio:.1f} times longer than expected: it may add or repeat text"


def _length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


class ArabicScript(Signal):
    """Arabic letters left in the English: an untranslated word, or the source copied through."""

    name = "arabic_script"
    problem = "Arabic text is left in the English"
    PENALTY = 3.0  # a sentence with a third of its letters in Arabic scores 0

    def _score(self, pair: Pair) -> float:
        letters = len(_LETTER.findall(pair.target))
        if not letters:
            return 1.0
        return 1.0 - self.PENALTY * len(ARABIC_LETTER.findall(pair.target)) / letters

    def _describe(self, pair: Pair) -> str:
        words = [_shortened(w) for w in pair.target.split() if has_arabic_letter(w)]
        shown = " ".join(words[:5]) + (" ..." if len(words) > 5 else "")
        return f"Arabic text is left in the English: {shown}"


def _shortened(word: str, most: int = 30) -> str:
    return word if len(word) <= most else word[: most - 1] + "…"


class Repetition(Signal):
    """Loops: a word or phrase repeated back to back, the way a decoder gets stuck. Repetition
    the Arabic has too (a list, a slogan) is not held against the English."""

    name = "repetition"
    problem = "the English repeats itself in a loop"
    MAX_UNIT = 6  # longest repeated phrase looked for, in words
    MIN_REPEATS = {1: 3}  # a single word must come 3 times in a row; longer units twice
    DEFAULT_MIN_REPEATS = 2
    PENALTY = 2.0  # half the words in a loop scores 0

    def looped_words(self, text: str) -> list[str]:
        """The words that repeat an immediately preceding copy of themselves."""
        words = [w.lower() for w in _WORD.findall(text)]
        looped = [False] * len(words)
        for unit in range(1, self.MAX_UNIT + 1):
            needed = self.MIN_REPEATS.get(unit, self.DEFAULT_MIN_REPEATS)
            start = 0
            while start + unit * needed <= len(words):
                copies = 1
                while words[start + copies * unit: start + (copies + 1) * unit] == words[
                    start: start + unit
                ]:
                    copies += 1
                if copies >= needed:
                    for index in range(start + unit, start + copies * unit):
                        looped[index] = True
                    start += copies * unit
                else:
                    start += 1
        return [w for w, flag in zip(words, looped, strict=True) if flag]

    def _fraction(self, text: str) -> float:
        words = _WORD.findall(text)
        return len(self.looped_words(text)) / len(words) if words else 0.0

    def _score(self, pair: Pair) -> float:
        excess = self._fraction(pair.target) - self._fraction(pair.source)
        return 1.0 - self.PENALTY * max(0.0, excess)

    def _describe(self, pair: Pair) -> str:
        repeated = Counter(self.looped_words(pair.target)).most_common(3)
        shown = ", ".join(f"'{word}' x{count + 1}" for word, count in repeated)
        return f"the English repeats itself in a loop ({shown})"


class Brackets(Signal):
    """Unbalanced parentheses and quotes in the English, or brackets and quotes on one side only
    (a quotation or an acronym in parentheses that the translation lost or made up). Glossary
    renderings are taken out first: "Syrian Democratic Forces (SDF)" brings its own."""

    name = "brackets"
    problem = "quotes or parentheses do not match"
    PAIRS = {"(": ")", "[": "]", "«": "»", "“": "”"}
    STRAIGHT_QUOTES = '"'
    PENALTY = 0.35  # per problem

    def problems(self, pair: Pair) -> list[str]:
        target = without_renderings(pair)
        found = []
        for opening, closing in self.PAIRS.items():
            if target.count(opening) != target.count(closing):
                found.append(f"unbalanced {opening}{closing} in the English")
        if target.count(self.STRAIGHT_QUOTES) % 2:
            found.append('an odd number of " in the English')
        for label, marks in (("parentheses", "(["), ("quotes", '"«“')):
            in_source = any(m in pair.source for m in marks)
            in_target = any(m in target for m in marks)
            if in_source != in_target:
                side = "Arabic" if in_source else "English"
                found.append(f"{label} only in the {side}")
        return found

    def _score(self, pair: Pair) -> float:
        return 1.0 - self.PENALTY * len(self.problems(pair))

    def _describe(self, pair: Pair) -> str:
        return "; ".join(self.problems(pair)) or self.problem
