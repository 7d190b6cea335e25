"""Dates and date ranges as UN reports print them.

"4 December 2015", "from 18 to 20 November 2015", "on 8 and 9 September 2020",
"from 30 May to 1 June 2012", "4 and 5 July 2018", "11-13 November 2013", "11–13 September 2019",
"from 28 December 2019 to 2 January 2020".

`DATES` is a regex fragment without groups, to embed in larger patterns; `parse_dates` turns the
text it matched into a (start, end) pair.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTH = "(?:" + "|".join(name for name in calendar.month_name if name) + ")"

_DAY = r"\d{1,2}"
_YEAR = r"\d{4}"
_JOIN = r"(?:\s*[-–—−]\s*|\s+(?:to|and)\s+)"

DATE = rf"{_DAY}\s+{MONTH}\s+{_YEAR}"
"""One day: "4 December 2015"."""

DATES = (
    rf"(?:(?:(?:from|on)\s+)?{_DAY}(?:\s+{MONTH}(?:\s+{_YEAR})?)?{_JOIN}{_DAY}\s+{MONTH}\s+{_YEAR}"
    rf"|(?:on\s+)?{DATE})"
)
"""A single day or a range of days, with an optional leading "from" / "on"."""

_RANGE = re.compile(
    rf"(?:(?:from|on)\s+)?(?P<d1>{_DAY})(?:\s+(?P<m1>{MONTH})(?:\s+(?P<y1>{_YEAR}))?)?"
    rf"{_JOIN}(?P<d2>{_DAY})\s+(?P<m2>{MONTH})\s+(?P<y2>{_YEAR})"
)
_SINGLE = re.compile(rf"(?:on\s+)?(?P<d>{_DAY})\s+(?P<m>{MONTH})\s+(?P<y>{_YEAR})")


def parse_date(text: str) -> date | None:
    """The date in "4 December 2015" (whitespace between parts may vary), else None."""
    match = _SINGLE.fullmatch(text.strip())
    if not match:
        return None
    return _make_date(match["y"], match["m"], match["d"])


def parse_dates(text: str) -> tuple[date, date] | None:
    """Start and end of the day or range that `text` (a match of `DATES`) prints, else None."""
    text = text.strip()
    match = _RANGE.fullmatch(text)
    if match:
        end = _make_date(match["y2"], match["m2"], match["d2"])
        if end is None:
            return None
        start = _make_date(
            match["y1"] or str(end.year), match["m1"] or match["m2"], match["d1"]
        )
        if start is not None and start > end and match["m1"] and not match["y1"]:
            # "from 28 December to 2 January 2020": the range crosses a year end.
            start = _make_date(str(end.year - 1), match["m1"] or match["m2"], match["d1"])
        return (start, end) if start is not None and start <= end else None
    single = parse_date(text)
    return (single, single) if single else None


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), _MONTH_NUMBERS[month.lower()], int(day))
    except (KeyError, ValueError):
        return None
