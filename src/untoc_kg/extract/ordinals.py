"""English ordinals as reports print them: "first" ... "nineteenth", "twentieth", "twenty-first",
... "ninety-ninth", and "1st", "2nd", "11th"."""

from __future__ import annotations

import re

_UNITS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_CARDINAL_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()


def _ordinal_words() -> dict[str, int]:
    words = {word: n for n, word in enumerate(_UNITS, start=1)}
    for tens, (cardinal, ordinal) in enumerate(zip(_CARDINAL_TENS, _ORDINAL_TENS), start=2):
        words[ordinal] = tens * 10
        for unit in range(1, 10):
            words[f"{cardinal}-{_UNITS[unit - 1]}"] = tens * 10 + unit
    return words


_WORDS = _ordinal_words()

ORDINAL = (
    "(?i:"
    + "|".join(sorted(_WORDS, key=len, reverse=True)).replace("-", r"[-‐–\s]")
    + r"|\d{1,3}(?:st|nd|rd|th))"
)
"""A regex fragment (no groups, case-insensitive) matching one ordinal."""

_DIGITS = re.compile(r"(\d{1,3})(?:st|nd|rd|th)", re.IGNORECASE)


def ordinal_value(text: str) -> int | None:
    """3 for "third", "Third" or "3rd"; 21 for "twenty-first"; None if `text` is no ordinal."""
    text = text.strip().lower()
    digits = _DIGITS.fullmatch(text)
    if digits:
        return int(digits[1])
    return _WORDS.get(re.sub(r"[-‐–\s]+", "-", text))
