"""The representations a resource is served in: one table, used by dereferencing, metadata and
pages (for their `alternate` links)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "cito": "http://purl.org/spar/cito/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "untoc": "https://w3id.org/untoc-kg/ontology#",
}
"""Prefixes written into Turtle and RDF/XML answers, for people reading them."""


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    """Suffix of the per-format URL, without the dot."""
    media_type: str
    rdf_format: pyoxigraph.RdfFormat | None
    """None for HTML."""
    aliases: tuple[str, ...] = ()
    """Other media types clients send for the same format."""

    @property
    def content_type(self) -> str:
        if self.media_type == "application/ld+json":
            return self.media_type
        return f"{self.media_type}; charset=utf-8"


HTML = Format("HTML", "html", "text/html", None, ("application/xhtml+xml",))
TURTLE = Format(
    "Turtle", "ttl", "text/turtle", pyoxigraph.RdfFormat.TURTLE, ("application/x-turtle",)
)
JSON_LD = Format("JSON-LD", "jsonld", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD)
N_TRIPLES = Format("N-Triples", "nt", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES)
RDF_XML = Format("RDF/XML", "rdf", "application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML)

FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""In the server's order of preference: HTML first, so `*/*` (curl, browsers) gets a page."""
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.rdf_format is not None)
BY_EXTENSION = {f.extension: f for f in FORMATS}


def offers(formats: Iterable[Format]) -> dict[str, Format]:
    """Media type (aliases included) -> format, in the order given, for `negotiate`."""
    table: dict[str, Format] = {}
    for fmt in formats:
        for media_type in (fmt.media_type, *fmt.aliases):
            table[media_type] = fmt
    return table


def serialize(triples: Iterable[pyoxigraph.Triple], fmt: Format) -> bytes:
    """RDF in `fmt` (an RDF format)."""
    assert fmt.rdf_format is not None, "HTML is rendered by pages, not serialised"
    prefixes = None if fmt in (N_TRIPLES, JSON_LD) else PREFIXES
    return pyoxigraph.serialize(triples, format=fmt.rdf_format, prefixes=prefixes)
