"""The records the extractor produces: the contract between `extract` and every later stage.

Plain frozen dataclasses, nothing else. Every later stage (graph, shapes, sparql, server) reads
these and never the text they came from. Spans are character offsets into the *normalised* text
of the source (see `untoc_kg.extract.normalise`), end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

TreatyKey = str
"""One of the keys of `untoc_kg/reference/treaties.json` ("UNTOC", "SOM", "TIP", "FIR") or "VCCR"."""


class AttendanceRole(StrEnum):
    """The role in which a participant attended, as the report's attendance section lists it.

    The values are the keys of the gold annotation format (tests/gold/SCHEMA.md).
    """

    STATES_PARTIES = "states_parties"
    REGIONAL_ORGANIZATIONS_PARTIES = "regional_organizations_parties"
    SIGNATORIES = "signatories"
    NON_PARTIES = "non_parties"
    OBSERVER_ENTITIES = "observer_entities"
    ORGANIZATIONS = "organizations"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    """One cited provision: an article (optionally a paragraph and subparagraph of it) or a chapter.

    "articles 16 and 18 of the Convention" gives two citations. `how` is "explicit" when the
    instrument is named in the same phrase, "context" when it is inferred from the surrounding text.
    """

    treaty: TreatyKey
    article: int | None
    paragraph: int | None = None
    subparagraph: str | None = None
    chapter: str | None = None
    how: Literal["explicit", "context"] = "explicit"
    text: str = ""
    span: Span = Span(0, 0)

    @property
    def key(self) -> tuple[str, int | None, int | None, str | None, str | None]:
        """What identifies the provision, whatever the wording."""
        return (self.treaty, self.article, self.paragraph, self.subparagraph, self.chapter)


@dataclass(frozen=True)
class Person:
    name: str
    state: str | None = None
    """The State in brackets after the name, as printed ("Spain")."""
    title: str | None = None
    """The office printed with the name ("Minister for Foreign Affairs"), where one is."""


@dataclass(frozen=True)
class AgendaItem:
    label: str
    """As printed: "1", "2", ... for items, "a", "b", ... for sub-items."""
    title: str
    subitems: tuple[AgendaItem, ...] = ()


@dataclass(frozen=True)
class Attendee:
    """One participant named in an attendance paragraph."""

    name: str
    """As printed, whitespace folded ("Venezuela (Bolivarian Republic of)")."""
    role: AttendanceRole
    iso3: str | None = None
    """ISO 3166-1 alpha-3 code when the participant is a State (or territory), else None."""
    org_key: str | None = None
    """Short name of a known organisation ("IOM", "EU", "UNHCR"), else None."""


@dataclass(frozen=True)
class Sitting:
    """A numbered meeting held during a session ("the 14th meeting, on 16 February 2010")."""

    number: int
    day: date | None = None


@dataclass(frozen=True)
class Meeting:
    """A meeting of a body. Reports also name earlier meetings: those are Meetings with only
    ordinal and dates (and place, where printed)."""

    body_symbol: str
    """Symbol prefix of the body that met, e.g. "CTOC/COP/WG.7"."""
    ordinal: int
    """First meeting = 1; 0 when the report prints no ordinal (the meeting is then known by its
    body and dates)."""
    start: date | None = None
    end: date | None = None
    place: str | None = None
    chair: Person | None = None
    agenda: tuple[AgendaItem, ...] = ()
    attendance: tuple[Attendee, ...] = ()
    panellists: tuple[Person, ...] = ()
    documents_cited: tuple[str, ...] = ()
    """UN symbols of the documents before the meeting or named in its report, in order."""
    state_under_review: str | None = None
    """A review session (Universal Periodic Review): the State reviewed, as printed."""
    review: Sitting | None = None
    """The sitting of the session at which that State was reviewed."""
    adoption: Sitting | None = None
    """The sitting at which the report on it was adopted."""
    head_of_delegation: Person | None = None
    troika: tuple[str, ...] = ()
    """The States of the group of rapporteurs that facilitated the review, as printed."""
    delegations_making_statements: tuple[str, ...] = ()
    """The delegations whose statements the report summarises, in order, as printed."""
    named_states: tuple[tuple[str, str], ...] = ()
    """(name as printed, ISO 3166-1 alpha-3) of each mention of a known State in the session's
    roles (the State under review, the troika, the delegations that spoke), resolved by the
    extract stage as `Attendee.iso3` is."""


@dataclass(frozen=True)
class SubItem:
    label: str
    """The letter as printed, without brackets: "a"."""
    text: str


@dataclass(frozen=True)
class Recommendation:
    """One recommendation as printed in one document."""

    body_symbol: str
    meeting: int
    """Ordinal of the meeting that adopted it (0: the report prints none, see `meeting_start`)."""
    seq: int
    """1-based position among that meeting's recommendations."""
    label: str
    """The number as printed in this document: "5", "1", "Recommendation 1"."""
    section: str | None
    """The letter of the thematic heading it sits under ("A"), if any."""
    section_title: str | None
    addressee: str | None
    """Grammatical subject as written: "States", "States parties", "The Working Group", ..."""
    text: str
    """The full text, whitespace folded, sub-items included."""
    subitems: tuple[SubItem, ...] = ()
    citations: tuple[Citation, ...] = ()
    organizations: tuple[str, ...] = ()
    """Short names of the organisations named in the text (see tests/gold/SCHEMA.md)."""
    paragraph: str = ""
    """Label of the paragraph of the source that prints it ("5", "Recommendation 1"; "111" for a
    list numbered inside paragraph 111)."""
    span: Span = Span(0, 0)
    recommending_states: tuple[str, ...] = ()
    """The States that made it, as printed in its parentheses, in order (several where the
    report merged recommendations)."""
    standing: str | None = None
    """Where a review report splits its lists: "supported", "to be examined" or "noted"."""
    other_bodies: tuple[str, ...] = ()
    """Treaty bodies and Council organs named in its text ("Human Rights Committee")."""
    instruments: tuple[str, ...] = ()
    """Keys of the instruments its text names, cited by article or only mentioned ("CRPD",
    "ILO-C189"; see extract/patterns/instruments.json)."""
    reviewed_state: str | None = None
    """A review recommendation: the ISO 3166-1 alpha-3 code of the State under review it is made
    to. One session reviews several States, each in its own report numbered from 1, so this is
    part of what identifies the recommendation."""
    recommenders: tuple[tuple[str, str], ...] = ()
    """(name as printed, ISO 3166-1 alpha-3) of each of `recommending_states` that is a known
    State, in order: the States the graph links it to."""
    meeting_start: date | None = None
    """The first day of the adopting meeting where the report prints no ordinal for it (meeting
    0): with the body, the day is how that meeting is known."""


