"""Facts about a document as a whole: kind, title, own symbol, issue date, the body it comes from,
and the Conference resolutions, decisions and documents it cites.

Input is normalised text (`untoc_kg.extract.normalise`): one block per line. The header of a UN
document (symbol, "Distr.: General", date, "Original: English", body, place and dates of the
meeting, agenda item) comes before the title; the title is the first header line that names a
body and is more than that body's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from untoc_kg.extract.dates import DATE, parse_date
from untoc_kg.extract.ordinals import ORDINAL
from untoc_kg.extract.records import Body
from untoc_kg.extract.symbols import SYMBOL, find_symbols
from untoc_kg.reference import bodies


@dataclass(frozen=True)
class DocumentFacts:
    kind: Literal["report", "compilation"]
    title: str
    symbol: str | None
    issued: date | None
    body: Body
    resolutions_cited: tuple[str, ...] = ()
    decisions_cited: tuple[str, ...] = ()
    documents_cited: tuple[str, ...] = ()


class NoTitleError(ValueError):
    """The text has no title line naming a body: it is not a report of the kind we read."""


# The body of the document starts at its first numbered paragraph or roman-numbered heading.
_BODY_START = re.compile(r"^(?:\d{1,3}|[IVXLC]+)\.\s")
_ISSUED = re.compile(rf"\bDistr\.?\s*:?\s*(?:General|Limited|Restricted)\s+(?P<date>{DATE})")
_OWN_SYMBOL = re.compile(rf"^(?:United\s+Nations\s+)?(?P<symbol>{SYMBOL})")
# Several meetings in one document: "at its first five meetings", "Compilation of ...".
_SEVERAL_MEETINGS = re.compile(r"\b(?:compilation|meetings|sessions)\b", re.IGNORECASE)
_MEETING_HEADING = re.compile(rf"^(?:[IVXLC]+\.\s+)?{ORDINAL}\s+meeting\s*[,(:]")
# Conference sessions are numbered from 1 (2000s); the General Assembly's from 1946, so a
# number of the form 55/25 with a session above this is an Assembly resolution.
_MAX_CONFERENCE_SESSION = 40
_OTHER_ISSUERS = re.compile(
    r"(?:General\s+Assembly|Economic\s+and\s+Social\s+Council|Security\s+Council|"
    r"Human\s+Rights\s+Council|Commission\s+on\s+[A-Z][\w\s]*?)\s*(?:,\s*)?(?:in\s+its\s+)?$"
)
_NUMBER = r"\d{1,2}/\d{1,3}"
_CITED = {
    kind: re.compile(rf"\b{kind}s?\s+(?P<list>{_NUMBER}(?:(?:\s*,\s*|\s*,?\s+and\s+){_NUMBER})*)")
    for kind in ("resolution", "decision")
}
_PREFIX_SYMBOL = re.compile(r"^(?P<prefix>.+?)/\d{4}/")


def find_document_facts(text: str) -> DocumentFacts:
    """The document-level facts of a normalised report or compilation.

    Raises NoTitleError when no line before the first paragraph names a body."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header = _header(lines)
    title_index = _title_index(header)
    if title_index is None:
        raise NoTitleError("no title naming a working group or other body before the first paragraph")
    title = header[title_index]
    symbol = _own_symbol(header[:title_index])
    flat = " ".join(lines)
    issued = _ISSUED.search(" ".join(header))
    return DocumentFacts(
        kind=_kind(title, lines),
        title=title,
        symbol=symbol,
        issued=parse_date(issued["date"]) if issued else None,
        body=find_body(title, symbol, flat),
        resolutions_cited=_cited("resolution", flat),
        decisions_cited=_cited("decision", flat),
        documents_cited=tuple(s for s in find_symbols(flat) if s != symbol),
    )


def _header(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _BODY_START.match(line):
            return lines[:index]
    return lines


def _title_index(header: list[str]) -> int | None:
    names = [_fold(b.name).casefold() for b in bodies().values()]
    for index, line in enumerate(header):
        folded = _fold(line).casefold()
        if folded.rstrip(".") in names or line.endswith("."):
            continue
        unknown = _unknown_body_name(line)
        if any(name in folded for name in names) or (unknown and unknown != _fold(line)):
            return index
    return None


def _own_symbol(lines: list[str]) -> str | None:
    """The symbol the document prints for itself, in its header above the title."""
    for line in lines:
        match = _OWN_SYMBOL.match(line)
        if match:
            return match["symbol"]
    return None


def _kind(title: str, lines: list[str]) -> Literal["report", "compilation"]:
    headings = sum(1 for line in lines if _MEETING_HEADING.match(line))
    return "compilation" if headings >= 2 or _SEVERAL_MEETINGS.search(title) else "report"


def find_body(title: str, symbol: str | None, text: str) -> Body:
    """The body whose document this is: by its symbol prefix when a symbol is printed, else by
    the body name the title names first, else by the first body name in the text. A body not in
    the reference data keeps the name the title prints, with no symbol and no Protocol."""
    known = bodies()
    if symbol:
        prefix = _symbol_prefix(symbol)
        if prefix in known:
            info = known[prefix]
            return Body(info.name, info.symbol, info.protocol)
    for where in (title, text):
        named = _first_named(where)
        if named:
            return Body(named.name, named.symbol, named.protocol)
    unknown = _unknown_body_name(title)
    if unknown:
        return Body(unknown, _symbol_prefix(symbol) if symbol else None, None)
    raise NoTitleError(f"no body named in the title {title!r}")


def _first_named(text: str):
    folded = _fold(text).casefold()
    found = [
        (folded.find(_fold(info.name).casefold()), -len(info.name), info)
        for info in bodies().values()
        if _fold(info.name).casefold() in folded
    ]
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


_UNKNOWN_BODY = re.compile(
    r"\b(?P<name>(?:Open-ended\s+)?(?:Intergovernmental\s+)?(?:Working\s+Group|Expert\s+Group|"
    r"Group\s+of\s+Experts|Committee|Commission)\s+(?:on|of|for)\s+[^,.;]+?)"
    r"(?=\s+(?:held|at\s+its|on\s+its|in\s+[A-Z])\b|[,.;]|$)"
)


def _unknown_body_name(text: str) -> str | None:
    match = _UNKNOWN_BODY.search(text)
    return _fold(match["name"]) if match else None


def _symbol_prefix(symbol: str) -> str:
    """ "CTOC/COP/WG.7" for "CTOC/COP/WG.7/2013/5": the symbol up to its year."""
    match = _PREFIX_SYMBOL.match(symbol)
    return match["prefix"] if match else symbol.rsplit("/", 1)[0]


def _cited(kind: str, text: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for match in _CITED[kind].finditer(text):
        if _OTHER_ISSUERS.search(text[max(0, match.start() - 60) : match.start()]):
            continue
        for number in re.findall(_NUMBER, match["list"]):
            if int(number.split("/")[0]) <= _MAX_CONFERENCE_SESSION:
                found.setdefault(number, None)
    return tuple(found)


def _fold(text: str) -> str:
    return " ".join(text.split())
