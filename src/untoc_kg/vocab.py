"""Every namespace the project writes, and the one prefix table derived from them.

RDFLib 7's own closed namespaces (`DefinedNamespace`: a misspelt term is an `AttributeError`)
wherever it has one: ORG, VOID, schema.org (`SDO`), PROV, DCTERMS, DCAT, SKOS, RDF, RDFS, OWL,
XSD. The project's own `UNTOC` is closed too: its terms are the subjects `ontology/untoc.ttl`
declares, read at import (with pyoxigraph's parser, a few milliseconds), so a term the vocabulary
does not declare fails where it is written, not in a test of the corpus graph. ELI and SPDX have
no rdflib module and stay open.

`PREFIXES` (prefix -> namespace IRI) is the one table: the graph binds it, the dumps and the
server's Turtle and RDF/XML answers write it, the server's page queries declare it. The `.rq`
files keep their own PREFIX lines, because each must run on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from types import MappingProxyType

import pyoxigraph
from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    VOID,
    XSD,
    ClosedNamespace,
)

from untoc_kg.settings import ONTOLOGY_NAMESPACE

SCHEMA = SDO
"""schema.org, as https://schema.org/ (rdflib's `SDO`)."""
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
CITO = Namespace("http://purl.org/spar/cito/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"


def declared_terms(turtle: str, namespace: str) -> list[str]:
    """The local names of every subject of `turtle` in `namespace`."""
    terms = {
        quad.subject.value[len(namespace) :]
        for quad in pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)
        if isinstance(quad.subject, pyoxigraph.NamedNode)
        and quad.subject.value.startswith(namespace)
        and len(quad.subject.value) > len(namespace)
    }
    return sorted(terms)


def _untoc() -> ClosedNamespace:
    # Read as a file of the package, not through `untoc_kg.ontology`: the vocabulary's terms are
    # data every stage needs, and importing the ontology stage would load pyLODE's neighbours.
    turtle = files("untoc_kg").joinpath("ontology", "untoc.ttl").read_text(encoding="utf-8")
    return ClosedNamespace(ONTOLOGY_NAMESPACE, declared_terms(turtle, ONTOLOGY_NAMESPACE))


UNTOC = _untoc()

PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "untoc": str(UNTOC),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "skos": str(SKOS),
        "dct": str(DCTERMS),
        "dcat": str(DCAT),
        "prov": str(PROV),
        "schema": str(SCHEMA),
        "eli": str(ELI),
        "org": str(ORG),
        "spdx": str(SPDX),
        "void": str(VOID),
        "cito": str(CITO),
        "foaf": str(FOAF),
    }
)
"""Prefix -> namespace IRI, for every namespace above."""


def sparql_prefixes(names: tuple[str, ...] | None = None) -> str:
    """PREFIX lines for a SPARQL query (every prefix, or only `names`)."""
    return "".join(
        f"PREFIX {prefix}: <{iri}>\n"
        for prefix, iri in PREFIXES.items()
        if names is None or prefix in names
    )


RDF_TYPE = pyoxigraph.NamedNode(str(RDF.type))
"""rdf:type as pyoxigraph writes it: the store-side code matches quads with it."""


def named_node(term: URIRef | str) -> pyoxigraph.NamedNode:
    """An IRI (an rdflib term of the namespaces above) as a pyoxigraph node."""
    return pyoxigraph.NamedNode(str(term))


__all__ = [
    "CC_BY_4", "CITO", "DCAT", "DCTERMS", "ELI", "FOAF", "ORG", "OWL", "PREFIXES", "PROV", "RDF",
    "RDFS", "RDF_TYPE", "SCHEMA", "SDO", "SKOS", "SPDX", "UNTOC", "VOID", "XSD", "named_node",
    "sparql_prefixes",
]
