"""Which resources a document touches, and which resource owns a subject URI.

A *unit* is a resource whose triples are a function of the records of the documents that touch
it: a document (and its copies), a meeting (with its agenda, attendance and sections), a
recommendation (with its occurrences, spans, sub-items and citations), a person. Units are named
by their URI. Every URI the graph mints under a unit's URI (`child`) or for its attendance
belongs to that unit, so replacing a unit's triples is replacing the triples of the subjects it
owns. Other subjects are either keyed by what they are (a treaty article, an addressee, a body:
the same triples whoever mentions them), or aggregates of the whole corpus (States,
organisations, the dataset), which `revise` regenerates from the index's counts.
"""

from __future__ import annotations

import re

from untoc_kg.extract.records import Document
from untoc_kg.graph.merge import body_key, document_key
from untoc_kg.graph.uris import Minter

SYMBOL_UNIT = "symbol:"
"""Not a resource: the documents issued under one symbol (any Rev./Corr.), for reissues."""

_ISSUE_PART = re.compile(r"/(Rev|Corr)\.(\d+)$")
OWNED_DEPTH = {"recommendation": 4, "meeting": 3, "person": 2, "copy": 2}
"""Kind of URI -> how many path segments name the owning unit (recommendation/<body>/<m>/<seq>)."""
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
        symbol = meeting.body_symbol or document.body.symbol or document.body.name
        units.add(str(mint.meeting(body_key(symbol), meeting.ordinal)))
        for person in (meeting.chair, *meeting.panellists):
            if person is not None:
                units.add(str(mint.person(person.name)))
    for record in document.recommendations:
        body = body_key(record.body_symbol, document.body.name)
        units.add(str(mint.recommendation(body, record.meeting, record.seq)))
        units.add(str(mint.meeting(body, record.meeting)))
    if document.symbol:
        units.add(SYMBOL_UNIT + base_symbol(document.symbol))
    return frozenset(units)


def kind(mint: Minter, iri: str) -> str | None:
    """The first path segment of a URI under the base ("recommendation"), else None."""
    if not iri.startswith(mint.base):
        return None
    return iri[len(mint.base) :].split("/", 1)[0]


def owner(mint: Minter, iri: str) -> str | None:
    """The unit that owns subject `iri`, or None when no unit does (keyed and aggregate
    subjects)."""
    if not iri.startswith(mint.base):
        return None
    parts = iri[len(mint.base) :].split("/")
    head = parts[0]
    if head == "document":  # a document owns its language expressions (document/<key>/en)
        return iri.removesuffix("/" + parts[-1]) if len(parts[-1]) == 2 and parts[-1].isalpha() else iri
    if head == "attendance" and len(parts) >= 3:
        return str(mint.meeting(parts[1], int(parts[2])))
    depth = OWNED_DEPTH.get(head)
    if depth is None or len(parts) < depth:
        return None
    return mint.base + "/".join(parts[:depth])
