"""The analysis CAT tools print for a job, from a run's translation TSVs: how many sentences
(and words) the translation memory served exactly, matched fuzzily by band, or did not match."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

# Fuzzy bands as CAT tools report them, best first; a lower --fuzzy-threshold adds one below.
BANDS = ((95, 99), (85, 94), (75, 84))
EXACT, NEW = "exact (100%)", "new"


def band(percent: int) -> str:
    for low, high in BANDS:
        if low <= percent <= high:
            return f"fuzzy {low}-{high}%"
    return f"fuzzy under {BANDS[-1][0]}%"


def classify(row: Mapping[str, str]) -> str | None:
    """The analysis line a translation TSV row counts in; None for a row nothing translated
    (boilerplate, skipped)."""
    if row["kind"] == "boilerplate" or row["flag"] == "skipped":
        return None
    if row["origin"] == "human":
        return EXACT
    return band(int(row["tm_match"])) if row["tm_match"] else NEW


def analysis(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """The report's lines: one per category (sentences and source words), then the total."""
    sentences: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for row in rows:
        category = classify(row)
        if category is not None:
            sentences[category] += 1
            words[category] += len(row["source"].split())
    lines = [EXACT, *(band(high) for _, high in BANDS)]
    lines += [line for line in sentences if line not in lines and line != NEW] + [NEW]
    table = [f"{'':<20}{'sentences':>10}{'words':>10}"]
    table += [f"{line:<20}{sentences[line]:>10}{words[line]:>10}" for line in lines]
    table.append(f"{'total':<20}{sum(sentences.values()):>10}{sum(words.values()):>10}")
    return table
