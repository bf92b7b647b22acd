"""Model-free signals on what a pair says: numbers, names in Latin script, glossary terms."""

from __future__ import annotations

import re
from collections import Counter

from aligned.numbers import arabic_numbers, english_numbers
from aligned.signals.base import Pair, Signal
from mt.engines.phrases import unmet_phrases

_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*[A-Za-z0-9]|[A-Z]")


class Numbers(Signal):
    """Every number on one side is on the other: digits in any script and written-out numbers
    are compared as values. A number written in words and left out (Arabic duals such as يومين
    say "two" without a number word) only counts from eleven up."""

    name = "numbers"
    problem = "numbers differ between Arabic and English"
    PENALTY = 0.5  # per number changed, lost or added (a changed number is one problem, not two)
    SPELLED_OUT_MIN = 11

    def differences(self, pair: Pair) -> tuple[list[str], list[str]]:
        """(numbers only in the Arabic, numbers only in the English), as written."""
        source = arabic_numbers(pair.source)
        target = english_numbers(pair.target)
        return self._unmatched(source, target), self._unmatched(target, source)

    def _unmatched(self, side, other) -> list[str]:
        available = Counter(m.value for m in other)
        missing = []
        for mention in side:
            if available[mention.value]:
                available[mention.value] -= 1
            elif not mention.written_out or mention.value >= self.SPELLED_OUT_MIN:
                missing.append(mention.text)
        return missing

    def _score(self, pair: Pair) -> float:
        only_source, only_target = self.differences(pair)
        return 1.0 - self.PENALTY * max(len(only_source), len(only_target))

    def _describe(self, pair: Pair) -> str:
        only_source, only_target = self.differences(pair)
        parts = []
        if only_source:
            parts.append(f"{', '.join(only_source)} in the Arabic is missing from the English")
        if only_target:
            parts.append(f"{', '.join(only_target)} in the English is not in the Arabic")
        return "numbers differ: " + "; ".join(parts) if parts else self.problem


class LatinNames(Signal):
    """Names the Arabic already writes in Latin script (CNN, iPhone, F-16) should be copied."""

    name = "latin_names"
    problem = "a name written in Latin script in the Arabic is missing from the English"

    def missing(self, pair: Pair) -> list[str]:
        target = pair.target.lower()
        names = dict.fromkeys(_LATIN_NAME.findall(pair.source))
        return [name for name in names if name.lower() not in target]

    def _applies(self, pair: Pair) -> bool:
        return bool(_LATIN_NAME.search(pair.source))

    def _score(self, pair: Pair) -> float:
        names = set(_LATIN_NAME.findall(pair.source))
        return 1.0 - len(self.missing(pair)) / len(names)

    def _describe(self, pair: Pair) -> str:
        return f"{', '.join(self.missing(pair))} from the Arabic is missing from the English"


class GlossaryCompliance(Signal):
    """The glossary targets planned for this pair are in the English."""

    name = "glossary_compliance"
    problem = "a glossary term is missing from the English"

    def missing(self, pair: Pair) -> list[str]:
        """The terms the English lacks, by the rule the glossary enforces by."""
        return [pair.terms[i] for i in unmet_phrases(pair.target, pair.terms)]

    def _applies(self, pair: Pair) -> bool:
        return bool(pair.terms)

    def _score(self, pair: Pair) -> float:
        return 1.0 - len(self.missing(pair)) / len(pair.terms)

    def _describe(self, pair: Pair) -> str:
        return f"glossary terms missing from the English: {', '.join(self.missing(pair))}"
