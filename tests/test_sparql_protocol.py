"""The SPARQL endpoint: formats and negotiation, the service description, read-only, SERVICE
refused, and the limits (rows, body size, a timeout that really stops the evaluation), against a
real uvicorn server; plus the pure request rules without one."""

from __future__ import annotations

import csv
import io
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pyoxigraph
import pytest
import rdflib
import rdflib.compare
from sparql_server import (  # noqa: F401  (fixture)
    EX,
    TEST_LIMITS,
    Endpoint,
    publish_store,
    serve,
    sparql_endpoint,
)

from untoc_kg.server.limits import GIB, QueryLimits
from untoc_kg.server.sparql_protocol import ProtocolError, parse_query_request
from untoc_kg.sparql.query_screening import ResultKind, screen

SELECT = f"SELECT ?r ?label WHERE {{ ?r <{EX}label> ?label }}"
CONSTRUCT = f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ ?r ?p ?o . ?r <{EX}cites> ?a }}"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?x{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(12)
) + " }"
"""10^12 rows to count: minutes of CPU, whatever the data."""
RESULT_TYPES = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def get(
    endpoint: Endpoint, query: str, accept: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    sent = {**(headers or {}), **({"accept": accept} if accept else {})}
    return httpx.get(endpoint.url, params={"query": query}, headers=sent, timeout=15)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def rows(response: httpx.Response) -> set[tuple[str, ...]]:
    """The rows of a SELECT answer in any of the four formats, as plain lexical values."""
    kind = media_type(response)
    if kind == "text/csv":
        table = list(csv.reader(io.StringIO(response.text)))
        return {tuple(row) for row in table[1:]}
    parsed = pyoxigraph.parse_query_results(response.content, format=RESULT_TYPES[kind])
    return {tuple(term.value for term in solution) for solution in parsed}


def graph(response: httpx.Response) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type(response)])


def snapshot(endpoint: Endpoint) -> set[tuple[str, ...]]:
    response = get(
        endpoint,
        "SELECT * { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        "text/tab-separated-values",
    )
    return set(map(tuple, (line.split("\t") for line in response.text.splitlines())))


# --- the request rules, without a server -------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "SELECT * { SERVICESILENT<http://127.0.0.1:1/>{} }",
        "PREFIX : <http://127.0.0.1:1/> SELECT * { SERVICE:x { } }",
        "PREFIX e: <http://127.0.0.1:1/> SELECT * { SERVICEe:x { } }",
        'SELECT * { ?s ?p "x"SERVICE<http://127.0.0.1:1/>{} }',
        "SELECT * { FILTER(?a<?b)SERVICE<http://127.0.0.1:1/>{} }",
        "SELECT * { ?s ?p ?o # a comment\nSERVICE ?x { } }",
    ],
)
def test_every_spelling_of_service_is_caught(query: str) -> None:
    assert screen(query).uses_service


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service { ?service a <http://example.org/service> }",
        "PREFIX schema: <https://schema.org/> SELECT * { ?s schema:serviceType 'SERVICE <x> {}' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> {}",
        'SELECT * { ?s ?p """a\nSERVICE <x> { }""" }',
    ],
)
def test_service_in_names_strings_and_comments_is_allowed(query: str) -> None:
    assert not screen(query).uses_service


@pytest.mark.parametrize(
    ("query", "kind", "is_update"),
    [
        ("PREFIX ask: <x:> SELECT * {}", ResultKind.SOLUTIONS, False),
        ("ASK{}", ResultKind.BOOLEAN, False),
        ("BASE <http://a/> DESCRIBE <b>", ResultKind.GRAPH, False),
        ("INSERT DATA { <a:a> <a:b> <a:c> }", None, True),
        ("PREFIX x: <x:> DROP ALL", None, True),
        ("LOAD <http://127.0.0.1:1/data.ttl>", None, True),
    ],
)
def test_screening_tells_the_query_form(query: str, kind: ResultKind | None, is_update: bool) -> None:
    screened = screen(query)
    assert (screened.kind, screened.is_update) == (kind, is_update)


