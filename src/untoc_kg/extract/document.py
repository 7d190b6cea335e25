"""The extract stage end to end: a file (or a text) -> one Document record.

read -> normalise -> document facts and meetings -> recommendations with their citations and
organisations. Structure is found with plain regex over the normalised text; the spaCy rules run
only on the short spans that need them (recommendation texts), which keeps the stage fast.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from untoc_kg.extract.citations import CitationContext, find_citations
from untoc_kg.extract.entities import find_organizations
from untoc_kg.extract.errors import ExtractionError
from untoc_kg.extract.instruments import named_instruments
from untoc_kg.extract.meetings import UNNUMBERED, find_meetings
from untoc_kg.extract.metadata import (
    DocumentFacts,
    NoTitleError,
    find_document_facts,
    find_previous_symbol,
    parent_body_name,
)
from untoc_kg.extract.normalise import find_job_number, normalise_text
from untoc_kg.extract.read import read_report
from untoc_kg.extract.recommendations import find_recommendations
from untoc_kg.extract.recommending import with_review_fields
from untoc_kg.records import Citation, Document, Meeting, Recommendation, Span, TreatyKey

_NUMBERED_BLOCK = re.compile(r"^(?:\d{1,3}\.|\([a-z]{1,4}\))[ ]", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.;:!?][\"')\]]*$")


def extract_document(path: Path) -> Document:
    """Extract one report file. Raises ExtractionError (naming the file) for input that is not a
    readable report; softer problems are in `Document.warnings`."""
    source = read_report(path)
    return _extract(source.text, source.name, source.sha256, source.warnings, source.notes)


def extract_text(text: str, source: str = "<text>") -> Document:
    """Extract a report given as text; `source` names it in the record and in errors."""
    if not text.strip():
        raise ExtractionError(source, "empty text (nothing to extract)")
    return _extract(text, source, hashlib.sha256(text.encode("utf-8")).hexdigest(), ())


def _extract(raw: str, source: str, sha256: str, warnings: tuple[str, ...], kept_apart: str = "") -> Document:
    """`kept_apart`: text the reader kept apart from the report's (a PDF's page-1 footnote)."""
    text = normalise_text(raw)
    facts, meetings = facts_and_meetings(text, source)
    recommendations = with_citations_and_organizations(
        recommendations_of(text, facts, meetings), facts.body.protocol
    )
    reviewed = next((m for m in meetings if m.state_under_review), None)
    if reviewed is not None:
        recommendations = with_review_fields(recommendations, reviewed)
    recommendations = with_unnumbered_meeting_dates(recommendations, meetings)
    reported = _reported_meeting(facts.kind, meetings)
    notes = list(warnings)
    if not recommendations:
        notes.append("no recommendations found")
    notes.extend(numbering_warnings(recommendations))
    if _cut_off(text):
        notes.append("the text ends mid-sentence: the file may be cut off")
    if any(m.ordinal == UNNUMBERED for m in meetings):
        notes.append(
            "the report prints no ordinal for its meeting: kept as meeting 0, known by its body "
            "and dates"
        )
    if facts.kind == "report" and reported is None:
        notes.append("no reported meeting found: its recommendations cannot be dated")
    return Document(
        source=source,
        sha256=sha256,
        kind=facts.kind,
        title=facts.title,
        symbol=facts.symbol,
        issued=facts.issued,
        body=facts.body,
        resolutions_cited=facts.resolutions_cited,
        decisions_cited=facts.decisions_cited,
        documents_cited=facts.documents_cited,
        meetings=meetings,
        recommendations=recommendations,
        warnings=tuple(notes),
        parent_body=parent_body_name(facts.body),
        job_number=find_job_number(raw),
        previous_symbol=find_previous_symbol(raw) or find_previous_symbol(kept_apart),
    )


# The stages after normalisation, in the order `_extract` runs them (bench/extract.py times each).


def facts_and_meetings(text: str, source: str) -> tuple[DocumentFacts, tuple[Meeting, ...]]:
    """Document facts and meetings of a normalised text; ExtractionError if it is no report."""
    try:
        facts = find_document_facts(text)
    except NoTitleError as error:
        raise ExtractionError(source, f"no report structure found ({error})") from None
    return facts, find_meetings(text, facts.body, facts.reviewed_state)


def recommendations_of(
    text: str, facts: DocumentFacts, meetings: tuple[Meeting, ...]
) -> tuple[Recommendation, ...]:
    """The recommendations of a normalised text, without their citations and organisations."""
    reported = _reported_meeting(facts.kind, meetings)
    return find_recommendations(text, facts.body.symbol or "", reported)


def with_citations_and_organizations(
    recommendations: tuple[Recommendation, ...], protocol: TreatyKey | None
) -> tuple[Recommendation, ...]:
    """The recommendations with the treaty provisions they cite ("the Protocol" = `protocol`)
    and the organisations they name."""
    context = CitationContext(protocol=protocol)
    return tuple(_with_citations_and_organizations(r, context) for r in recommendations)


_LABEL_NUMBER = re.compile(r"(?:Recommendation[ ])?(?:(?P<head>\d{1,3})\.)?(?P<number>\d{1,3})$")


def numbering_warnings(recommendations: tuple[Recommendation, ...]) -> list[str]:
    """Each list's numbering checked (1, 2, 3 ...; 115.1, 115.2 ...; Recommendation 1, 2 ...): a
    gap, a repeat or a number out of order is named, so that no recommendation is lost silently;
    so is a label found without its text. Like every warning of a Document, the file is named
    where it is shown (`untoc-kg extract`, the build's report)."""
    found: list[str] = []
    lists: dict[tuple, list[tuple[int, str]]] = {}
    for r in recommendations:
        match = _LABEL_NUMBER.match(r.label)
        if match:
            # One list per meeting and style, across sections: a list numbered on through its
            # sections has a number lost at a section's end checked too; one that restarts at 1
            # in each section is no gap (a restart at 1 is accepted below).
            kind = (r.meeting, r.paragraph if match["head"] else "", r.label.startswith("Recommendation"))
            lists.setdefault(kind, []).append((int(match["number"]), r.label))
        if not r.text.strip() or r.text.strip() == r.label:
            found.append(f"recommendation {r.label} has no text (kept)")
    for numbers in lists.values():
        for (before, before_label), (number, label) in zip(numbers, numbers[1:]):
            if number == before + 1 or (number == 1 and before != 1):
                continue
            if number == before:
                found.append(f"recommendation {label} is numbered twice")
            elif number < before:
                found.append(f"recommendation {label} is out of order (after {before_label})")
            else:
                missing = ", ".join(str(n) for n in range(before + 1, number)) if number - before <= 10 else f"{before + 1}-{number - 1}"
                found.append(f"numbering gap between recommendations {before_label} and {label} (missing {missing})")
    return found


def with_unnumbered_meeting_dates(
    recommendations: tuple[Recommendation, ...], meetings: tuple[Meeting, ...]
) -> tuple[Recommendation, ...]:
    """A meeting the report prints no ordinal for is known by its body and first day: its
    recommendations carry that day, so that they are dated and their identity is stable."""
    start = next((m.start for m in meetings if m.ordinal == UNNUMBERED and m.start), None)
    if start is None:
        return recommendations
    return tuple(
        replace(r, meeting_start=start) if r.meeting == UNNUMBERED else r for r in recommendations
    )


def _reported_meeting(kind: str, meetings: tuple[Meeting, ...]) -> int | None:
    """The ordinal of the meeting a report reports on: the one with agenda, attendance or chair
    (as `Document.reported_meeting` decides), else the latest named."""
    if kind != "report" or not meetings:
        return None
    full = [m for m in meetings if m.agenda or m.attendance or m.chair]
    return (full[-1] if full else max(meetings, key=lambda m: m.ordinal)).ordinal


def _with_citations_and_organizations(
    recommendation: Recommendation, context: CitationContext
) -> Recommendation:
    offset = recommendation.span.start
    citations = tuple(
        _shifted(c, offset) for c in find_citations(recommendation.text, context=context)
    )
    organizations = find_organizations(recommendation.text)
    instruments = named_instruments(recommendation.text)
    if (citations, organizations, instruments) == (
        recommendation.citations, recommendation.organizations, recommendation.instruments
    ):
        return recommendation  # most cite and name nothing: no copy to make
    return replace(recommendation, citations=citations, organizations=organizations, instruments=instruments)


def _shifted(citation: Citation, offset: int) -> Citation:
    """A citation found in a recommendation's text, with its span in the document's text (a
    recommendation's text is its span of the normalised text with line breaks as spaces)."""
    return replace(citation, span=Span(citation.span.start + offset, citation.span.end + offset))


def _cut_off(text: str) -> bool:
    """The last numbered paragraph or sub-item stops without ending its sentence."""
    starts = [m.start() for m in _NUMBERED_BLOCK.finditer(text)]
    if not starts:
        return False
    last = text[starts[-1]:].split("\n", 1)[0].rstrip()
    return not _SENTENCE_END.search(last) and len(last.split()) > 12
