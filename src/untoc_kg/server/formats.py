"""The representations a resource is served in: one table, used by dereferencing, metadata and
pages (for their `alternate` links).

JSON-LD is written compacted with the site's context (`jsonld_context`, derived from the one
prefix table and published at `CONTEXT_PATH`), so keys read `rdfs:label` rather than full IRIs.
The context travels inline in every document as well: a JSON-LD file then parses offline, in
any processor (Jena's JSON-LD 1.0 reader included), with no second request for its context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph

from untoc_kg.server.negotiation import rank

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
"""Prefixes written into Turtle and RDF/XML answers, for people reading them, predeclared in
SPARQL queries, and the terms of the JSON-LD context."""

CONTEXT_PATH = "/context.jsonld"
"""Where the JSON-LD context is served: a stable URL on every copy of the site."""
JSON_LD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


def jsonld_context(prefixes: Mapping[str, str] = PREFIXES) -> dict[str, str]:
    """The JSON-LD context: one term per prefix (a JSON-LD 1.0 and 1.1 prefix, since every
    namespace ends in `#` or `/`)."""
    return dict(sorted(prefixes.items()))


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
JSON_LD = Format(
    "JSON-LD", "jsonld", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD, ("application/json",)
)
"""`application/json` too: JSON-LD is JSON, and JavaScript clients ask for that."""
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
    """RDF in `fmt` (an RDF format); JSON-LD compacted with the site's context."""
    assert fmt.rdf_format is not None, "HTML is rendered by pages, not serialised"
    if fmt is JSON_LD:
        return compact_jsonld(triples)
    prefixes = None if fmt is N_TRIPLES else PREFIXES
    return pyoxigraph.serialize(triples, format=fmt.rdf_format, prefixes=prefixes)


def compact_jsonld(triples: Iterable[pyoxigraph.Triple]) -> bytes:
    """Compacted JSON-LD, written by rdflib's JSON-LD serialiser (pyoxigraph writes only the
    expanded form): `{"@context": ..., "@graph": [...]}` with compact IRIs."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES),
                format="nt")
    document: Any = json.loads(
        graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    )
    if isinstance(document, dict) and "@graph" not in document and "@context" in document:
        # one node: rdflib writes it at the top level; keep one shape for every answer
        context = document.pop("@context")
        document = {"@context": context, "@graph": [document] if document else []}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def context_document() -> bytes:
    """The body served at `CONTEXT_PATH`."""
    return json.dumps({"@context": jsonld_context()}, indent=1).encode("utf-8")


def wants_page(accept: str | None) -> bool:
    """Does the client prefer a web page to RDF (a browser at /sparql or the VoID)? Only an
    Accept that names text/html above every RDF format: `*/*` and no Accept still get RDF."""
    offered = [*offers(RDF_FORMATS), HTML.media_type]
    ranked = rank(accept, offered)
    return bool(ranked) and ranked[0] == HTML.media_type