@pytest.mark.parametrize(
    ("method", "content_type", "url", "body", "status"),
    [
        ("GET", None, b"query=ASK%7B%7D&query=ASK%7B%7D", b"", 400),
        ("GET", None, b"query=", b"", 400),
        ("GET", None, b"query=ASK%7B%7D%FF", b"", 400),
        ("GET", None, b"update=CLEAR%20ALL", b"", 403),
        ("POST", "application/sparql-update", b"", b"CLEAR ALL", 403),
        ("POST", "application/x-www-form-urlencoded", b"", b"update=CLEAR+ALL", 403),
        ("POST", "text/plain", b"", b"ASK {}", 415),
        ("POST", None, b"", b"query=ASK%20%7B%7D", 415),
        ("POST", "application/sparql-query; charset=UTF-16", b"", "ASK {}".encode("utf-16"), 415),
        ("POST", "application/sparql-query", b"", b"ASK {\xff}", 400),
        ("POST", "application/sparql-query", b"query=ASK%7B%7D", b"ASK {}", 400),
        ("POST", "application/x-www-form-urlencoded", b"", b"default-graph-uri=x", 400),
        ("GET", None, b"query=ASK%7B%7D&default-graph-uri=not%20an%20iri", b"", 400),
    ],
)
def test_malformed_requests_are_refused(
    method: str, content_type: str | None, url: bytes, body: bytes, status: int
) -> None:
    with pytest.raises(ProtocolError) as refused:
        parse_query_request(method, content_type, url, body)
    assert refused.value.status == status
    assert refused.value.message


def test_form_post_merges_url_dataset_and_body_query() -> None:
    asked = parse_query_request(
        "POST",
        "application/x-www-form-urlencoded",
        b"named-graph-uri=http%3A%2F%2Fa%2Fg",
        b"query=ASK+%7B%7D",
    )
    assert (asked.query, asked.default_graphs, asked.named_graphs) == ("ASK {}", (), ("http://a/g",))


# --- formats and negotiation ---------------------------------------------------------------------


def test_select_gives_the_same_rows_in_every_results_format(sparql_endpoint: Endpoint) -> None:
    answers = {}
    for accept in [*RESULT_TYPES, "text/csv"]:
        response = get(sparql_endpoint, SELECT, accept)
        assert response.status_code == 200, response.text
        assert media_type(response) == accept
        answers[accept] = rows(response)
    expected = answers["application/sparql-results+json"]
    assert len(expected) == 3 and ("http://example.org/r1", "Recommandation un") in expected
    assert all(found == expected for found in answers.values())


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        ("application/json", "application/sparql-results+json"),
        ("text/xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
        ("application/sparql-results+json;q=0, */*;q=0.2", "application/sparql-results+xml"),
        (None, "application/sparql-results+json"),
    ],
)
def test_accept_lists_and_q_values_choose_the_format(
    sparql_endpoint: Endpoint, accept: str | None, served: str
) -> None:
    response = get(sparql_endpoint, SELECT, accept)
    assert response.status_code == 200
    assert media_type(response) == served
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize("query", [CONSTRUCT, f"DESCRIBE <{EX}r1>"])
def test_graph_answers_are_isomorphic_in_every_rdf_format(sparql_endpoint: Endpoint, query: str) -> None:
    graphs = []
    for accept in RDF_TYPES:
        response = get(sparql_endpoint, query, accept)
        assert response.status_code == 200, response.text
        assert media_type(response) == accept
        graphs.append(graph(response))
    assert len(graphs[0]) >= 5
    assert all(rdflib.compare.isomorphic(graphs[0], other) for other in graphs[1:])


