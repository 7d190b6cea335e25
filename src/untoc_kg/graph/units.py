"""Which resources a document touches (the owner of a subject URI is `Minter.owner`).

A *unit* is a resource whose triples are a function of the records of the documents that touch
it: a document (and its copies), a meeting (with its agenda, attendance and sections), a
recommendation (with its occurrences, spans, sub-items and citations), a person. Units are named
by their URI. Every URI the graph mints under a unit's URI (`child`) or for its attendance
belongs to that unit (`Minter.owner`, beside the minting it inverts), so replacing a unit's
triples is replacing the triples of the subjects it owns. Other subjects are either keyed by what they are (a treaty article, an addressee, a body:
the same triples whoever mentions them), or aggregates of the whole corpus (States,
organisations, the dataset), which `revise` regenerates from the index's counts.
"""

from __future__ import annotations

import re

from untoc_kg.records import Document
from untoc_kg.graph.merge import (
    adopting_meeting_key,
    document_key,
    meeting_key_of,
    meeting_symbol,
    meeting_uri,
    recommendation_key,
    recommendation_uri_of,
)
from untoc_kg.graph.uris import Minter

SYMBOL_UNIT = "symbol:"
"""Not a resource: the documents issued under one symbol (any Rev./Corr.), for reissues."""

_ISSUE_PART = re.compile(r"/(Rev|Corr)\.(\d+)$")
AGGREGATES = ("state", "organization", "dataset", "build", "software")
"""Kinds of URI whose triples come from the whole corpus or from the update itself."""


def base_symbol(symbol: str) -> str:
    """ "A/B/2013/5/Rev.1/Corr.2" -> "A/B/2013/5": what every issue of a document shares."""
    while match := _ISSUE_PART.search(symbol):
        symbol = symbol[: match.start()]
    return symbol


def issue_rank(symbol: str) -> tuple[int, int]:
    """(revision, correction) of an issue: later issues rank higher."""
    revision = max((int(n) for n in re.findall(r"/Rev\.(\d+)", symbol)), default=0)
    correction = max((int(n) for n in re.findall(r"/Corr\.(\d+)", symbol)), default=0)
    return revision, correction


def document_units(mint: Minter, document: Document) -> frozenset[str]:
    """The units `document` touches: its document and copy, every meeting it names or whose
    recommendations it prints, every recommendation it prints, every chair and panellist, and
    the symbol it was issued under."""
    units = {
        str(mint.document(document_key(document))),
        str(mint.copy(document.sha256)),
    }
    for meeting in document.meetings:
        units.add(str(meeting_uri(mint, meeting_key_of(meeting, meeting_symbol(meeting, document)))))
        for person in (meeting.chair, *meeting.panellists):
            if person is not None:
                units.add(str(mint.person(person.name)))
    for record in document.recommendations:
        name = document.body.name
        units.add(str(recommendation_uri_of(mint, recommendation_key(record), name)))
        units.add(str(meeting_uri(mint, adopting_meeting_key(record), name)))
    if document.symbol:
        units.add(SYMBOL_UNIT + base_symbol(document.symbol))
    return frozenset(units)
