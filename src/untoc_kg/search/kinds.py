"""What the search finds and how it is faceted: the kinds of thing, and the facets.

A kind is chosen by rdf:type; its `segment` names its list: the path segment of its things' IRIs
under the base URI (`state` in …/id/state/ITA, `article` in …/id/treaty/som/article/8), so a list
is served where cutting an IRI back leads (…/id/state/, …/id/treaty/som/article/). A thing's `count`
is how many things of its `counted_kind` name it in its `counted_by` facet (an article: the recommendations
citing it; a State: the meetings it attended).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

U = "https://w3id.org/untoc-kg/ontology#"


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    """Plural, for headings: "Recommendations"."""
    classes: tuple[str, ...]
    segment: str
    counted_by: str | None = None
    count_title: str = ""
    """What the count counts, for a column heading."""
    counted_kind: str = "recommendation"
    """The kind of the things counted."""
    dated: bool = False


KINDS: tuple[Kind, ...] = (
    Kind("recommendation", "Recommendations", (U + "Recommendation",), "recommendation",
         dated=True),
    Kind("meeting", "Meetings", (U + "Meeting",), "meeting", "meeting", "recommendations",
         dated=True),
    Kind("document", "Documents", (U + "Report", U + "Compilation", U + "Document"), "document",
         "document", "recommendations printed", dated=True),
    Kind("state", "States", (U + "State",), "state", "attended", "meetings attended",
         counted_kind="meeting"),
    Kind("organization", "Organizations", (U + "Organization",), "organization",
         "organization", "recommendations naming it"),
    Kind("article", "Articles", (U + "Article",), "article", "article", "citing recommendations"),
    Kind("treaty", "Treaties", (U + "Convention", U + "Protocol", U + "Treaty"), "treaty",
         "treaty", "citing recommendations"),
    Kind("body", "Bodies", (U + "WorkingGroup", U + "Conference", U + "Body"), "body", "body",
         "recommendations"),
)
BY_NAME: Mapping[str, Kind] = MappingProxyType({k.name: k for k in KINDS})
BY_CLASS: Mapping[str, Kind] = MappingProxyType(
    {c: k for k in KINDS for c in k.classes}
)


@dataclass(frozen=True)
class Facet:
    name: str
    """Also its URL parameter: /search?article=treaty/som/article/8."""
    title: str


FACETS: tuple[Facet, ...] = (
    Facet("kind", "Kind"),
    Facet("body", "Body"),
    Facet("meeting", "Meeting"),
    Facet("year", "Year"),
    Facet("addressee", "Addressed to"),
    Facet("treaty", "Treaty cited"),
    Facet("article", "Article cited"),
    Facet("organization", "Organization named"),
    Facet("state", "State named"),
    Facet("recommender", "Recommended by"),
    Facet("reviewed", "State under review"),
    Facet("section", "Section"),
    Facet("document", "Printed in"),
    Facet("attended", "States attending"),
)
FACET_NAMES = tuple(f.name for f in FACETS)
BY_FACET: Mapping[str, Facet] = MappingProxyType({f.name: f for f in FACETS})
