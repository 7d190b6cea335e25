"""Stage: graph. Extraction records -> RDF with stable, readable URIs.

`build_graph(documents, base_uri=..., build_time=...)` returns a `GraphResult`: the triples (an
rdflib Graph, no blank nodes) and the wording differences between printings of one
recommendation. Every mapping is a pure function record -> triples (the modules beside this one),
assembled in one place (`assemble`) from the corpus-wide facts (`CorpusFacts`), which the streamed
build (`partitions`) and an update use too. The build time is a parameter, never read from the
clock here: the same documents and time give a byte-identical sorted N-Triples dump.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph

from untoc_kg.ontology import ontology_graph
from untoc_kg.records import Document
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.vocab import PREFIXES

from .assemble import first_recommendation, global_triples, unit_triples
from .corpus import CorpusFacts
from .merge import merge_documents, merge_recommendations
from .recommendations import PrintedText, WordingDifference, differences
from .uris import Minter

__all__ = [
    "CorpusFacts", "GraphResult", "Minter", "PrintedText", "WordingDifference", "build_graph",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class GraphResult:
    graph: Graph
    differences: tuple[WordingDifference, ...]
    """Printings of one recommendation whose wording differs (both texts are in the graph)."""


def build_graph(
    documents: Sequence[Document],
    *,
    base_uri: str = DEFAULT_BASE_URI,
    build_time: datetime = EPOCH,
    tool_version: str | None = None,
) -> GraphResult:
    """Records -> RDF, with the vocabulary itself included. `build_time` is recorded in the
    provenance (the CLI passes now); it defaults to the epoch so that a call without it is still
    deterministic."""
    if tool_version is None:
        from untoc_kg import __version__ as tool_version
    mint = Minter(base_uri)
    facts = CorpusFacts.of_documents(documents)
    # The vocabulary travels with the data: the dumps are self-describing, and SHACL's sh:class
    # follows the rdfs:subClassOf it declares (an Article is a Provision).
    graph = ontology_graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    first = first_recommendation(documents)
    for triple in global_triples(mint, facts, documents, build_time, tool_version, first):
        graph.add(triple)
    for triple in unit_triples(mint, documents, facts):
        graph.add(triple)
    recommendations = merge_recommendations(merge_documents(documents))
    found = tuple(d for merged in recommendations for d in differences(mint, merged))
    return GraphResult(graph, found)
