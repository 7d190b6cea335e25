"""Who attended a meeting, by role, from the report's attendance paragraphs.

An attendance paragraph says who "was/were represented"; its wording gives the role ("States
parties to the ... Protocol", "parties to the Protocol", "States signatories", "States that are
not parties or signatories", "a regional economic integration organization that is a party",
"a non-member State maintaining a permanent observer mission", "an entity maintaining a permanent
observer office", "intergovernmental organizations", "United Nations entities", "The Office of
the United Nations High Commissioner for Refugees was represented ..."). Names come from the
list after the colon, or from the paragraph's subject when there is no list.
"""

from __future__ import annotations

import re

from untoc_kg.extract.entities import resolve_organization, resolve_state
from untoc_kg.records import AttendanceRole, Attendee

_REPRESENTED = re.compile(r"\brepresented\b")
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,3}\.\s+")
# Checked in this order: "not parties or signatories" also says "parties" and "signatories".
_ROLE_WORDING = (
    (AttendanceRole.REGIONAL_ORGANIZATIONS_PARTIES, r"regional\s+economic\s+integration\s+organi[sz]ation"),
    (
        AttendanceRole.OBSERVER_ENTITIES,
        r"non-member\s+State|permanent\s+observer\s+(?:mission|office)|\bentit(?:y|ies)\s+(?:maintaining|having|that\s+maintain)",
    ),
    (AttendanceRole.NON_PARTIES, r"\bnot\s+(?:a\s+)?part(?:y|ies)\b|\bnon-part(?:y|ies)\b|\bneither\b"),
    (AttendanceRole.SIGNATORIES, r"\bsignator(?:y|ies)\b"),
    (AttendanceRole.STATES_PARTIES, r"\bpart(?:y|ies)\b"),
    (
        AttendanceRole.ORGANIZATIONS,
        (
            r"organi[sz]ations?\b|\bUnited\s+Nations\b|\bentit(?:y|ies)\b|\bagenc(?:y|ies)\b|\bOffice\b"
            r"|\bProgramme\b|\bFund\b|\bbod(?:y|ies)\b|\binstitutes?\b"
        ),
    ),
)
_ROLES = tuple((role, re.compile(wording)) for role, wording in _ROLE_WORDING)
_SUBJECT_END = re.compile(r",|\s+(?:was|were)\s+(?:also\s+)?represented\b")
_PLURAL = re.compile(r"\bwere\s+(?:also\s+)?represented\b|\bfollowing\b")
_AND = re.compile(r"\s+and\s+")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_BRACKET_OR_COMMA = re.compile(r"[(),]")


def find_attendance(lines: list[str]) -> tuple[Attendee, ...]:
    """Attendees of every attendance paragraph, in the order printed, each (name, role) once.
    A list cut from its paragraph (by a page break after a comma, or after the colon that
    opens it) is read with it."""
    attendees: dict[tuple[str, AttendanceRole], Attendee] = {}
    for paragraph in _rejoin(lines):
        if "represented" not in paragraph or not _REPRESENTED.search(paragraph):
            continue
        role = _role(paragraph)
        if role is None:
            continue
        for name in _names(paragraph):
            key = (name, role)
            if key not in attendees:
                attendees[key] = Attendee(name, role, resolve_state(name), resolve_organization(name))
    return tuple(attendees.values())


def _rejoin(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if joined and (
            joined[-1].endswith(",")
            or (joined[-1].endswith(":") and _REPRESENTED.search(joined[-1]))
        ):
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
        else:
            joined.append(line.strip())
    return joined


def _role(paragraph: str) -> AttendanceRole | None:
    # The role is said before the list ("The following States parties ...: A, B"), or around the
    # subject ("The European Union, a regional economic integration organization that ...").
    wording = paragraph.split(":", 1)[0]
    for role, pattern in _ROLES:
        if pattern.search(wording):
            return role
    return None


def _names(paragraph: str) -> list[str]:
    text = _PARAGRAPH_NUMBER.sub("", paragraph)
    many = bool(_PLURAL.search(text))
    if ":" in text:
        listing = text.split(":", 1)[1]
    else:
        listing = text[: m.start()] if (m := _SUBJECT_END.search(text)) else text
    return split_names(listing, many)


def split_names(listing: str, many: bool = True) -> list[str]:
    """ "A, B, C and D." -> [A, B, C, D]. Commas inside brackets do not split. " and " ends a list
    but also sits inside names ("Trinidad and Tobago", "Organization for Security and Cooperation
    in Europe"), so the split is the one whose parts are known names; when none is known, the first
    " and " (for a list of several) or none (for one name)."""
    listing = " ".join(listing.split()).strip().rstrip(".;").strip()
    parts = [p.strip() for p in _split_outside_brackets(listing) if p.strip()]
    if not parts:
        return []
    last = parts.pop()
    if last.startswith("and "):
        parts.append(last[4:])
    else:
        parts.extend(_split_last(last, single=not parts, many=many))
    return [_LEADING_THE.sub("", p) for p in parts if p]


def _split_outside_brackets(text: str) -> list[str]:
    if "(" not in text:
        return text.split(",")
    parts, depth, start = [], 0, 0
    for mark in _BRACKET_OR_COMMA.finditer(text):
        char = mark[0]
        depth += 1 if char == "(" else -1 if char == ")" else 0
        if char == "," and depth == 0:
            parts.append(text[start : mark.start()])
            start = mark.end()
    parts.append(text[start:])
    return parts


def _split_last(text: str, single: bool, many: bool) -> list[str]:
    options: list[list[str]] = [[text]] if single else []
    for match in _AND.finditer(text):
        if text.count("(", 0, match.start()) == text.count(")", 0, match.start()):
            options.append([text[: match.start()], text[match.end() :]])
    if not options:
        return [text]

    def known(option: list[str]) -> float:
        return sum(_is_known(_LEADING_THE.sub("", p)) for p in option) / len(option)

    best = max(known(o) for o in options)
    tied = [o for o in options if known(o) == best]
    if many:
        tied.sort(key=len, reverse=True)  # stable: the first split wins over no split
    return tied[0]


def _is_known(name: str) -> bool:
    return resolve_state(name) is not None or resolve_organization(name) is not None
