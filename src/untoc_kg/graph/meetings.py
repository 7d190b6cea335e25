"""Meetings -> triples: dates, place, chair, agenda, attendance by role, panellists."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from rdflib import Literal, URIRef

from untoc_kg.records import AgendaItem, AttendanceRole, Attendee, Person

from .merge import MeetingKey, MergedMeeting, body_key
from .reference_data import iso3_of
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter, child, slug
from untoc_kg.vocab import PROV, RDF, RDFS, SCHEMA, SKOS, UNTOC, XSD

ROLES: Mapping[AttendanceRole, URIRef] = {
    AttendanceRole.STATES_PARTIES: UNTOC.StateParty,
    AttendanceRole.REGIONAL_ORGANIZATIONS_PARTIES: UNTOC.RegionalEconomicIntegrationOrganization,
    AttendanceRole.SIGNATORIES: UNTOC.Signatory,
    AttendanceRole.NON_PARTIES: UNTOC.NonParty,
    AttendanceRole.OBSERVER_ENTITIES: UNTOC.ObserverEntity,
    AttendanceRole.ORGANIZATIONS: UNTOC.IntergovernmentalOrganization,
}


ROLE_NAMES: Mapping[URIRef, str] = {UNTOC.Chair: "chair", UNTOC.Panellist: "panellist"}


def ordinal_words(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def meeting_name(ordinal: int, day: str, body_name: str) -> str:
    """"7th meeting of the ..."; a meeting without an ordinal by the day it began: "meeting of
    the ... of 27 January 2010"."""
    if ordinal or not day:
        return f"{ordinal_words(ordinal)} meeting of the {body_name}"
    began = date.fromisoformat(day)
    return f"meeting of the {body_name} of {began.day} {began:%B} {began.year}"


def participant(mint: Minter, attendee: Attendee) -> tuple[str, URIRef]:
    """(key within the meeting, URI) of whoever attended: a State by ISO code, else an
    organisation by its short name or its name as printed."""
    if attendee.iso3:
        return attendee.iso3.upper(), mint.state(attendee.iso3)
    name = attendee.org_key or attendee.name
    return slug(name), mint.organization(name)


def person_triples(mint: Minter, person: Person, state_codes: Mapping[str, str]) -> Iterator[Triple]:
    uri = mint.person(person.name)
    yield uri, RDF.type, UNTOC.Person
    yield uri, RDFS.label, Literal(person.name)
    if person.state and (iso3 := iso3_of(person.state, dict(state_codes))):
        yield uri, UNTOC.state, mint.state(iso3)


def participation_triples(
    mint: Minter, meeting: URIRef, person: Person, role: URIRef, state_codes: Mapping[str, str]
) -> Iterator[Triple]:
    """A person's part in the meeting (chair, panellist) as PROV's qualified association, on behalf
    of the State printed after the name: the State belongs to this participation, not the person."""
    node = child(meeting, "participation", slug(person.name))
    yield meeting, UNTOC.participation, node
    yield node, RDF.type, UNTOC.Participation
    yield node, RDFS.label, en(f"{person.name}, {ROLE_NAMES[role]}")
    yield node, PROV.agent, mint.person(person.name)
    yield node, PROV.hadRole, role
    if person.state and (iso3 := iso3_of(person.state, dict(state_codes))):
        yield node, UNTOC.onBehalfOf, mint.state(iso3)


def agenda_triples(owner: URIRef, base: URIRef, items: tuple[AgendaItem, ...]) -> Iterator[Triple]:
    """Items under `owner` (a meeting, or an item for its sub-items), minted as `base`/label."""
    for position, item in enumerate(items, start=1):
        uri = child(base, slug(item.label))
        yield owner, UNTOC.agendaItem, uri
        yield uri, RDF.type, UNTOC.AgendaItem
        yield uri, RDFS.label, en(item.title)
        yield uri, UNTOC.position, Literal(position, datatype=XSD.integer)
        yield uri, SKOS.notation, Literal(item.label)
        yield from agenda_triples(uri, uri, item.subitems)


