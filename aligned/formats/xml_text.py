"""Text made safe for XML 1.0: the characters XML cannot carry at all are dropped (escaping of
<, & and quotes is the serializer's job)."""

from __future__ import annotations

import re

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 up, minus surrogates
# and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