def test_unacceptable_formats_get_406(sparql_endpoint: Endpoint) -> None:
    assert get(sparql_endpoint, CONSTRUCT, "application/sparql-results+json").status_code == 406
    refused = get(sparql_endpoint, SELECT, "image/png")
    assert refused.status_code == 406 and "application/sparql-results+json" in refused.text


def test_syntax_errors_get_a_readable_400(sparql_endpoint: Endpoint) -> None:
    response = get(sparql_endpoint, "SELECT ?x WHERE { ?x ")
    assert response.status_code == 400
    assert "not valid SPARQL" in response.text and "Traceback" not in response.text


def test_etag_revalidation_gives_304(sparql_endpoint: Endpoint) -> None:
    first = get(sparql_endpoint, SELECT)
    again = get(sparql_endpoint, SELECT, headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    other = get(sparql_endpoint, SELECT, "text/csv", headers={"if-none-match": first.headers["etag"]})
    assert other.status_code == 200


# --- the service description ---------------------------------------------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMAT_MEDIA_TYPES = {
    "SPARQL_Results_JSON": ("application/sparql-results+json", SELECT),
    "SPARQL_Results_XML": ("application/sparql-results+xml", SELECT),
    "SPARQL_Results_CSV": ("text/csv", SELECT),
    "SPARQL_Results_TSV": ("text/tab-separated-values", SELECT),
    "Turtle": ("text/turtle", CONSTRUCT),
    "N-Triples": ("application/n-triples", CONSTRUCT),
    "JSON-LD": ("application/ld+json", CONSTRUCT),
    "RDF_XML": ("application/rdf+xml", CONSTRUCT),
}


def test_service_description_states_endpoint_formats_limits_and_dataset(
    sparql_endpoint: Endpoint,
) -> None:
    response = httpx.get(sparql_endpoint.url)
    assert response.status_code == 200 and media_type(response) == "text/turtle"
    description = graph(response)
    service = rdflib.URIRef(sparql_endpoint.url)
    assert (service, SD.endpoint, service) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    formats = {str(f).rsplit("/", 1)[1] for f in description.objects(service, SD.resultFormat)}
    assert formats == set(FORMAT_MEDIA_TYPES)
    for name in formats:  # every format it names is really served
        served_type, query = FORMAT_MEDIA_TYPES[name]
        assert media_type(get(sparql_endpoint, query, served_type)) == served_type
    comment = str(description.value(service, rdflib.RDFS.comment))
    assert "read-only" in comment.lower() and "SERVICE" in comment and "3 s" in comment
    ours = rdflib.Namespace("https://w3id.org/untoc-kg/ontology#")
    assert description.value(service, ours.maxResultRows).toPython() == TEST_LIMITS.max_result_rows
    dataset = description.value(service, SD.defaultDataset)
    void = description.value(dataset, rdflib.RDFS.seeAlso)
    assert str(void) == sparql_endpoint.base + "/.well-known/void"
    for accept in RDF_TYPES:  # and in every RDF format, the same description
        again = httpx.get(sparql_endpoint.url, headers={"accept": accept})
        assert media_type(again) == accept and len(graph(again)) == len(description)


# --- read-only ---------------------------------------------------------------------------------

