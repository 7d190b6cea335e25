"""Stage: graph. Extraction records -> RDF with stable, readable URIs.

`build_graph(documents, base_uri=..., build_time=...)` returns a `GraphResult`: the triples (an
rdflib Graph, no blank nodes) and the wording differences between printings of one
recommendation. Every mapping is a pure function record -> triples (see the modules beside this
one), so the graph could be streamed instead of held. The build time is a parameter, never read
from the clock here: the same documents and time give a byte-identical sorted N-Triples dump.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph

from untoc_kg.records import Document
from untoc_kg.ontology import ontology_graph
from untoc_kg.reference import bodies
from untoc_kg.settings import DEFAULT_BASE_URI

from .agents import all_state_triples, organization_triples, state_codes, state_names
from .dataset import dataset_triples
from .documents import document_triples
from .meetings import meeting_core_triples, meeting_triples
from .merge import merge_documents, merge_meetings, merge_recommendations
from .provenance import build_id, build_triples
from .recommendations import (
    PrintedText,
    WordingDifference,
    differences,
    recommendation_triples,
    recommendation_uri,
)
from .reference_data import (
    body_triples,
    reference_body_triples,
    reference_treaty_triples,
)
from .triples import Triple
from .uris import Minter
from untoc_kg.vocab import PREFIXES

__all__ = ["PREFIXES", "GraphResult", "Minter", "PrintedText", "WordingDifference", "build_graph"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class GraphResult:
    graph: Graph
    differences: tuple[WordingDifference, ...]
    """Printings of one recommendation whose wording differs (both texts are in the graph)."""


def body_names(documents: Sequence[Document]) -> dict[str, str]:
    names = {symbol: info.name for symbol, info in bodies().items()}
    for document in sorted(documents, key=lambda d: d.sha256):
        if document.body.symbol:
            names.setdefault(document.body.symbol, document.body.name)
    return names


def data_triples(
    documents: Sequence[Document], mint: Minter, build_time: datetime, tool_version: str
) -> tuple[Iterable[Triple], tuple[WordingDifference, ...]]:
    merged_documents = merge_documents(list(documents))
    recommendations = merge_recommendations(merged_documents)
    meetings = merge_meetings(merged_documents)
    names = body_names(documents)
    codes = state_codes(state_names(documents))
    build = mint.build(build_id(documents, build_time, tool_version))
    example = recommendation_uri(mint, recommendations[0]) if recommendations else None

    def generate() -> Iterable[Triple]:
        yield from reference_treaty_triples(mint)
        yield from reference_body_triples(mint)
        for symbol in sorted({d.body.symbol or d.body.name for d in documents} - set(bodies())):
            yield from body_triples(mint, symbol if symbol in names else None, names.get(symbol, symbol))
        yield from all_state_triples(mint, documents)
        yield from organization_triples(mint, documents)
        for merged in merged_documents:
            yield from document_triples(mint, merged)
        for meeting in meetings:
            yield from meeting_triples(mint, meeting, names.get(meeting.body_symbol, meeting.body_symbol), codes)
        for merged in recommendations:
            name = names.get(merged.body_symbol, merged.body_symbol)
            yield from meeting_core_triples(mint, merged.body_symbol, merged.meeting, name)
            yield from recommendation_triples(mint, merged, name)
        yield from build_triples(mint, build, documents, build_time, tool_version)
        yield from dataset_triples(mint, build, build_time, tool_version, example)

    found = tuple(d for merged in recommendations for d in differences(mint, merged))
    return generate(), found


def build_graph(
    documents: Sequence[Document],
    *,
    base_uri: str = DEFAULT_BASE_URI,
    build_time: datetime = EPOCH,
    tool_version: str | None = None,
) -> GraphResult:
    """Records -> RDF, with the vocabulary itself included. `build_time` is recorded in the provenance (the CLI passes now); it
    defaults to the epoch so that a call without it is still deterministic."""
    if tool_version is None:
        from untoc_kg import __version__ as tool_version
    mint = Minter(base_uri)
    triples, found = data_triples(documents, mint, build_time, tool_version)
    # The vocabulary travels with the data: the dumps are self-describing, and SHACL's sh:class
    # follows the rdfs:subClassOf it declares (an Article is a Provision).
    graph = ontology_graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return GraphResult(graph, found)


