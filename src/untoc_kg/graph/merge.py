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
from dataclasses import dataclass

from untoc_kg.extract.records import Document, Meeting, Recommendation

from .uris import slug


def body_key(symbol: str | None, name: str = "") -> str:
    return slug(symbol) if symbol else slug(name)


def document_key(document: Document) -> str:
    body = body_key(document.body.symbol, document.body.name)
    meetings = sorted({r.meeting for r in document.recommendations})
    if document.kind == "report":
        reported = document.reported_meeting
        if reported is not None:
            return f"{body}/report/{reported.ordinal}"
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
    """A review recommendation's State under review (alpha-3): one session's reports each number
    their recommendations from 1."""

    @property
    def preferred(self) -> Recommendation:
        return self.printings[0].record

    def first(self, attribute: str):
        for printing in self.printings:
            if value := getattr(printing.record, attribute):
                return value
        return None


def merge_documents(documents: list[Document]) -> tuple[MergedDocument, ...]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        groups[document_key(document)].append(document)
    return tuple(
        MergedDocument(key, tuple(sorted(copies, key=lambda d: (d.sha256, d.source))))
        for key, copies in sorted(groups.items())
    )


def merge_recommendations(documents: tuple[MergedDocument, ...]) -> tuple[MergedRecommendation, ...]:
    found: dict[tuple[str, int, str, int], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    reports_of: dict[tuple[str, int], str] = {}
    for merged in documents:
        for copy in merged.copies:
            if (reported := copy.reported_meeting) is not None:
                reports_of[(reported.body_symbol, reported.ordinal)] = merged.key
            for record in copy.recommendations:
                key = recommendation_key(record)
                found[key][merged.key].append((copy, record))
    result = []
    for (symbol, meeting, reviewed, seq), by_document in sorted(found.items()):
        own_report = reports_of.get((symbol, meeting))
        printings = sorted(
            (Printing(doc_key, tuple(records)) for doc_key, records in by_document.items()),
            key=lambda p: (p.document_key != own_report, p.document_key),
        )
        result.append(MergedRecommendation(symbol, meeting, seq, tuple(printings), reviewed or None))
    return tuple(result)


def recommendation_key(record: Recommendation) -> tuple[str, int, str, int]:
    """What identifies a recommendation across documents: its body, meeting, State under review
    (a review report's; "" otherwise) and position."""
    return (record.body_symbol, record.meeting, record.reviewed_state or "", record.seq)


@dataclass(frozen=True)
class MergedMeeting:
    body_symbol: str
    ordinal: int
    records: tuple[tuple[str, Meeting], ...]
    """(document key, record), the fullest description (the meeting's own report) first."""

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
    found: dict[tuple[str, int], list[tuple[str, str, Meeting]]] = defaultdict(list)
    for merged in documents:
        for copy in merged.copies:
            for meeting in copy.meetings:
                symbol = meeting.body_symbol or copy.body.symbol or copy.body.name
                found[(symbol, meeting.ordinal)].append((merged.key, copy.sha256, meeting))
    result = []
    for (symbol, ordinal), items in sorted(found.items()):
        items.sort(key=lambda item: (-_fullness(item[2]), item[0], item[1]))
        result.append(MergedMeeting(symbol, ordinal, tuple((k, m) for k, _, m in items)))
    return tuple(result)
