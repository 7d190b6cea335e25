"""Identity across sources: which records are one document, one meeting, one recommendation.

A document is keyed by what every copy of it prints, not by its UN symbol: one copy of a report
may print the symbol and another not, and both must give the same URI whatever order they are
read in. A report is keyed by the meeting it reports on ("ctoc-cop-wg7/report/2"); a compilation
by the meetings whose recommendations it reprints ("ctoc-cop-wg7/compilation/1-5"); the symbol,
when printed, goes into dct:identifier. Only a document that says neither falls back to its
symbol, then to its title.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from untoc_kg.records import Document, Meeting, Recommendation

from rdflib import URIRef

from .uris import Minter, meeting_segment, slug

MeetingKey = tuple[str, int, str]
"""What identifies a meeting: (body symbol, ordinal, day). `day` is "" for a numbered meeting; a
meeting whose report prints no ordinal (ordinal 0) is known by its body and the ISO date it
began."""

RecommendationKey = tuple[str, int, str, str, int]
"""What identifies a recommendation across documents: its meeting (`MeetingKey`), the State under
review (a review report's alpha-3, else "": one session's reports on several States each number
from 1) and its position."""


def meeting_key(symbol: str, ordinal: int, start: date | None) -> MeetingKey:
    return (symbol, ordinal, start.isoformat() if ordinal == 0 and start is not None else "")


def meeting_key_of(meeting: Meeting, symbol: str) -> MeetingKey:
    """`meeting`'s key; `symbol` is its body's (the record's own, else its document's)."""
    return meeting_key(symbol, meeting.ordinal, meeting.start)


def adopting_meeting_key(record: Recommendation) -> MeetingKey:
    return meeting_key(record.body_symbol, record.meeting, record.meeting_start)


def recommendation_key(record: Recommendation) -> RecommendationKey:
    return (*adopting_meeting_key(record), record.reviewed_state or "", record.seq)


def meeting_uri(mint: Minter, key: MeetingKey, body_name: str = "") -> URIRef:
    symbol, ordinal, day = key
    return mint.meeting(body_key(symbol, body_name), ordinal, day)


def recommendation_uri_of(mint: Minter, key: RecommendationKey, body_name: str = "") -> URIRef:
    """The one place a recommendation's key becomes its URI."""
    symbol, ordinal, day, reviewed, seq = key
    return mint.recommendation(body_key(symbol, body_name), ordinal, seq, reviewed or None, day)


def body_key(symbol: str | None, name: str = "") -> str:
    return slug(symbol) if symbol else slug(name)


def document_key(document: Document) -> str:
    body = body_key(document.body.symbol, document.body.name)
    meetings = [
        meeting_segment(ordinal, day)
        for _, ordinal, day in sorted({adopting_meeting_key(r) for r in document.recommendations})
    ]
    if document.kind == "report":
        reported = document.reported_meeting
        if reported is not None:
            return f"{body}/report/{meeting_segment(reported.ordinal, reported.start)}"
        if len(meetings) == 1:
            return f"{body}/report/{meetings[0]}"
    elif meetings:
        span = str(meetings[0]) if len(meetings) == 1 else f"{meetings[0]}-{meetings[-1]}"
        return f"{body}/compilation/{span}"
    elif document.issued is not None:
        return f"{body}/compilation/{document.issued.isoformat()}"
    if document.symbol:
        return slug(document.symbol)
    return f"{body}/{slug(document.title)}"


@dataclass(frozen=True)
class MergedDocument:
    key: str
    copies: tuple[Document, ...]
    """Every source of this document, ordered by checksum (so the choice of values is stable)."""

    def first(self, attribute: str):
        """The first value of `attribute` that some copy gives, else None."""
        for copy in self.copies:
            if value := getattr(copy, attribute):
                return value
        return None


@dataclass(frozen=True)
class Printing:
    """One recommendation as one document prints it (one record per copy of that document)."""

    document_key: str
    records: tuple[tuple[Document, Recommendation], ...]

    @property
    def record(self) -> Recommendation:
        return self.records[0][1]


