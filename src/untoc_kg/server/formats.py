"""The representations a resource is served in: one table, used by dereferencing, metadata and
pages (for their `alternate` links)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

from untoc_kg import vocab

PREFIXES = vocab.PREFIXES
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
    prefixes = None if fmt in (N_TRIPLES, JSON_LD) else dict(PREFIXES)
    return pyoxigraph.serialize(triples, format=fmt.rdf_format, prefixes=prefixes)