@standard_terms
def meeting_triples(
    mint: Minter, merged: MergedMeeting, body_name: str, state_codes: Mapping[str, str]
) -> Iterator[Triple]:
    body = body_key(merged.body_symbol, body_name)
    uri = mint.meeting(body, merged.ordinal, merged.day)
    yield from meeting_core_triples.__wrapped__(mint, merged.key, body_name)
    # The documents that report it: where its description comes from, not what the meeting is
    # made of (a meeting is an activity, never derived from the report written after it).
    for key in merged.document_keys:
        yield uri, SCHEMA.subjectOf, mint.document(key)
    if start := merged.first("start"):
        yield uri, SCHEMA.startDate, Literal(start.isoformat(), datatype=XSD.date)
    if end := merged.first("end"):
        yield uri, SCHEMA.endDate, Literal(end.isoformat(), datatype=XSD.date)
    if place := merged.first("place"):
        yield uri, SCHEMA.location, Literal(place)
    if chair := merged.first("chair"):
        yield uri, UNTOC.chair, mint.person(chair.name)
        yield from person_triples(mint, chair, state_codes)
        yield from participation_triples(mint, uri, chair, UNTOC.Chair, state_codes)
    yield from agenda_triples(uri, child(uri, "agenda"), merged.first("agenda") or ())
    seen_people: set[str] = set()
    for _, record in merged.records:
        for person in record.panellists:
            if person.name not in seen_people:
                seen_people.add(person.name)
                yield uri, UNTOC.panellist, mint.person(person.name)
                yield from person_triples(mint, person, state_codes)
                if chair is None or person.name != chair.name:
                    yield from participation_triples(mint, uri, person, UNTOC.Panellist, state_codes)
    yield from attendance_triples(mint, merged, body)


@standard_terms
def meeting_core_triples(mint: Minter, key: MeetingKey, body_name: str) -> Iterator[Triple]:
    """What every meeting has, even one known only as the meeting a recommendation names; one
    the report prints no ordinal for has none, and its start date (known by its day)."""
    symbol, ordinal, day = key
    body = body_key(symbol, body_name)
    uri = mint.meeting(body, ordinal, day)
    yield uri, RDF.type, UNTOC.Meeting
    yield uri, RDFS.label, en(meeting_name(ordinal, day, body_name))
    if ordinal:
        yield uri, UNTOC.ordinal, Literal(ordinal, datatype=XSD.integer)
    else:
        yield uri, SCHEMA.startDate, Literal(day, datatype=XSD.date)
    yield uri, UNTOC.meetingOf, mint.body(body)


def attendance_triples(mint: Minter, merged: MergedMeeting, body: str) -> Iterator[Triple]:
    """One Attendance per participant: the fullest record's role wins, the others add anyone
    it missed (two copies of one report may each lose a name to a page break)."""
    meeting = mint.meeting(body, merged.ordinal, merged.day)
    roles: dict[str, tuple[URIRef, URIRef]] = {}
    for _, record in merged.records:
        for attendee in record.attendance:
            key, who = participant(mint, attendee)
            roles.setdefault(key, (who, ROLES[AttendanceRole(attendee.role)]))
    # "No attendance" and "attendance not known" differ: say which (the documents read may
    # report the meeting without its list of participants).
    # (A value, not an xsd:boolean: Virtuoso writes "true" back as "1".)
    yield meeting, UNTOC.attendanceStatus, UNTOC.AttendanceRecorded if roles else UNTOC.AttendanceNotRecorded
    for key, (who, role) in sorted(roles.items()):
        node = mint.attendance(body, merged.ordinal, key, merged.day)
        yield node, RDF.type, UNTOC.Attendance
        yield meeting, UNTOC.attendance, node
        yield node, UNTOC.atMeeting, meeting
        yield node, UNTOC.participant, who
        yield node, UNTOC.role, role
        yield meeting, UNTOC.attendee, who

