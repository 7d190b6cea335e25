"""Stage: ontology. The untoc-kg OWL vocabulary (untoc.ttl, package data) and its documentation.

`ontology_graph()` parses the vocabulary, `ontology_turtle()` gives its source text,
`ontology_html()` renders the human documentation with pyLODE, and `NS` is its namespace.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import Graph

from untoc_kg.settings import ONTOLOGY_NAMESPACE
from untoc_kg.vocab import UNTOC as NS

from .documentation import ontology_html

ONTOLOGY_IRI = ONTOLOGY_NAMESPACE.rstrip("#")

__all__ = ["NS", "ONTOLOGY_IRI", "ontology_graph", "ontology_html", "ontology_turtle"]


@cache
def ontology_turtle() -> str:
    """The vocabulary as written, in Turtle."""
    return files(__package__).joinpath("untoc.ttl").read_text(encoding="utf-8")


def ontology_graph() -> Graph:
    """A fresh graph holding the vocabulary (fresh, so a caller may add to it safely)."""
    graph = Graph()
    graph.parse(data=ontology_turtle(), format="turtle")
    return graph
