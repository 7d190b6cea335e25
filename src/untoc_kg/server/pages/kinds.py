"""Which page a thing gets: a table from rdf:type to a template and the sections its page has,
most specific first (as Datasette's select_template picks the first template that exists).
A page for a new class is a line here, a template and its .rq queries."""

from __future__ import annotations

from dataclasses import dataclass

from untoc_kg.settings import ONTOLOGY_NAMESPACE as U


@dataclass(frozen=True)
class PageKind:
    classes: tuple[str, ...]
    template: str
    sections: str
    """The name of the `ResourcePages` method that makes the page's sections."""


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind((U + "Recommendation",), "recommendation.html", "recommendation"),
    PageKind((U + "Meeting",), "meeting.html", "meeting"),
    PageKind((U + "State", U + "Organization"), "agent.html", "agent"),
    PageKind((U + "Article", U + "Provision", U + "Paragraph", U + "Subparagraph", U + "Chapter"),
             "provision.html", "provision"),
    PageKind((U + "Report", U + "Compilation", U + "Document"), "document.html", "document"),
)

ROLE_ORDER: tuple[str, ...] = tuple(
    U + name
    for name in (
        "StateParty",
        "RegionalEconomicIntegrationOrganization",
        "Signatory",
        "NonParty",
        "IntergovernmentalOrganization",
        "ObserverEntity",
    )
)
"""Attendance on a meeting's page: the parties first, then the other States, then organizations
(roles not listed follow, by name)."""

COLLAPSE_AFTER = 12
"""A list longer than this is shown collapsed."""

OFFICIAL_DOCUMENT = "https://documents.un.org/api/symbol/access?s={symbol}&l=en&t=pdf"
"""The official document by its UN symbol, in English (the Official Document System)."""


def page_kind(types: set[str]) -> PageKind | None:
    for kind in PAGE_KINDS:
        if types & set(kind.classes):
            return kind
    return None
