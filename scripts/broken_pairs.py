"""Broken variants of intact translation pairs, to measure how well scores rank them: a loop,
a truncated half, a changed number, Arabic copied through, and another sentence's English."""

import re


def _loop(source: str, target: str, index: int) -> str:
    words = target.split()
    keep = words[: max(3, len(words) * 3 // 5)]
    return " ".join(keep + keep[-3:] * 4)  # the decoder stuck on its last three words


def _truncated(source: str, target: str, index: int) -> str:
    words = target.split()
    return " ".join(words[: len(words) // 2])


def _changed_number(source: str, target: str, index: int) -> str | None:
    match = re.search(r"\d+", target)
    if not match:
        return None
    return target[: match.start()] + str(int(match.group()) + 7) + target[match.end():]


def _copied_arabic(source: str, target: str, index: int) -> str:
    if index % 2:
        return source  # copied through whole
    english = target.split()
    arabic = source.split()
    return " ".join(english[: len(english) // 2] + arabic[len(arabic) // 2:])  # half left


BREAKERS = {
    "loop": _loop,
    "truncated": _truncated,
    "changed_number": _changed_number,
    "copied_arabic": _copied_arabic,
}


def broken_variants(intact: list[dict[str, str]]) -> list[dict[str, str]]:
    """The intact pairs (`source`, `target`) and broken variants of each, every row with its
    `kind_of_pair`: intact, loop, truncated, changed_number, copied_arabic or swapped."""
    rows = [{"kind_of_pair": "intact", **row} for row in intact]
    for name, breaker in BREAKERS.items():
        for index, row in enumerate(intact):
            broken = breaker(row["source"], row["target"], index)
            if broken is not None:
                rows.append({"kind_of_pair": name, "source": row["source"], "target": broken})
    for index, row in enumerate(intact):  # misaligned: another sentence's translation
        other = intact[(index + 17) % len(intact)]
        rows.append({"kind_of_pair": "swapped", "source": row["source"], "target": other["target"]})
    return rows


def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that an intact pair outscores a broken one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))
