"""The unit every mapping function yields: one RDF triple with IRI subject (no blank nodes)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

Triple = tuple[URIRef, URIRef, Node]


def en(text: str) -> Literal:
    """Text in English, as the reports print it."""
    return Literal(text, lang="en")
