"""Meetings named in a report: the one it reports on (with chair, agenda, attendance, panellists
and documents) and the earlier ones it recalls with their dates; in a compilation, the meetings
its headings name ("I. First meeting, Vienna, 30 May to 1 June 2012").

Input is normalised text (`untoc_kg.extract.normalise`): one block per line. Plain regular
expressions over lines and sentences; entity names are resolved with `untoc_kg.extract.entities`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from untoc_kg.extract.attendance import find_attendance
from untoc_kg.extract.dates import DATES, parse_dates
from untoc_kg.extract.layout import body_start, text_lines
from untoc_kg.extract.ordinals import ORDINAL, ordinal_value
from untoc_kg.extract.people import find_chair, find_panellists
from untoc_kg.extract.review import find_review, with_review
from untoc_kg.records import AgendaItem, Body, Meeting
from untoc_kg.extract.symbols import find_symbols

_PLACE = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"

# "The third meeting of the Working Group ... was held in Vienna from 18 to 20 November 2015";
# the filler may not cross a sentence end, and a future meeting ("will be held") is no meeting yet.
# UN editors spell a body's meetings in words; "its 1st meeting" in digits is a plenary sitting.
_HELD = re.compile(
    rf"\b(?:[Tt]he|[Ii]ts)\s+(?!\d)(?P<ord>{ORDINAL})\s+meeting\b(?P<filler>[^.;]*?)\bheld"
    rf"(?:\s+(?:in|at)\s+(?P<place>{_PLACE}))?,?[^.;]{{0,80}}?\s(?P<dates>{DATES})"
)
# "The Working Group ... held its seventh session from 8 to 19 February 2010": a body's session.
_HELD_ITS = re.compile(
    rf"\bheld\s+its\s+(?!\d)(?P<ord>{ORDINAL})\s+(?:meeting|session)\b"
    rf"(?:\s+(?:in|at)\s+(?P<place>{_PLACE}))?,?\s+(?P<dates>{DATES})"
)
_FUTURE = re.compile(r"\b(?:will|would|shall|should|to\s+be|is\s+to)\b")
# "..., and the second from 11 to 13 November 2013", "the fifth on 4 and 5 July 2018"
_AND_THE = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)the\s+(?!\d)(?P<ord>{ORDINAL})(?:\s+meeting)?(?:\s+was)?"
    rf"(?:\s+held)?(?:\s+(?:in|at)\s+(?P<place>{_PLACE}))?,?\s+(?P<dates>{DATES})"
)
# "I. First meeting, Vienna, 30 May to 1 June 2012" / "Eleventh meeting (Vienna, 4 and 5 July 2018)"
_HEADING = re.compile(
    rf"(?:[IVXLC]+\.\s+)?(?P<ord>{ORDINAL})\s+meeting\s*[,(:]\s*(?:(?P<place>{_PLACE}),\s*)?"
    rf"(?P<dates>{DATES})\s*\)?\.?"
)
_AGENDA_INTRO = re.compile(r"\badopted\b[^:]*\bagenda\b[^:]*:", re.IGNORECASE)
_AGENDA_MARKER = re.compile(r"\s*(?:[-*•]\s*)?(?:(?P<number>\d{1,2})\.|\((?P<letter>[a-z])\))\s+")
# A title runs to its closing ".", ";" or ":" (or to the end of its line).
_AGENDA_TITLE = re.compile(r"(?P<title>[^\n]+?)\s*(?:[.;:](?=\s|$)|(?=\n)|$)")


@dataclass(frozen=True)
class _Mention:
    ordinal: int
    start: date
    end: date
    place: str | None


def find_meetings(text: str, body: Body, title_state: str | None = None) -> tuple[Meeting, ...]:
    """Every meeting of `body` that the text names, by ordinal; the reported one (the latest
    meeting a report says "was held") carries chair, agenda, attendance, panellists and documents.
    A compilation (several meeting headings) gets its headed meetings only. A review report's
    session also carries its review facts (`untoc_kg.extract.review`); `title_state` is the State
    its title names, if any."""
    lines = text_lines(text)
    flat = " ".join(lines)
    symbol = body.symbol or ""
    headed = meeting_headings(lines)
    if len(headed) >= 2:
        return tuple(Meeting(symbol, m.ordinal, m.start, m.end, m.place) for m in headed)
    mentions = _merge([*_held_mentions(lines), *headed])
    after_header = "\n".join(lines[body_start(lines) :])
    if not mentions:
        mentions = _unnumbered_mention(lines[: body_start(lines)])
    if not mentions:
        return ()
    reported = max(mentions, key=lambda m: m.ordinal)
    meetings = [Meeting(symbol, m.ordinal, m.start, m.end, m.place) for m in mentions]
    full = replace(
        meetings[mentions.index(reported)],
        chair=find_chair(lines),
        agenda=find_agenda(lines),
        attendance=find_attendance(lines),
        panellists=find_panellists(lines, flat),
        documents_cited=find_symbols(after_header),
    )
    review = find_review(lines, title_state)
    meetings[mentions.index(reported)] = with_review(full, review) if review else full
    return tuple(meetings)


_TITLE_HELD = re.compile(rf"\bmeeting\b[^.;]*?\bheld\s+(?:in|at)\s+(?P<place>{_PLACE}),?\s+(?P<dates>{DATES})")
UNNUMBERED = 0
"""The ordinal of a meeting whose report prints none: it is known by its body and dates."""


def _unnumbered_mention(header: list[str]) -> list[_Mention]:
    """"Report on the meeting of the Working Group ... held in Vienna, 27-29 January 2010": the
    meeting a report is about when the report prints no ordinal for it."""
    for line in header:
        if "held" in line and (match := _TITLE_HELD.search(line)):
            dates = parse_dates(match["dates"])
            if dates:
                return [_Mention(UNNUMBERED, dates[0], dates[1], match["place"])]
    return []


def _held_mentions(lines: list[str]) -> list[_Mention]:
    found = []
    for line in lines:
        if "held its" in line:
            found.extend(m for held in _HELD_ITS.finditer(line) for m in _mention(held))
        if "held" not in line or "meeting" not in line:  # most paragraphs: no need for the regex
            continue
        for held in _HELD.finditer(line):
            if _FUTURE.search(held["filler"]):
                continue
            found.extend(_mention(held))
            pos = held.end()
            while more := _AND_THE.match(line, pos):
                found.extend(_mention(more))
                pos = more.end()
    return found


def meeting_headings(lines: list[str]) -> list[_Mention]:
    """The meetings that headings name ("I. First meeting, Vienna, 30 May to 1 June 2012"), one
    per ordinal: a compilation has several."""
    headings = (line for line in lines if "meeting" in line)  # the pattern needs the word
    return _merge([m for line in headings if (h := _HEADING.fullmatch(line)) for m in _mention(h)])


def _mention(match: re.Match[str]) -> list[_Mention]:
    ordinal = ordinal_value(match["ord"])
    dates = parse_dates(match["dates"])
    if ordinal is None or dates is None:
        return []
    return [_Mention(ordinal, dates[0], dates[1], match["place"])]


def _merge(mentions: list[_Mention]) -> list[_Mention]:
    """One mention per ordinal, in ordinal order: the first dates printed, the first place."""
    merged: dict[int, _Mention] = {}
    for m in mentions:
        seen = merged.get(m.ordinal)
        if seen is None:
            merged[m.ordinal] = m
        elif seen.place is None and m.place is not None:
            merged[m.ordinal] = replace(seen, place=m.place)
    return [merged[k] for k in sorted(merged)]


def find_agenda(lines: list[str]) -> tuple[AgendaItem, ...]:
    """The agenda the meeting adopted: numbered items with their lettered sub-items, in order,
    read after the first "... adopted ... agenda ...:" paragraph (on its line or the next ones)."""
    for index, line in enumerate(lines):
        intro = _AGENDA_INTRO.search(line)
        if intro:
            following = "\n".join([line[intro.end():], *lines[index + 1 : index + 60]])
            return _parse_agenda(following)
    return ()


def _parse_agenda(text: str) -> tuple[AgendaItem, ...]:
    items: list[AgendaItem] = []
    pos = 0
    while marker := _AGENDA_MARKER.match(text, pos):
        title = _AGENDA_TITLE.match(text, marker.end())
        if not title:
            break
        if marker["number"] and int(marker["number"]) == len(items) + 1:
            items.append(AgendaItem(marker["number"], title["title"].strip()))
        elif marker["letter"] and items and _next_letter(items[-1]) == marker["letter"]:
            sub = AgendaItem(marker["letter"], title["title"].strip())
            items[-1] = replace(items[-1], subitems=(*items[-1].subitems, sub))
        else:
            break
        pos = title.end()
    return tuple(items)


def _next_letter(item: AgendaItem) -> str:
    return chr(ord("a") + len(item.subitems))
