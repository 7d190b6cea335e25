"""The SPARQL 1.1 Service Description answered by `GET /sparql` without a query.

It says what clients (Comunica, YASGUI, federating stores) need before their first query: the
endpoint, the language, every result format really served (the tables of `results` and
`formats`, the same ones the endpoint negotiates from), that the endpoint is read-only and
refuses SERVICE, its limits, and the default dataset, described in full by the VoID document.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from untoc_kg.server.limits import QueryLimits
from untoc_kg.server.results import GRAPH_FORMAT_IRIS, RESULTS_FORMATS
from untoc_kg.settings import ONTOLOGY_NAMESPACE

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
RDFS_SEE_ALSO = NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
VOID_DATASET = NamedNode("http://rdfs.org/ns/void#Dataset")
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
DATA_SERVICE = NamedNode(DCAT + "DataService")
DCAT_ENDPOINT_URL = NamedNode(DCAT + "endpointURL")
DCAT_ENDPOINT_DESCRIPTION = NamedNode(DCAT + "endpointDescription")
DCAT_SERVES_DATASET = NamedNode(DCAT + "servesDataset")
DCT_HAS_PART = NamedNode(DCT + "hasPart")
DCT_TITLE = NamedNode(DCT + "title")
DCT_DESCRIPTION = NamedNode(DCT + "description")


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def _ours(name: str) -> NamedNode:
    return NamedNode(ONTOLOGY_NAMESPACE + name)


def limits_text(limits: QueryLimits) -> str:
    return (
        "Read-only SPARQL 1.1 query endpoint: SPARQL Update and SERVICE (federated query) are "
        f"refused. A query may run {limits.timeout_seconds:g} s (then 504); answers are cut to "
        f"{limits.max_result_rows} rows or triples (the X-SPARQL-MaxRows header says so); "
        f"request bodies may be {limits.max_request_bytes} bytes (then 413)."
    )


def service_description(
    endpoint: str,
    void_document: str,
    dataset: str | None,
    limits: QueryLimits,
    queries: str | None = None,
) -> Iterator[Triple]:
    """The description of the endpoint at `endpoint` (an absolute URL).

    `dataset` is the IRI of the dataset the store describes (its `void:Dataset`), when it has one;
    `void_document` is where its VoID description is served; `queries`, where the named queries
    are served as an API (`{queries}/NAME.json`), each then listed as a DCAT data service that
    is part of this one (title, description, its JSON and CSV URLs, its SPARQL text)."""
    service = NamedNode(endpoint)
    yield Triple(service, RDF_TYPE, _sd("Service"))
    yield Triple(service, _sd("endpoint"), service)
    yield Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query"))
    for iri in [f.format_iri for f in RESULTS_FORMATS] + list(GRAPH_FORMAT_IRIS.values()):
        yield Triple(service, _sd("resultFormat"), NamedNode(iri))
    yield Triple(service, RDFS_COMMENT, Literal(limits_text(limits), language="en"))
    yield Triple(
        service,
        _ours("queryTimeout"),
        Literal(f"PT{limits.timeout_seconds:g}S", datatype=NamedNode(XSD + "duration")),
    )
    yield Triple(
        service,
        _ours("maxResultRows"),
        Literal(str(limits.max_result_rows), datatype=NamedNode(XSD + "integer")),
    )
    yield Triple(
        service,
        _ours("maxRequestBodyBytes"),
        Literal(str(limits.max_request_bytes), datatype=NamedNode(XSD + "integer")),
    )

    described = NamedNode(dataset) if dataset else BlankNode()
    if queries is not None:
        yield from named_query_services(service, queries, described)
    default_graph = BlankNode()
    yield Triple(service, _sd("defaultDataset"), described)
    yield Triple(described, RDF_TYPE, _sd("Dataset"))
    yield Triple(described, RDF_TYPE, VOID_DATASET)
    yield Triple(described, RDFS_SEE_ALSO, NamedNode(void_document))
    yield Triple(described, _sd("defaultGraph"), default_graph)
    yield Triple(default_graph, RDF_TYPE, _sd("Graph"))


def named_query_services(
    service: NamedNode, queries: str, dataset: NamedNode | BlankNode
) -> Iterator[Triple]:
    from untoc_kg.sparql.named_queries import named_queries

    listing = NamedNode(queries + ".json")
    yield Triple(service, RDFS_SEE_ALSO, listing)
    for query in named_queries().values():
        api = NamedNode(f"{queries}/{query.name}")
        yield Triple(service, DCT_HAS_PART, api)
        yield Triple(api, RDF_TYPE, DATA_SERVICE)
        yield Triple(api, DCT_TITLE, Literal(query.title, language="en"))
        if query.description:
            yield Triple(api, DCT_DESCRIPTION, Literal(query.description, language="en"))
        yield Triple(api, DCAT_ENDPOINT_URL, NamedNode(f"{queries}/{query.name}.json"))
        yield Triple(api, DCAT_ENDPOINT_URL, NamedNode(f"{queries}/{query.name}.csv"))
        yield Triple(api, DCAT_ENDPOINT_DESCRIPTION, NamedNode(f"{queries}/{query.name}.rq"))
        yield Triple(api, DCAT_SERVES_DATASET, dataset)
        for parameter in query.parameters:
            text = f"parameter {parameter.name} ({parameter.kind}"
            text += f", default {parameter.default})" if parameter.default else ")"
            if parameter.description:
                text += f": {parameter.description}"
            yield Triple(api, RDFS_COMMENT, Literal(text, language="en"))
