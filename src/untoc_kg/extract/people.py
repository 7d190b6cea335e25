"""People named with their State: the chair of a meeting and its panellists.

"The meeting was chaired by Ignacio Baylina Ruíz (Spain)", "The Chair of the Working Group,
Carmen Buján Freire (Spain), made an opening statement", "The meeting was opened by Francesco
Testa (Italy), Chair of the Working Group"; "the discussion was led by the following panellists:
Simona Ragazzi (Italy), Louis J. Orsini (United States of America) and ...". A panellist printed
as "Ms. Ledwaba (South Africa)" gets the full name the report prints elsewhere ("The first
panellist was Amanda Ledwaba, Director, ..."); without such a list, those sentences name the
panellists, and the State their description ends with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from untoc_kg.extract.entities import resolve_state
from untoc_kg.records import Person

_HONORIFIC = re.compile(r"^(?:(?:Mr|Ms|Mrs|Miss|Dr|Prof|H\.\s?E)\.?\s+)+")
_PARTICLES = frozenset(
    "de del della der den van von da das do dos di du la le y bin ibn al el e ben".split()
)
# Words that are capitalised but are no part of a name: sentence openers and titles.
_NOT_NAMES = frozenset(
    "The A An In At On Under With By For And Judge Director Chair Chairperson Ambassador Minister "
    "Professor Prof. Mr. Ms. Mrs. Dr. Mr Ms Mrs Dr Miss".split()
)
_STATE = r"[^()]+?(?:\s*\([^()]*\))?"
# A name is whatever precedes "(State)" back to a comma, colon or bracket; `_trim_name` keeps its
# capitalised tail.
_PERSON = rf"(?P<name>[^,;:()]+?)\s+\((?P<state>{_STATE})\)"
# A pattern that opens with a name is tried only where a name can start (line start, or after a
# comma, colon or bracket): any match found elsewhere in that stretch also matches from its start.
_NAME_CAN_START = r"(?<![^,;:()])"
_CHAIR_PATTERNS = tuple(
    (re.compile(p), re.compile(_NAME_CAN_START + p) if p.startswith(_PERSON) else None)
    for p in (
        rf"\b(?:chaired|presided\s+over)\s+by\s+{_PERSON}",
        rf"\bunder\s+the\s+chairmanship\s+of\s+{_PERSON}",
        rf"\bChair(?:person)?\s+of\s+the\s+[^,.;]+,\s+{_PERSON},",
        rf"{_PERSON},?\s+(?:the\s+|its\s+)?Chair(?:person)?\s+of\s+the\b",
        rf"\belected\s+{_PERSON},?\s+(?:as\s+)?(?:its\s+)?Chair",
        rf"{_PERSON},?\s+(?:was\s+elected|served|acted)\s+(?:as\s+)?(?:the\s+)?Chair",
        rf"{_PERSON}\s+chaired\s+the\b",
    )
)
# Only paragraphs that speak of a chair are searched: the patterns are costly on long text.
_MENTIONS_CHAIR = re.compile(r"\b(?:[Cc]hair|presided)")
_PANEL_LIST = re.compile(r"\bpanell?ists?\b[^:]*:\s*(?P<list>[^\n]+)")
# "The first panellist was Amanda Ledwaba, Director, ... of South Africa, on behalf of ..."
_PANELLIST_WAS = re.compile(
    r"\bpanell?ist\s+was\s+(?P<name>[^,.]+?),\s*(?P<description>[^.]*?)(?:,\s+on\s+behalf\s+of\b|\.(?:\s|$))"
)
_LISTED_PERSON = re.compile(rf"(?:^|,|\band\b)\s*{_PERSON}")
_NAME_TOKEN = r"[^\W\d_][\w'’.-]*"
_GIVEN_NAMES = re.compile(rf"\b((?:{_NAME_TOKEN}\s+){{1,3}})$")


def find_chair(lines: list[str]) -> Person | None:
    """The chair of the meeting, from the first paragraph that names one with a State."""
    candidates = [line for line in lines if _MENTIONS_CHAIR.search(line)]
    for pattern, at_name_start in _CHAIR_PATTERNS:
        for line in candidates:
            for match in _matches(pattern, at_name_start, line):
                name = _trim_name(match["name"])
                if name:
                    return Person(name, _fold(match["state"]))
    return None


def _matches(pattern: re.Pattern[str], at_name_start: re.Pattern[str] | None, line: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(line)`; `at_name_start` (the same pattern, tried only where a name can
    start) finds the same matches without retrying the pattern from every position."""
    if at_name_start is None:
        yield from pattern.finditer(line)
        return
    pos = 0
    while match := pattern.match(line, pos) or at_name_start.search(line, pos):
        yield match
        pos = match.end()


def find_panellists(lines: list[str], text: str) -> tuple[Person, ...]:
    """Panellists listed as "Name (State)" after "panellists:", in order, each once; short forms
    ("Mr. Pérez Esquivel") completed from a fuller mention in `text`."""
    found: dict[str, Person] = {}
    lines = [line for line in lines if "panel" in line]  # every pattern here needs the word
    for line in lines:
        for listing in _PANEL_LIST.finditer(line):
            for match in _LISTED_PERSON.finditer(listing["list"]):
                printed = _fold(match["name"])
                name = _trim_name(printed)
                if not name:
                    continue
                if _HONORIFIC.match(printed) or " " not in name:
                    name = _full_name(name, text) or name
                found.setdefault(name, Person(name, _fold(match["state"])))
    if not found:
        for line in lines:
            for match in _PANELLIST_WAS.finditer(line):
                name = _trim_name(match["name"])
                if name:
                    found.setdefault(name, Person(name, _state_in(match["description"])))
    return tuple(found.values())


def _state_in(description: str) -> str | None:
    """The State a panellist's description ends with: "Director, Central Law Enforcement of South
    Africa" -> "South Africa"; "Judge at the Court of Catania, Italy" -> "Italy"."""
    candidates = []
    for segment in description.split(","):
        segment = _fold(segment)
        candidates.append(segment)
        if " of " in segment:
            candidates.append(segment.rsplit(" of ", 1)[1])
    return next((c for c in reversed(candidates) if resolve_state(c)), None)


def _trim_name(text: str) -> str | None:
    """The capitalised tail of `text` without honorifics: "was chaired by Jo Bloggs" -> "Jo Bloggs"."""
    tokens = _fold(text).split(" ")
    kept: list[str] = []
    for token in reversed(tokens):
        if token[:1].isupper() and token not in _NOT_NAMES or (kept and token in _PARTICLES):
            kept.insert(0, token)
        else:
            break
    name = _HONORIFIC.sub("", " ".join(kept)).strip()
    return name or None


def _full_name(surname: str, text: str) -> str | None:
    """ "Amanda Ledwaba" for "Ledwaba" when the text prints given names before it somewhere."""
    for found in re.finditer(rf"\b{re.escape(surname)}\b", text):
        before = _GIVEN_NAMES.search(text, max(0, found.start() - 80), found.start())
        if not before:
            continue
        given = before[1].split()
        while given and (not given[0][:1].isupper() or given[0] in _NOT_NAMES):
            given.pop(0)
        if given and all(t[:1].isupper() and t not in _NOT_NAMES for t in given):
            return " ".join([*given, surname])
    return None


def _fold(text: str) -> str:
    return " ".join(text.split())
