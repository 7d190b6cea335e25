"""UN document symbols cited in a text: "CTOC/COP/WG.7/2015/2", "A/RES/55/25", "E/CN.15/2019/1".

A symbol starts with an upper-case series letter group and has at least two slashes, which keeps
resolution numbers ("5/3"), years ("2015-2020") and "and/or" out. "CTOC/COP/WG.7/2015/2 and Add.1"
names two documents: the symbol and its addendum.
"""

from __future__ import annotations

import re

_SEGMENT = r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*"
SYMBOL = rf"\b[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)*(?:/{_SEGMENT}){{2,}}"
"""A regex fragment (no groups) matching one UN document symbol."""

_PART = r"(?:Add|Corr|Rev|Amend)\.\d+"
_SYMBOL_WITH_PARTS = re.compile(rf"(?P<symbol>{SYMBOL})(?P<parts>(?:(?:\s*,\s*|\s+and\s+){_PART})*)")
_PARTS = re.compile(_PART)


def find_symbols(text: str) -> tuple[str, ...]:
    """Every document symbol in `text`, unique, in order of first mention; "X and Add.1" gives
    X and X/Add.1. Only lines with a slash are read: pass text with its line breaks."""
    found: dict[str, None] = {}
    lines = (line for line in text.split("\n") if "/" in line)  # a symbol is on one line
    for match in (m for line in lines for m in _SYMBOL_WITH_PARTS.finditer(line)):
        symbol = match["symbol"]
        found.setdefault(symbol, None)
        for part in _PARTS.findall(match["parts"]):
            found.setdefault(f"{symbol}/{part}", None)
    return tuple(found)
