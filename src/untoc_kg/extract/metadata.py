"""Facts about a document as a whole: kind, title, own symbol, issue date, the body it comes from,
and the Conference resolutions, decisions and documents it cites.

Input is normalised text (`untoc_kg.extract.normalise`): one block per line. The header of a UN
document (symbol, "Distr.: General", date, "Original: English", body, place and dates of the
meeting, agenda item) comes before the title; the title is the first header line that names a
body once those pieces are taken off its front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from untoc_kg.extract.dates import DATE, DATES, parse_date
from untoc_kg.extract.layout import body_start, text_lines
from untoc_kg.extract.meetings import meeting_headings
from untoc_kg.extract.ordinals import ORDINAL
from untoc_kg.records import Body
from untoc_kg.extract.keywords import keyword_matches
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
    reviewed_state: str | None = None
    """The State a review report's title names ("...: Slovenia")."""


class NoTitleError(ValueError):
    """The text has no title line naming a body: it is not a report of the kind we read."""


_ISSUED = re.compile(rf"\bDistr\.?\s*:?\s*(?:General|Limited|Restricted)\s+(?P<date>{DATE})")
_PLACE_AND_DATES = rf"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*,\s*{DATES}"
# Several meetings in one document: "at its first five meetings", "Compilation of ...".
_SEVERAL_MEETINGS = re.compile(r"\b(?:compilation|meetings|sessions)\b", re.IGNORECASE)
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
    lines = text_lines(text)
    header = lines[: body_start(lines)]
    title, symbol, title_index = _read_header(header)
    if title is None:
        raise NoTitleError("no title naming a working group or other body before the first paragraph")
    flat = " ".join(lines)
    body = find_body(title, symbol, flat)
    reviewed = _reviewed_state(header, title_index)
    if reviewed:
        title = f"{title}: {reviewed}"  # a review report is titled after the State it reviews
    issued = _ISSUED.search(" ".join(header))
    return DocumentFacts(
        kind=_kind(title, lines),
        title=title,
        symbol=symbol,
        issued=parse_date(issued["date"]) if issued else None,
        body=body,
        resolutions_cited=_cited("resolution", flat, body),
        decisions_cited=_cited("decision", flat, body),
        documents_cited=tuple(s for s in find_symbols("\n".join(lines)) if s != symbol),
        reviewed_state=reviewed,
    )


_PREVIOUSLY = re.compile(rf"\b[Pp]reviously\s+issued\s+(?:under|as)\s+(?:document\s+)?(?:symbol\s+)?(?P<symbol>{SYMBOL})")


def find_previous_symbol(raw: str) -> str | None:
    """"* Previously issued under document symbol A/HRC/WG.6/7/L.14": the earlier issue, read from
    the raw text (it is a footnote, which normalising removes)."""
    match = _PREVIOUSLY.search(raw)
    return match["symbol"].rstrip(".") if match else None


def _read_header(header: list[str]) -> tuple[str | None, str | None, int]:
    """The title, the document's own symbol and the index of the title's line. A header line may
    carry several header pieces run together (a web copy): they are taken off its front before
    the rest is read as a title. A footnote mark after the title ("Review*") is not part of it."""
    symbol = None
    for index, line in enumerate(header):
        rest = _fold(line)
        while piece := _header_piece(rest):
            if piece.lastgroup == "symbol" and symbol is None:
                symbol = piece["symbol"]
            rest = rest[piece.end() :]
        rest = _FOOTNOTE_MARK.sub("", rest)
        if rest and not rest.endswith(".") and _names_a_body(rest):
            return rest, symbol, index
    return None, symbol, -1


_FOOTNOTE_MARK = re.compile(r"(?<=[^\s*])\*{1,3}$")


def _reviewed_state(header: list[str], title_index: int) -> str | None:
    """The State a review report is about: printed alone on the line after its title."""
    from untoc_kg.extract.entities import resolve_state

    if title_index < 0 or title_index + 1 >= len(header):
        return None
    line = _FOOTNOTE_MARK.sub("", _fold(header[title_index + 1]))
    return line if len(line) <= 60 and resolve_state(line) else None


def _header_piece(text: str) -> re.Match[str] | None:
    for pattern in _header_pieces():
        match = pattern.match(text)
        if match and match.end() > 0:
            return match
    return None


@cache
def _header_pieces() -> tuple[re.Pattern[str], ...]:
    """What a UN header prints before the title: "United Nations", the symbol, "Distr.: General",
    the issue date, "Original: English", the body's name alone or with the meeting's place and
    dates ("Vienna, 11-13 November 2013"), "Item 4 of the provisional agenda*" and its title."""
    names = "|".join(re.escape(_fold(b.name)) for b in sorted(bodies().values(), key=lambda b: -len(b.name)))
    end = r"(?:\s+|$)"
    return tuple(
        re.compile(p)
        for p in (
            rf"United\s+Nations(?=\s+{SYMBOL}|$){end}",
            rf"(?P<symbol>{SYMBOL})\*?{end}",
            rf"Distr\.?\s*:?\s*(?:General|Limited|Restricted){end}",
            rf"{DATE}{end}",
            rf"Original\s*:\s*[A-Z]\w+{end}",
            rf"(?:{names})(?=\s+(?:{_PLACE_AND_DATES}|{SYMBOL}|Distr\b|Original\b|Item\s+\d)|$){end}",
            rf"{_PLACE_AND_DATES}{end}",
            rf"Item\s+\d+\s+of\s+the\s+(?:provisional\s+)?agenda\*?{end}",
            rf"(?:{names})(?=\s+{ORDINAL}\s+session\b){end}",
            rf"{ORDINAL}\s+session{end}",
            rf"Agenda\s+item\s+\d+\*?{end}",
        )
    )


def _names_a_body(text: str) -> bool:
    folded = text.casefold()
    if any(_fold(b.name).casefold() in folded for b in bodies().values()):
        return True
    unknown = _unknown_body_name(text)
    return bool(unknown) and unknown != text


def _kind(title: str, lines: list[str]) -> Literal["report", "compilation"]:
    return "compilation" if len(meeting_headings(lines)) >= 2 or _SEVERAL_MEETINGS.search(title) else "report"


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


def _cited(kind: str, text: str, body: Body) -> tuple[str, ...]:
    """The resolutions (or decisions) of the body's own parent: the Conference's for its working
    groups, the Council's for its Working Group (a resolution another organ issued is not)."""
    found: dict[str, None] = {}
    own = parent_body_name(body)
    for match in keyword_matches(kind, _CITED[kind], text):
        issuer = _OTHER_ISSUERS.search(text[max(0, match.start() - 60) : match.start()])
        if issuer and not (own and _fold(issuer[0]).rstrip(", ").removesuffix(" in its").rstrip(", ") == own):
            continue
        for number in re.findall(_NUMBER, match["list"]):
            if int(number.split("/")[0]) <= _MAX_CONFERENCE_SESSION:
                found.setdefault(number, None)
    return tuple(found)


def parent_body_name(body: Body) -> str | None:
    """The name of the known body whose symbol is the longest proper prefix of the body's."""
    if not body.symbol:
        return None
    known = bodies()
    parents = [s for s in known if body.symbol.startswith(s + "/")]
    return known[max(parents, key=len)].name if parents else None


def _fold(text: str) -> str:
    return " ".join(text.split())
