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
from functools import lru_cache
from typing import Any

import pyoxigraph

from untoc_kg import vocab
from untoc_kg.server.negotiation import rank

PREFIXES = vocab.PREFIXES
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
    prefixes = None if fmt is N_TRIPLES else dict(PREFIXES)
    return pyoxigraph.serialize(triples, format=fmt.rdf_format, prefixes=prefixes)


RDF_TYPE_IRI = PREFIXES["rdf"] + "type"
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


@lru_cache(maxsize=65536)  # predicates, types and datatypes repeat on every node
def compact_iri(iri: str) -> str:
    """`untoc:State` for `https://w3id.org/untoc-kg/ontology#State`; the IRI itself when no prefix
    fits (or the rest would read as an authority, `//...`)."""
    for name, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            rest = iri[len(namespace) :]
            if not rest.startswith("//"):
                return f"{name}:{rest}"
    return iri


def _compact_value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if set(value) == {"@id"} and isinstance(value["@id"], str):
        return {"@id": compact_iri(value["@id"])}
    if "@value" in value:
        if set(value) == {"@value"}:
            return value["@value"]  # a plain string
        if "@type" in value:
            return {**value, "@type": compact_iri(value["@type"])}
    return value  # a language string, or a form this compaction does not know: as written


def _compact_node(node: dict[str, Any]) -> dict[str, Any]:
    compacted: dict[str, Any] = {}
    for key, values in node.items():
        if key == "@id" and isinstance(values, str):
            compacted["@id"] = compact_iri(values)
        elif key == RDF_TYPE_IRI and all(set(v) == {"@id"} for v in values):
            types = [compact_iri(v["@id"]) for v in values]
            compacted["@type"] = types[0] if len(types) == 1 else types
        elif key.startswith("@") or not isinstance(values, list):
            compacted[key] = values
        else:
            shown = [_compact_value(v) for v in values]
            compacted[compact_iri(key)] = shown[0] if len(shown) == 1 else shown
    return compacted


def compact_jsonld(triples: Iterable[pyoxigraph.Triple]) -> bytes:
    """Compacted JSON-LD: `{"@context": ..., "@graph": [...]}` with compact IRIs, types as
    `@type` and one-element arrays unwrapped, made from pyoxigraph's expanded JSON-LD.

    With a context of prefixes only (no term coerces a type or sets a container), JSON-LD
    compaction is a renaming: IRIs to compact IRIs, plain strings to strings. Done here because
    rdflib's compacting serialiser, the other at hand, took 30 ms for a meeting's 400 triples and
    0.6 s for a 10,000-triple CONSTRUCT answer, against 1 ms and 9 ms for pyoxigraph's writer
    (tests/test_dereference.py checks the graph is the same in rdflib and Jena)."""
    expanded = json.loads(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD))
    nodes = expanded.get("@graph", []) if isinstance(expanded, dict) else expanded
    document = {"@context": jsonld_context(), "@graph": [_compact_node(n) for n in nodes]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def context_document() -> bytes:
    """The body served at `CONTEXT_PATH`."""
    return json.dumps({"@context": jsonld_context()}, indent=1).encode("utf-8")


def wants_page(accept: str | None) -> bool:
    """Does the client prefer a web page to RDF (a browser at /sparql or the VoID)? Only an
    Accept that names text/html above every RDF format: `*/*` and no Accept still get RDF."""
    offered = [*offers(RDF_FORMATS), HTML.media_type]
    ranked = rank(accept, offered)
    return bool(ranked) and ranked[0] == HTML.media_type