@dataclass(frozen=True)
class Body:
    name: str
    """"Working Group on the Smuggling of Migrants"."""
    symbol: str | None
    """Document symbol prefix, "CTOC/COP/WG.7", when known."""
    protocol: TreatyKey | None
    """What a bare "the Protocol" means in this body's documents."""


@dataclass(frozen=True)
class Document:
    """One source document and everything extracted from it."""

    source: str
    """File name of the source, as given."""
    sha256: str
    """Checksum of the source bytes."""
    kind: Literal["report", "compilation"]
    title: str
    symbol: str | None
    issued: date | None
    body: Body
    resolutions_cited: tuple[str, ...] = ()
    """Conference resolutions cited ("5/3"), in order of first mention."""
    decisions_cited: tuple[str, ...] = ()
    documents_cited: tuple[str, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What the reader should know about the input (e.g. "read as cp1252")."""
    parent_body: str | None = None
    """The body the issuing body reports to, by name ("Human Rights Council")."""
    job_number: str | None = None
    """The UN job number printed on page 1 ("GE.14-23930 (E)")."""
    previous_symbol: str | None = None
    """The symbol under which the document was issued before, where it says so."""

    @property
    def protocol(self) -> TreatyKey | None:
        return self.body.protocol

    @property
    def reported_meeting(self) -> Meeting | None:
        """For a report, the meeting it reports on (the one with an agenda or attendance)."""
        if self.kind != "report":
            return None
        full = [
            m for m in self.meetings if m.agenda or m.attendance or m.chair or m.state_under_review
        ]
        return full[-1] if full else None
