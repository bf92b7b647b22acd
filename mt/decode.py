"""Bytes to text for Arabic inputs: UTF-8 (with or without BOM), UTF-16 with a BOM, Windows-1256
and ISO-8859-6, detected, with the encoding reported under a Python codec name."""

from __future__ import annotations

import codecs
import re

from mt.arabic import arabic_letter_ratio
from mt.errors import InputError

LEGACY_ENCODINGS = ("cp1256", "iso8859_6")
KNOWN_ENCODINGS = "UTF-8, UTF-16, Windows-1256 or ISO-8859-6"
# More control characters than this (besides tab, newline, CR, form feed) means not text.
MAX_CONTROL_SHARE = 0.01
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode `data` (named `name` in messages) and return (text, encoding).

    Raises InputError when the bytes are binary, in no known encoding, or hold no text.
    """
    text, encoding = _decode(data, name)
    _check_is_text(text, name)
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise InputError(f"{name} starts with a {encoding} byte-order mark but is not "
                                 f"valid {encoding}.") from e
    if b"\x00" in data:
        raise InputError(
            f"{name} contains NUL bytes: it is a binary file (or UTF-16 without a byte-order "
            "mark), not text."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy_or_mixed(data, name)


def _decode_legacy_or_mixed(data: bytes, name: str) -> tuple[str, str]:
    """Files that are not UTF-8 as a whole: a legacy Arabic code page, or scraped files glued
    from parts in UTF-8 and in a code page, decoded line by line."""
    lines = data.splitlines(keepends=True)
    utf8_lines: dict[int, str] = {}
    for i, line in enumerate(lines):
        if not line.isascii():
            try:
                utf8_lines[i] = line.decode("utf-8")
            except UnicodeDecodeError:
                continue
    legacy_bytes = b"".join(line for i, line in enumerate(lines) if i not in utf8_lines)
    legacy = detect_legacy_encoding(legacy_bytes, name)
    if not utf8_lines:
        return data.decode(legacy), legacy
    text = "".join(utf8_lines.get(i) or line.decode(legacy) for i, line in enumerate(lines))
    return text, f"utf-8+{legacy}"


def detect_legacy_encoding(data: bytes, name: str) -> str:
    """Windows-1256 or ISO-8859-6, whichever reads `data` as Arabic text.

    charset-normalizer is restricted to the two code pages; on short texts it scores both alike
    (and then prefers Windows-1256), so ties are broken by the share of Arabic letters: a wrong
    code page turns part of the Arabic letters into accented Latin ones.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        raise InputError(f"{name} is in no known encoding (tried {KNOWN_ENCODINGS}).")
    best = max(matches, key=lambda m: (-round(m.chaos, 2), arabic_letter_ratio(str(m))))
    return codecs.lookup(best.encoding).name


def _check_is_text(text: str, name: str) -> None:
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise InputError(f"{name} is a binary file (it is full of control characters), not text.")