@dataclass(frozen=True)
class MergedRecommendation:
    body_symbol: str
    meeting: int
    seq: int
    printings: tuple[Printing, ...]
    """Ordered with the report of the adopting meeting first: its wording is the reference one."""
    reviewed_state: str | None = None
    """A review recommendation's State under review (alpha-3)."""
    meeting_day: str = ""
    """The adopting meeting's day where it has no ordinal (see `MeetingKey`)."""

    @classmethod
    def of_key(cls, key: RecommendationKey, printings: tuple[Printing, ...]) -> MergedRecommendation:
        symbol, meeting, day, reviewed, seq = key
        return cls(symbol, meeting, seq, printings, reviewed or None, day)

    @property
    def meeting_key(self) -> MeetingKey:
        return (self.body_symbol, self.meeting, self.meeting_day)

    @property
    def key(self) -> RecommendationKey:
        return (*self.meeting_key, self.reviewed_state or "", self.seq)

    @property
    def preferred(self) -> Recommendation:
        return self.printings[0].record

    def first(self, attribute: str):
        for printing in self.printings:
            if value := getattr(printing.record, attribute):
                return value
        return None


def merge_documents(documents: Iterable[Document]) -> tuple[MergedDocument, ...]:
    return group_copies((document_key(d), d) for d in documents)


def group_copies(keyed: Iterable[tuple[str, Document]]) -> tuple[MergedDocument, ...]:
    """(document key, copy) pairs -> one `MergedDocument` per key, copies in checksum order (the
    streamed build passes keys it computed on the full documents, with cut-down headers)."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for key, document in keyed:
        groups[key].append(document)
    return tuple(
        MergedDocument(key, tuple(sorted(copies, key=lambda d: (d.sha256, d.source))))
        for key, copies in sorted(groups.items())
    )


def merge_recommendations(documents: tuple[MergedDocument, ...]) -> tuple[MergedRecommendation, ...]:
    found: dict[RecommendationKey, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    reports_of: dict[MeetingKey, str] = {}
    for merged in documents:
        for copy in merged.copies:
            if (reported := copy.reported_meeting) is not None:
                reports_of[meeting_key_of(reported, reported.body_symbol)] = merged.key
            for record in copy.recommendations:
                found[recommendation_key(record)][merged.key].append((copy, record))
    return tuple(
        MergedRecommendation.of_key(key, merge_printings(by_document, reports_of.get(key[:3])))
        for key, by_document in sorted(found.items())
    )


def merge_printings(
    by_document: Mapping[str, Sequence[tuple[Document, Recommendation]]], own_report: str | None
) -> tuple[Printing, ...]:
    """The printings of one recommendation: one per document (its records one per copy, in
    checksum order), the report of the adopting meeting (`own_report`) first: its wording is the
    reference one; then by document key."""
    printings = (
        Printing(key, tuple(sorted(records, key=lambda r: (r[0].sha256, r[0].source))))
        for key, records in by_document.items()
    )
    return tuple(sorted(printings, key=lambda p: (p.document_key != own_report, p.document_key)))


@dataclass(frozen=True)
class MergedMeeting:
    body_symbol: str
    ordinal: int
    records: tuple[tuple[str, Meeting], ...]
    """(document key, record), the fullest description (the meeting's own report) first."""
    day: str = ""
    """The day it began, where it has no ordinal (see `MeetingKey`)."""

    @property
    def key(self) -> MeetingKey:
        return (self.body_symbol, self.ordinal, self.day)

    def first(self, attribute: str):
        for _, record in self.records:
            if value := getattr(record, attribute):
                return value
        return None

    @property
    def document_keys(self) -> tuple[str, ...]:
        return tuple(sorted({key for key, _ in self.records}))


def _fullness(record: Meeting) -> int:
    return len(record.attendance) + len(record.agenda) + (record.chair is not None)


def merge_meetings(documents: tuple[MergedDocument, ...]) -> tuple[MergedMeeting, ...]:
    found: dict[MeetingKey, list[tuple[str, str, Meeting]]] = defaultdict(list)
    for merged in documents:
        for copy in merged.copies:
            for meeting in copy.meetings:
                key = meeting_key_of(meeting, meeting_symbol(meeting, copy))
                found[key].append((merged.key, copy.sha256, meeting))
    return tuple(merge_meeting(key, items) for key, items in sorted(found.items()))


def meeting_symbol(meeting: Meeting, document: Document) -> str:
    """The symbol of the body that held `meeting`: its own, else its document's body's."""
    return meeting.body_symbol or document.body.symbol or document.body.name


def merge_meeting(key: MeetingKey, records: Iterable[tuple[str, str, Meeting]]) -> MergedMeeting:
    """One meeting from its (document key, copy checksum, record) triples, the fullest
    description (the meeting's own report) first."""
    ordered = sorted(records, key=lambda item: (-_fullness(item[2]), item[0], item[1]))
    symbol, ordinal, day = key
    return MergedMeeting(symbol, ordinal, tuple((k, m) for k, _, m in ordered), day)
