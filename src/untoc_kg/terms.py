"""RDF terms between rdflib (the graph stage builds with it) and pyoxigraph (the store), written once.

A plain literal and an `xsd:string` one are the same term in RDF 1.1; rdflib tells them apart, so
`to_rdflib` gives the plain `Literal` the mapping functions write, and a triple read back from the
store equals the one the graph made. The graph mints no blank nodes (`to_oxigraph` refuses them);
a SPARQL answer may hold some (`to_rdflib` keeps them).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEFAULT_GRAPH = pyoxigraph.DefaultGraph()

OxigraphTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def to_oxigraph(term: Node) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """An rdflib IRI or literal as pyoxigraph's."""
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"no blank nodes in the graph: {term!r}")


def to_rdflib(term: object) -> Node | None:
    """A pyoxigraph term as rdflib's (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def quads(triples: Iterable[tuple[Node, Node, Node]]) -> list[pyoxigraph.Quad]:
    """rdflib triples as pyoxigraph quads of the default graph (where a build keeps everything)."""
    return [
        pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), DEFAULT_GRAPH)
        for s, p, o in triples
    ]


def triple_of(quad: pyoxigraph.Quad) -> tuple[Node, Node, Node]:
    """A stored quad as an rdflib triple."""
    return to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)  # type: ignore[return-value]
