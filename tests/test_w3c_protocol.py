"""The W3C SPARQL 1.1 Protocol test suite (tests/w3c/manifest.ttl) against a real uvicorn server
with protocol-data.trig loaded.

Every query_* and bad_* test runs as the manifest writes it (method, path, headers, body in its
character encoding) and must get the expected status class, format and boolean. The update_*
tests need SPARQL Update, which a read-only endpoint refuses: each of their update requests must
get a 4xx and leave the store as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from xml.etree import ElementTree

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import Namespace

from sparql_server import W3C, Endpoint, sparql_endpoint  # noqa: F401  (fixture)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
PATH_PREFIX = "/sparql/"
"""The manifest's paths start with this; the runner replaces it with the endpoint's path."""
RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"
TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Expected:
    status_classes: frozenset[int]
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


def _load_manifest() -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    graph = rdflib.Graph().parse(W3C / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = list(Collection(graph, graph.value(manifest, MF.entries)))
    return graph, entries  # type: ignore[return-value]


GRAPH, ENTRIES = _load_manifest()


def _name(test: rdflib.URIRef) -> str:
    return str(test).rsplit("#", 1)[1]


def _requests(test: rdflib.URIRef) -> list[ProtocolRequest]:
    action = GRAPH.value(test, MF.action)
    requests = []
    for request in Collection(GRAPH, GRAPH.value(action, HT.requests)):
        headers = {}
        header_list = GRAPH.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(GRAPH, header_list):
                headers[str(GRAPH.value(header, HT.fieldName))] = str(
                    GRAPH.value(header, HT.fieldValue)
                )
        body = None
        body_node = GRAPH.value(request, HT.body)
        if body_node is not None:
            encoding = str(GRAPH.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(GRAPH.value(body_node, CNT.chars)).encode(encoding)
        response = GRAPH.value(request, HT.resp)
        statuses = {
            int(str(code).rsplit("StatusCode", 1)[1][0])
            for code in GRAPH.objects(response, MF.expectedStatus)
        }
        expected_format = GRAPH.value(response, MF.expectedFormat)
        expected_boolean = GRAPH.value(response, MF.expectedBoolean)
        path = str(GRAPH.value(request, HT.absolutePath))
        assert path.startswith(PATH_PREFIX), path
        requests.append(
            ProtocolRequest(
                method=str(GRAPH.value(request, HT.methodName)),
                path=path[len(PATH_PREFIX) :],
                headers=headers,
                body=body,
                expected=Expected(
                    frozenset(statuses),
                    str(expected_format) if expected_format is not None else None,
                    expected_boolean.toPython() if expected_boolean is not None else None,
                ),
            )
        )
    return requests


def send(endpoint: Endpoint, request: ProtocolRequest) -> httpx.Response:
    # The manifest's path is "/sparql/" + "?query..." or ""; ours has no trailing slash.
    return httpx.request(
        request.method,
        endpoint.url + request.path,
        headers=request.headers,
        content=request.body,
        timeout=10,
    )


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def boolean_of(response: httpx.Response) -> bool:
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    root = ElementTree.fromstring(response.content)
    return root.find(f"{RESULTS_XML}boolean").text.strip() == "true"  # type: ignore[union-attr]


def check(response: httpx.Response, expected: Expected) -> None:
    assert response.status_code // 100 in expected.status_classes, (
        response.status_code,
        response.text,
    )
    kind = media_type(response)
    if expected.format == "boolean":
        assert kind in BOOLEAN, kind
    elif expected.format == "tabular":
        assert kind in TABULAR, kind
    elif expected.format == "RDF":
        assert kind in RDF, kind
        rdflib.Graph().parse(data=response.content, format=RDF[kind])
    if expected.boolean is not None:
        assert boolean_of(response) is expected.boolean


def store_snapshot(endpoint: Endpoint) -> set[tuple[str, ...]]:
    """Every quad the endpoint serves, default and named graphs."""
    query = "SELECT ?g ?s ?p ?o { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    response = httpx.get(endpoint.url, params={"query": query}, headers={"accept": "text/tab-separated-values"})
    assert response.status_code == 200
    return {tuple(line.split("\t")) for line in response.text.splitlines()}


QUERY_AND_BAD = [t for t in ENTRIES if _name(t).startswith(("query_", "bad_"))]
UPDATES = [t for t in ENTRIES if _name(t).startswith("update_")]


def test_manifest_lists_the_whole_suite() -> None:
    assert len(QUERY_AND_BAD) == 27 and len(UPDATES) == 7


@pytest.mark.parametrize("test", QUERY_AND_BAD, ids=_name)
def test_query_and_bad_requests(sparql_endpoint: Endpoint, test: rdflib.URIRef) -> None:
    before = store_snapshot(sparql_endpoint)
    for request in _requests(test):
        check(send(sparql_endpoint, request), request.expected)
    assert store_snapshot(sparql_endpoint) == before


@pytest.mark.parametrize("test", UPDATES, ids=_name)
def test_updates_are_refused_and_change_nothing(
    sparql_endpoint: Endpoint, test: rdflib.URIRef
) -> None:
    before = store_snapshot(sparql_endpoint)
    requests = _requests(test)
    updates = [r for r in requests if "update" in r.headers.get("content-type", "") or (r.body or b"").startswith(b"update=")]
    checks = [r for r in requests if r not in updates]
    assert updates, "every update_* test sends at least one update"
    for request in updates:
        response = send(sparql_endpoint, request)
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        assert "read-only" in response.text
    for request in checks:
        # The ASK that would see the update's effect: still answered, and the effect is absent.
        response = send(sparql_endpoint, request)
        assert response.status_code == 200
        assert boolean_of(response) is False
    assert store_snapshot(sparql_endpoint) == before
