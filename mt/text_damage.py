"""Signs that text was damaged on its way to us: a bad decode, mojibake, control characters.

A leaf module. One rule for the glossary check and for reviewed translations read back in.
"""

from __future__ import annotations

import re
import unicodedata

# UTF-8 lead bytes of Arabic (D8-DB) as Windows-1252/Latin-1 show them, then a continuation byte.
_MOJIBAKE = re.compile(r"[ØÙÚÛ][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192"
                       r"\u02C6\u02DC\u2013-\u203A\u20AC\u2122]")


def damage(text: str, allowed_controls: str = "\t") -> list[str]:
    """What is wrong with `text`, in words (empty when nothing is)."""
    found = []
    if "\ufffd" in text:
        found.append("U+FFFD replacement character: text lost in a bad decode")
    if _MOJIBAKE.search(text):
        found.append("mojibake: UTF-8 Arabic read as Windows-1252 or Latin-1")
    if any(unicodedata.category(c) == "Cc" and c not in allowed_controls for c in text):
        found.append("control character")
    return found