UPDATE_REQUESTS = [
    ("GET", {"params": {"update": "CLEAR ALL"}}),
    ("GET", {"params": {"query": "DROP ALL"}}),
    ("GET", {"params": {"query": f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}"}}),
    ("POST", {"content": "CLEAR DEFAULT", "headers": {"content-type": "application/sparql-update"}}),
    ("POST", {"data": {"update": f"DELETE WHERE {{ ?s ?p ?o }}"}}),
    ("POST", {"data": {"query": "LOAD <http://127.0.0.1:1/x.ttl>"}}),
    ("POST", {"content": "CREATE GRAPH <http://a/g>", "headers": {"content-type": "application/sparql-query"}}),
    ("POST", {"content": f"SELECT * {{}} ; DELETE DATA {{ <{EX}r1> <{EX}number> 1 }}", "headers": {"content-type": "application/sparql-query"}}),
    ("PUT", {"content": "<a:a> <a:b> <a:c> .", "headers": {"content-type": "text/turtle"}}),
    ("DELETE", {}),
]


def test_every_update_form_is_refused_and_changes_nothing(sparql_endpoint: Endpoint) -> None:
    before = snapshot(sparql_endpoint)
    for method, arguments in UPDATE_REQUESTS:
        response = httpx.request(method, sparql_endpoint.url, **arguments)
        assert 400 <= response.status_code < 500, (method, arguments, response.status_code)
    assert snapshot(sparql_endpoint) == before


# --- limits ------------------------------------------------------------------------------------


def test_answers_are_cut_at_the_row_cap_and_say_so(sparql_endpoint: Endpoint) -> None:
    cap = TEST_LIMITS.max_result_rows
    many = "SELECT ?n WHERE { " + " ".join(
        f"VALUES ?d{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(3)
    ) + " BIND(100 * ?d0 + 10 * ?d1 + ?d2 AS ?n) }"
    for accept in ["application/sparql-results+json", "text/csv"]:
        cut = get(sparql_endpoint, many, accept)
        assert cut.status_code == 200 and len(rows(cut)) == cap
        assert cut.headers["x-sparql-maxrows"] == str(cap)
    construct = f"CONSTRUCT {{ <{EX}x> <{EX}n> ?n }} WHERE {{ {many[len('SELECT ?n WHERE { ') : -2]} }}"
    cut_graph = get(sparql_endpoint, construct, "application/n-triples")
    assert len(graph(cut_graph)) == cap and cut_graph.headers["x-sparql-maxrows"] == str(cap)
    whole = get(sparql_endpoint, SELECT)
    assert "x-sparql-maxrows" not in whole.headers


def test_large_bodies_get_413_before_they_are_read(sparql_endpoint: Endpoint) -> None:
    declared = httpx.post(
        sparql_endpoint.url,
        content=b"#" * (TEST_LIMITS.max_request_bytes + 1),
        headers={"content-type": "application/sparql-query"},
    )
    assert declared.status_code == 413

    def hundred_megabytes():
        chunk = b"#" * 65536
        for _ in range(1600):
            yield chunk

    started = time.monotonic()
    # httpx writes the whole body before it reads: the lingering close lets it read the 413
    streamed = httpx.post(
        sparql_endpoint.url,
        content=hundred_megabytes(),
        headers={"content-type": "application/sparql-query"},
        timeout=30,
    )
    assert streamed.status_code == 413
    assert time.monotonic() - started < TEST_LIMITS.linger_seconds + 5
    assert get(sparql_endpoint, "ASK {}").status_code == 200


def test_urllib_reads_the_413_of_a_100_megabyte_post(sparql_endpoint: Endpoint) -> None:
    """urllib sends the whole body before it reads a byte of the answer."""
    request = urllib.request.Request(
        sparql_endpoint.url,
        data=b"#" * (100 * 1024 * 1024),
        headers={"Content-Type": "application/sparql-query"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413
    assert b"byte limit" in refused.value.read()


def test_a_body_that_never_ends_is_cut_off_after_the_linger(sparql_endpoint: Endpoint) -> None:
    """The server reads a refused body for a bounded time only, however long the client sends."""
    host, port = sparql_endpoint.base.removeprefix("http://").split(":")
    chunk = b"10000\r\n" + b"#" * 0x10000 + b"\r\n"
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        started = time.monotonic()
        deadline = started + TEST_LIMITS.linger_seconds + 20
        try:
            while time.monotonic() < deadline:
                connection.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass  # reset or broken pipe: the server stopped reading
        cut_after = time.monotonic() - started
    assert cut_after < TEST_LIMITS.linger_seconds + 10, (cut_after, sent)
    assert get(sparql_endpoint, "ASK {}").status_code == 200


def test_a_client_expecting_100_continue_gets_the_413_without_sending_its_body(
    sparql_endpoint: Endpoint,
) -> None:
    host, port = sparql_endpoint.base.removeprefix("http://").split(":")
    size = 100 * 1024 * 1024
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            + f"Content-Length: {size}\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        started = time.monotonic()
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert time.monotonic() - started < 2  # answered at once: no linger, nothing was sent


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child not yet reaped is a zombie: it no longer runs.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[1].split()[0] != "Z"


def test_timeout_stops_the_evaluation_while_light_queries_go_on(sparql_endpoint: Endpoint) -> None:
    with httpx.Client(timeout=15) as light:
        assert light.get(sparql_endpoint.url, params={"query": "ASK {}"}).status_code == 200
        workers_before = set(sparql_endpoint.worker_pids)
        outcome = {}

        def heavy() -> None:
            started = time.monotonic()
            response = httpx.get(sparql_endpoint.url, params={"query": HEAVY}, timeout=15)
            outcome.update(response=response, seconds=time.monotonic() - started)

        thread = threading.Thread(target=heavy)
        thread.start()
        time.sleep(0.5)
        latencies = []
        while thread.is_alive():
            started = time.monotonic()
            assert light.get(sparql_endpoint.url, params={"query": SELECT}).status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.1)
        thread.join()
    assert outcome["response"].status_code == 504
    assert "stopped" in outcome["response"].text
    assert outcome["seconds"] < TEST_LIMITS.timeout_seconds + 1
    assert latencies and max(latencies) < 0.5, latencies
    killed = workers_before - set(sparql_endpoint.worker_pids)
    assert len(killed) == 1 and not any(_alive(pid) for pid in killed)
    deadline = time.monotonic() + 10
    while len(sparql_endpoint.worker_pids) < TEST_LIMITS.workers and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(sparql_endpoint.worker_pids) == TEST_LIMITS.workers
    assert get(sparql_endpoint, "ASK {}").status_code == 200


def test_service_is_refused_without_any_connection(sparql_endpoint: Endpoint) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        for query in [
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICESILENT<{target}>{{ ?s ?p ?o }} }}",
            f"PREFIX : <{target}#> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        ]:
            response = get(sparql_endpoint, query)
            assert response.status_code == 400 and "SERVICE" in response.text
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


# --- rebuilds ----------------------------------------------------------------------------------


def test_a_rebuild_is_served_at_once(live_server, tmp_path: Path) -> None:
    publish_store(tmp_path, f"<{EX}s> <{EX}build> 'first' .", trig=None)
    endpoint = serve(live_server, tmp_path, QueryLimits(workers=1))
    query = f"SELECT ?b WHERE {{ <{EX}s> <{EX}build> ?b }}"
    assert rows(get(endpoint, query)) == {("first",)}
    publish_store(tmp_path, f"<{EX}s> <{EX}build> 'second' .", trig=None)
    assert rows(get(endpoint, query)) == {("second",)}


def test_queries_wait_for_a_published_build(live_server, tmp_path: Path) -> None:
    endpoint = serve(live_server, tmp_path, QueryLimits(workers=1))
    assert httpx.get(endpoint.url).status_code == 200  # the description needs no data
    waiting = get(endpoint, "ASK {}")
    assert waiting.status_code == 503 and "untoc-kg build" in waiting.text


def test_a_query_that_exhausts_its_worker_memory_fails_alone(live_server, tmp_path: Path) -> None:
    publish_store(tmp_path)
    limits = QueryLimits(timeout_seconds=30, workers=1, worker_memory_bytes=GIB)
    endpoint = serve(live_server, tmp_path, limits)
    hog = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (<{EX}p>|!<{EX}p>)* ?b . "
        + " ".join(f"VALUES ?x{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(6))
        + " }"
    )
    failed = get(endpoint, hog)
    assert failed.status_code == 503 and "memory" in failed.text
    assert get(endpoint, "ASK {}").status_code == 200  # a fresh worker took its place
