"""Records -> the JSON shape of the gold annotations (tests/gold/SCHEMA.md).

`untoc-kg extract --json` prints this and `untoc-kg eval` scores it, so a prediction and a hand-made
annotation are compared in the same shape.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath
from typing import Any

from untoc_kg.records import (
    AttendanceRole,
    Citation,
    Document,
    Meeting,
    Person,
    Recommendation,
    Sitting,
)

TEXT_START_CHARS = 60
"""The gold gives "the first ~60 characters"; we cut at the first word end at or after this."""

_SPACE = re.compile(r"\s+")


def text_start(text: str, chars: int = TEXT_START_CHARS) -> str:
    """The first `chars` characters of `text`, whitespace folded, completed to the end of a word."""
    folded = _SPACE.sub(" ", text).strip()
    if len(folded) <= chars:
        return folded
    word_end = folded.find(" ", chars)
    return folded if word_end < 0 else folded[:word_end]


def document_to_json(doc: Document) -> dict[str, Any]:
    """One document in the gold annotation shape. `duplicate_of` is always null: deciding that
    two documents are copies is the graph stage's job, not the extractor's."""
    return {
        "document": PurePath(doc.source).name,
        "duplicate_of": None,
        "kind": doc.kind,
        "title": doc.title,
        "symbol": doc.symbol,
        "issued": _iso(doc.issued),
        "body": doc.body.name,
        "parent_protocol": doc.body.protocol,
        "resolutions_cited": list(doc.resolutions_cited),
        "documents_cited": list(doc.documents_cited),
        "meetings": [_meeting(m) for m in doc.meetings],
        "recommendations": [_recommendation(r) for r in doc.recommendations],
        **_review_document(doc),
    }


def _review_document(doc: Document) -> dict[str, Any]:
    """The keys a review report's gold adds (../shared/real-reports/README.md), where known."""
    out: dict[str, Any] = {}
    if doc.parent_body:
        out["parent_body"] = doc.parent_body
    if doc.job_number:
        out["job_number"] = doc.job_number
    if doc.previous_symbol:
        out["previous_symbol"] = doc.previous_symbol
    return out


def _sitting(sitting: Sitting | None) -> dict[str, Any] | None:
    return None if sitting is None else {"meeting": sitting.number, "date": _iso(sitting.day)}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _person(person: Person | None) -> dict[str, str | None] | None:
    return None if person is None else {"name": person.name, "state": person.state}


def _head(person: Person | None) -> dict[str, str | None] | None:
    return None if person is None else {"name": person.name, "title": person.title}


def _meeting(meeting: Meeting) -> dict[str, Any]:
    attendance: dict[str, list[str]] = {}
    for role in AttendanceRole:
        names = [a.name for a in meeting.attendance if a.role == role]
        if names:
            attendance[role.value] = names
    if meeting.delegations_making_statements:
        attendance["delegations_making_statements"] = list(meeting.delegations_making_statements)
    review = {}
    if meeting.state_under_review:
        review = {
            "state_under_review": meeting.state_under_review,
            "review": _sitting(meeting.review),
            "adoption": _sitting(meeting.adoption),
            "head_of_delegation": _head(meeting.head_of_delegation),
            "troika": list(meeting.troika),
        }
    return {
        "ordinal": meeting.ordinal,
        "start": _iso(meeting.start),
        "end": _iso(meeting.end),
        "place": meeting.place,
        "chair": _person(meeting.chair),
        "agenda": [item.title for item in meeting.agenda],
        "attendance": attendance,
        "panellists": [_person(p) for p in meeting.panellists],
        "documents_cited": list(meeting.documents_cited),
        **review,
    }


def _citation(citation: Citation) -> dict[str, Any]:
    return {
        "treaty": citation.treaty,
        "article": citation.article,
        "paragraph": citation.paragraph,
        "subparagraph": citation.subparagraph,
        "chapter": citation.chapter,
        "how": citation.how,
    }


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    return {
        "meeting": rec.meeting,
        "seq": rec.seq,
        "label": rec.label,
        "section": rec.section,
        "section_title": rec.section_title,
        "addressee": rec.addressee,
        "text_start": text_start(rec.text),
        "subitems": [s.label for s in rec.subitems],
        "citations": [_citation(c) for c in rec.citations],
        "organizations": list(rec.organizations),
        "paragraph": rec.paragraph,
        "instruments": list(rec.instruments),
        **(
            {
                "recommending_states": list(rec.recommending_states),
                "other_bodies": list(rec.other_bodies),
                "standing": rec.standing,
            }
            if rec.recommending_states or rec.standing
            else {}
        ),
    }
