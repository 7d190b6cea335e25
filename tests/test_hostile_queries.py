"""Hostile SPARQL against the whole app (security middleware, CORS, endpoint, workers) on a real
uvicorn server over a small published build, with a 2 s query timeout: every request is
answered within the timeout + 1 s with the right status, nothing is changed, no connection
leaves the server, and a light query from another client stays fast while a heavy one runs.

What tests/test_sparql_protocol.py already covers against the bare endpoint (the VALUES
cartesian product timing out, the row cap, the worker memory limit, the first update forms and
SERVICE spellings) is not repeated; the table printed by `pytest -s` lists each request here
with its status and time."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sample_build import BASE, publish_sample
from untoc_kg.server import create_app
from untoc_kg.server.app import ServerSettings
from untoc_kg.server.limits import QueryLimits

LIMITS = QueryLimits(timeout_seconds=2.0, max_result_rows=100, max_request_bytes=1_000_000, workers=2)
WITHIN = LIMITS.timeout_seconds + 1.0
P = f"<{BASE}p>"
JSON = "application/sparql-results+json"
ACCEPT_ANY = f"{JSON}, application/n-triples;q=0.9"


@dataclass(frozen=True)
class Site:
    base: str
    data_dir: Path

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, live_server) -> Site:
    data_dir = tmp_path_factory.mktemp("hostile-queries")
    publish_sample(data_dir)
    app = create_app(data_dir, settings=ServerSettings(limits=LIMITS))
    return Site(live_server(app, ready_path="/sparql"), data_dir)


@pytest.fixture()
def fresh_site(site: Site, live_server) -> Site:
    """A server of its own over the same build, all its workers up (the app's lifespan waits for
    them): no worker of it is still being replaced after an earlier test's timeout."""
    app = create_app(site.data_dir, settings=ServerSettings(limits=LIMITS))
    return Site(live_server(app, ready_path="/sparql"), site.data_dir)


@pytest.fixture(scope="module")
def table() -> Iterator[list[tuple[str, int, float]]]:
    rows: list[tuple[str, int, float]] = []
    yield rows
    print("\n| hostile request | status | seconds |\n|---|---|---|")
    for name, status, seconds in rows:
        print(f"| {name} | {status} | {seconds:.2f} |")


def timed(table: list, name: str, send) -> httpx.Response:
    started = time.monotonic()
    response = send()
    elapsed = time.monotonic() - started
    table.append((name, response.status_code, elapsed))
    assert elapsed < WITHIN, f"{name}: {elapsed:.2f} s"
    assert "Traceback" not in response.text and 'File "' not in response.text
    return response


def nested(depth: int, open_: str, close: str, inner: str) -> str:
    return "".join(open_.format(i=i) for i in range(depth)) + inner + close * depth


def count_all(site: Site) -> int:
    answer = httpx.get(site.sparql, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                       headers={"accept": JSON}, timeout=10)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def padded(length: int) -> str:
    """A valid query of exactly `length` characters: a long FILTER of alternatives."""
    head, tail = "SELECT ?s WHERE { ?s ?p ?o FILTER(false", " ) }"
    terms, size, i = [], len(head) + len(tail), 0
    while size < length - 40:
        terms.append(f" || ?o = {i}")
        size += len(terms[-1])
        i += 1
    text = head + "".join(terms)
    return text + " " * (length - len(text) - len(tail)) + tail


HEAVY = {
    # name: (query, allowed statuses)
    "cartesian product of 6 triple patterns, COUNT": (
        "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?q ?r ?t }", {504}),
    "cartesian product, ORDER BY RAND()": (
        "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY RAND() LIMIT 1", {504}),
    "cartesian product, SELECT * (streamed, cut at the row cap)": (
        "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o . ?q ?r ?t }", {200}),
    "cartesian CONSTRUCT": (
        "CONSTRUCT { ?a ?b ?f } { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }", {200, 504}),
    "(<p>|!<p>)* path, both ends free": (
        f"SELECT (COUNT(*) AS ?n) {{ ?a ({P}|!{P})* ?b }}", {200, 504}),
    "(<p>|!<p>)* path twice, joined": (
        f"SELECT (COUNT(*) AS ?n) {{ ?a ({P}|!{P})* ?b . ?c ({P}|!{P})* ?d . ?e ({P}|!{P})* ?f }}", {504}),
    "((<p>|!<p>)/(<p>|!<p>))+ path": (
        f"SELECT (COUNT(*) AS ?n) {{ ?a (({P}|!{P})/({P}|!{P})/^({P}|!{P}))+ ?b }}", {200, 504}),
    "60 nested OPTIONALs": (
        "SELECT (COUNT(*) AS ?n) { " + nested(60, "?s{i} ?p{i} ?o{i} OPTIONAL {{ ", "}", "?x ?y ?z") + " }",
        {200, 504}),
    "60 nested FILTER NOT EXISTS": (
        "SELECT (COUNT(*) AS ?n) { " + nested(60, "?s{i} ?p{i} ?o{i} FILTER NOT EXISTS {{ ", "}", "?x ?y ?z")
        + " }", {200, 504}),
    "catastrophic regex (a+)+$ on a long non-matching string": (
        'SELECT (COUNT(*) AS ?n) { ?s ?p ?o BIND(CONCAT(' + ", ".join(['"aaaaaaaaaa"'] * 10)
        + ', "!") AS ?t) FILTER(REGEX(?t, "^(a+)+$")) }', {200}),
    "catastrophic regex (.*a){20} on every literal": (
        'SELECT * { ?s ?p ?o FILTER(REGEX(STR(?o), "(.*a){20}x", "i")) }', {200}),
    "regex that is no valid pattern": ('SELECT * { ?s ?p ?o FILTER(REGEX(?o, "(((")) }', {200, 400}),
    "LIMIT 10^12": ("SELECT * { ?s ?p ?o } LIMIT 1000000000000", {200}),
    "OFFSET 10^12": ("SELECT * { ?s ?p ?o } OFFSET 1000000000000", {200}),
    "LIMIT 10^30 (beyond 64 bits)": ("SELECT * { ?s ?p ?o } LIMIT 1000000000000000000000000000000", {200, 400}),
    "DESCRIBE of everything": ("DESCRIBE ?s { ?s ?p ?o }", {200}),
    "1,000 nested groups": ("SELECT * " + "{ " * 1000 + "?s ?p ?o" + " }" * 1000, {200, 400}),
    "1,000 nested brackets in an expression": (
        "SELECT * { ?s ?p ?o FILTER(" + "(" * 1000 + "true" + ")" * 1000 + ") }", {200, 400}),
    "10,000-character query": (padded(10_000), {200}),
    # Oxigraph's parser recurses once per level and overflows its stack (killing the worker)
    # from a few hundred levels: refused before a worker sees them.
    "blank nodes nested 300 deep": ("SELECT * { ?s ?p " + "[ ?p " * 300 + "1" + " ]" * 300 + " }", {400}),
    "collections nested 5,000 deep": ("SELECT * { ?s ?p " + "(" * 5000 + "1" + ")" * 5000 + " }", {400}),
    "groups nested 5,000 deep": ("SELECT * " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000, {400}),
    "<< quoted triples 100,000 deep": ("SELECT * { " + "<<" * 100_000 + " }", {400}),
}


@pytest.mark.parametrize("name", list(HEAVY))
def test_hostile_query_is_answered_in_time(site: Site, table: list, name: str) -> None:
    query, allowed = HEAVY[name]
    response = timed(table, name, lambda: httpx.post(
        site.sparql, data={"query": query}, headers={"accept": ACCEPT_ANY}, timeout=30))
    assert response.status_code in allowed, (response.status_code, response.text[:300])
    if response.status_code == 200 and response.headers["content-type"].startswith(JSON):
        assert len(response.json()["results"]["bindings"]) <= LIMITS.max_result_rows
    # the endpoint still answers at once
    assert httpx.get(site.sparql, params={"query": "ASK {}"}, timeout=WITHIN).status_code == 200


def test_a_10000_character_query_in_the_url(site: Site, table: list) -> None:
    query = padded(10_000)
    response = timed(table, "10,000-character query, GET", lambda: httpx.get(
        site.sparql, params={"query": query}, headers={"accept": JSON}, timeout=30))
    assert response.status_code == 200


def test_a_query_longer_than_a_megabyte_is_413(site: Site, table: list) -> None:
    response = timed(table, "1.2 MB query, POST", lambda: httpx.post(
        site.sparql, content=padded(1_200_000), headers={"content-type": "application/sparql-query"},
        timeout=30))
    assert response.status_code == 413


def test_a_100_megabyte_body_is_refused(site: Site, table: list) -> None:
    def body() -> Iterator[bytes]:
        chunk = b"#" * 65536
        for _ in range(1600):  # 100 MiB, streamed without a Content-Length
            yield chunk

    started = time.monotonic()
    # read and dropped for at most the linger, so the client, which writes all before it
    # reads, gets the 413 rather than a reset connection
    response = httpx.post(site.sparql, content=body(), timeout=30,
                          headers={"content-type": "application/sparql-query"})
    elapsed = time.monotonic() - started
    table.append(("100 MB body, streamed", response.status_code, elapsed))
    assert response.status_code == 413 and elapsed < LIMITS.linger_seconds + WITHIN


MALFORMED = {
    "malformed UTF-8 in the query string": lambda url: httpx.get(
        url + "?query=SELECT%20*%20%7B%20%3Fs%20%3Fp%20%22%FF%FE%C0%AF%22%20%7D", timeout=10),
    "malformed UTF-8 in a sparql-query body": lambda url: httpx.post(
        url, content=b'SELECT * { ?s ?p "\xff\xfe\xc0\xaf" }',
        headers={"content-type": "application/sparql-query"}, timeout=10),
    "malformed UTF-8 in a form body": lambda url: httpx.post(
        url, content=b"query=SELECT+*+%7B+%3Fs+%3Fp+%22\xff\xfe%FF%22+%7D",
        headers={"content-type": "application/x-www-form-urlencoded"}, timeout=10),
    "bad percent-escape": lambda url: httpx.get(url + "?query=SELECT%ZZ%", timeout=10),
    "NUL bytes in the query": lambda url: httpx.get(url, params={"query": "SELECT * {\x00?s ?p ?o }"}, timeout=10),
    "latin-1 declared charset": lambda url: httpx.post(
        url, content="SELECT * { ?s ?p \"\u00e9t\u00e9\" }".encode("latin-1"),
        headers={"content-type": "application/sparql-query; charset=iso-8859-1"}, timeout=10),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_requests_get_a_clear_4xx(site: Site, table: list, name: str) -> None:
    response = timed(table, name, lambda: MALFORMED[name](site.sparql))
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert response.text.strip(), "an error says what is wrong"


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    """A socket on 127.0.0.1 that records whether anything connects to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.5)
    yield sock
    sock.close()


def updates(target: str) -> list[str]:
    g, h = "<http://example.org/g>", "<http://example.org/h>"
    return [
        f"LOAD <{target}data.ttl>",
        f"LOAD SILENT <{target}data.ttl>",
        f"LOAD <{target}data.ttl> INTO GRAPH {g}",
        f"LOAD SILENT <{target}x> INTO GRAPH <{target}g>",
        f"INSERT DATA {{ <{BASE}a> {P} 1 }}",
        f"INSERT DATA {{ GRAPH {g} {{ <{BASE}a> {P} 1 }} }}",
        "DELETE DATA { <https://w3id.org/untoc-kg/id/state/ITA> a <https://w3id.org/untoc-kg/ontology#State> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        f"WITH {g} DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        f"INSERT {{ ?s {P} ?o }} USING {g} WHERE {{ ?s ?p ?o }}",
        "CLEAR DEFAULT", "CLEAR ALL", "CLEAR NAMED", f"CLEAR SILENT GRAPH {g}",
        "DROP DEFAULT", "DROP ALL", f"DROP SILENT GRAPH {g}",
        f"CREATE GRAPH {g}", f"CREATE SILENT GRAPH {g}",
        f"ADD DEFAULT TO {g}", f"COPY DEFAULT TO {g}", f"MOVE DEFAULT TO {g}", f"ADD SILENT {g} TO {h}",
        f"PREFIX x: <{BASE}> INSERT DATA {{ x:a x:b x:c }}",
        f"# a comment first\nload <{target}>",
        f"SELECT * {{}} ; LOAD <{target}>",
        f"ASK {{}}\nINSERT DATA {{ <{BASE}a> {P} 1 }}",
    ]


def test_every_update_and_load_form_is_refused_and_nothing_changes(
    site: Site, table: list, listener: socket.socket
) -> None:
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    before = count_all(site)
    dumps_before = sorted(p.name for p in (site.data_dir / "current" / "dumps").iterdir())
    sent = 0
    for update in updates(target):
        for how, request in [
            ("update=", lambda: httpx.post(site.sparql, data={"update": update}, timeout=10)),
            ("sparql-update body", lambda: httpx.post(
                site.sparql, content=update, headers={"content-type": "application/sparql-update"}, timeout=10)),
            ("query=", lambda: httpx.get(site.sparql, params={"query": update}, timeout=10)),
        ]:
            response = timed(table, f"{update.splitlines()[-1][:40]} ({how})", request)
            assert 400 <= response.status_code < 500, (update, how, response.status_code)
            sent += 1
    for method in ["PUT", "DELETE", "PATCH"]:
        response = timed(table, f"{method} /sparql", lambda: httpx.request(
            method, site.sparql, content=b"<a:a> <a:b> <a:c> .", headers={"content-type": "text/turtle"}, timeout=10))
        assert 400 <= response.status_code < 500
    assert count_all(site) == before
    assert sorted(p.name for p in (site.data_dir / "current" / "dumps").iterdir()) == dumps_before
    with pytest.raises(socket.timeout):
        listener.accept()
    print(f"\n{sent} update/LOAD requests refused, store unchanged ({before} triples)")


def test_service_to_loopback_makes_no_connection(site: Site, table: list, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    target = f"http://127.0.0.1:{port}/sparql"
    for name, query in {
        "SERVICE <127.0.0.1>": f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "service silent, lower case": f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        "SERVICE with a comment before the IRI": f"SELECT * {{ SERVICE # hidden\n<{target}> {{ ?s ?p ?o }} }}",
        "SERVICE ?var bound by VALUES": f"SELECT * {{ VALUES ?e {{ <{target}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "SERVICE inside OPTIONAL in a subquery": (
            f"SELECT * {{ {{ SELECT * {{ OPTIONAL {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }} }}"),
        "SERVICE via a relative IRI and BASE": f"BASE <http://127.0.0.1:{port}/> SELECT * {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        "SERVICE in a CONSTRUCT, POSTed": f"CONSTRUCT {{ ?s ?p ?o }} {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "SERVICE to [::1]": f"ASK {{ SERVICE <http://[::1]:{port}/> {{ ?s ?p ?o }} }}",
        # A quote or hash that the grammar escapes must not open a string or comment that hides
        # the SERVICE after it (each of these once reached the listener).
        r"SERVICE after ex:a\'b (escaped quote in a local name)": (
            f"PREFIX ex: <{BASE}> SELECT * {{ VALUES ?z {{ ex:a\\'b }} SERVICE <{target}> {{ ?s ?p ?o }} "
            "FILTER(?o != 'x') }"),
        r"SERVICE after ex:a\#b (escaped hash in a local name)": (
            f"PREFIX ex: <{BASE}> SELECT * {{ VALUES ?z {{ ex:a\\#b }} SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        r"SERVICE after ex:%41\#b (percent escape, then hash)": (
            f"PREFIX ex: <{BASE}> SELECT * {{ VALUES ?z {{ ex:%41\\#b }} SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        r"SERVICE after ex:é\#b (non-ASCII local name, then hash)": (
            f"PREFIX ex: <{BASE}> SELECT * {{ VALUES ?z {{ ex:\u00e9\\#b }} SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        r"SERVICE after <...\u0041#> (escape in an IRI, then hash)": (
            f"SELECT * {{ VALUES ?z {{ <{BASE}\\u0041#> }} SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        r"SERVICE after <...\U00000041'> (escape in an IRI, then quote)": (
            f"SELECT * {{ VALUES ?z {{ <{BASE}\\U00000041'> }} SERVICE <{target}> {{ ?s ?p ?o }} "
            "FILTER(?o != 'x') }"),
    }.items():
        response = timed(table, name, lambda: httpx.post(site.sparql, data={"query": query}, timeout=10))
        assert response.status_code == 400 and "SERVICE" in response.text, (name, response.status_code)
    with pytest.raises(socket.timeout):
        listener.accept()


SCREEN_BYTES = 900_000
SCREENED = {
    # name: query text on which a scan that retries at every quote or bracket goes quadratic
    r"'''\'\'\'... (a long string never closed)": "'''" + "\\'" * (SCREEN_BYTES // 2),
    r"'\'\'\'... (a string never closed)": "SELECT * { ?s ?p '" + "\\'" * (SCREEN_BYTES // 2) + " }",
    '"""""a""a... (quotes in pairs)': '"""' + '""a' * (SCREEN_BYTES // 3),
    "<<<<... (IRIs never closed)": "SELECT * { " + "<" * SCREEN_BYTES + " }",
    r"<\u0041<\u0041... (escapes in IRIs never closed)": "SELECT * { " + "<\\u0041" * (SCREEN_BYTES // 7) + " }",
}


@pytest.mark.parametrize("name", list(SCREENED))
def test_queries_hostile_to_the_screen_are_answered_in_time(site: Site, table: list, name: str) -> None:
    """The screen (updates, SERVICE) reads the text in the server's own process before any
    worker does; the first of these once kept it busy for minutes at 200 KB."""
    response = timed(table, f"{name}, {SCREEN_BYTES // 1000} KB", lambda: httpx.post(
        site.sparql, content=SCREENED[name].encode(), timeout=30,
        headers={"content-type": "application/sparql-query", "accept": JSON}))
    assert response.status_code == 400, (response.status_code, response.text[:200])


LIGHT = "SELECT ?s ?label { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5"


def test_light_queries_stay_fast_while_the_screen_reads_megabyte_queries(fresh_site: Site) -> None:
    site, hostile = fresh_site, SCREENED["<<<<... (IRIs never closed)"].encode()
    statuses: list[int] = []

    def send_hostile() -> None:
        for _ in range(3):
            statuses.append(httpx.post(site.sparql, content=hostile, timeout=30,
                                       headers={"content-type": "application/sparql-query"}).status_code)

    latencies: list[float] = []
    with httpx.Client(timeout=10) as light:
        light.get(site.sparql, params={"query": LIGHT})  # connection open, worker warm
        thread = threading.Thread(target=send_hostile)
        thread.start()
        while thread.is_alive():
            started = time.monotonic()
            response = light.get(site.sparql, params={"query": LIGHT}, headers={"accept": JSON})
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
            time.sleep(0.02)
        thread.join()
    print(f"\nlight queries beside three 900 KB queries hostile to the screen: {len(latencies)}, "
          f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    assert statuses == [400] * 3
    assert len(latencies) >= 3 and max(latencies) < 0.2, latencies


@pytest.mark.parametrize("name", [
    "cartesian product of 6 triple patterns, COUNT", "(<p>|!<p>)* path twice, joined",
])
def test_light_queries_stay_fast_while_a_heavy_one_runs(fresh_site: Site, table: list, name: str) -> None:
    site, query = fresh_site, HEAVY[name][0]
    outcome: dict[str, object] = {}

    def heavy() -> None:
        started = time.monotonic()
        response = httpx.post(site.sparql, data={"query": query}, timeout=30)
        outcome.update(status=response.status_code, seconds=time.monotonic() - started)

    latencies: list[float] = []
    with httpx.Client(timeout=10) as light:
        light.get(site.sparql, params={"query": LIGHT})  # connection open, worker warm
        thread = threading.Thread(target=heavy)
        thread.start()
        time.sleep(0.3)
        while thread.is_alive():
            started = time.monotonic()
            response = light.get(site.sparql, params={"query": LIGHT}, headers={"accept": JSON})
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200 and response.json()["results"]["bindings"]
            time.sleep(0.05)
        thread.join()
    table.append((f"{name}, with light queries beside it", int(outcome["status"]), float(outcome["seconds"])))
    print(f"\nlight queries beside '{name}': {len(latencies)}, median "
          f"{statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    assert outcome["status"] == 504 and float(outcome["seconds"]) < WITHIN
    assert len(latencies) >= 5 and max(latencies) < 0.2, latencies


# -- the SERVICE screen against Oxigraph's own parser -----------------------------------------

TERMS = [
    "ex:a", ":a", "ex:a.b", "ex:a\\'b", "ex:a\\#b", "ex:a\\?b", "ex:\\'", "ex:%41\\#", "ex:\u00e9\\'",
    "ex:_\\~", "ex:a\\''", "<http://e/\\u0041#>", "<http://e/'>", "<http://e/#'>", "'x'", '"y"',
    "'''a'b'''", '"""a"b"""', "'a\\'b'", '"a\\"b"', "'#'", '"\\\\"', "?v", "$v", "_:b", "[]", "1",
    "true", '"x"@en', '"1"^^ex:t', "\"1\"^^<http://e/\\u0041'>",
]
PREDICATES = ["ex:p", "a", "^ex:p", "ex:p/ex:q", "ex:p*", "!ex:p", "ex:p\\'", "ex:p\\#", "(ex:p|ex:q\\')",
              "<http://e/\\u0041'>"]
FILTERS = ["", "FILTER(?z != 'q')", 'FILTER(?z != "q")', "FILTER(?z != '#')", "BIND('x' AS ?w)"]


def test_no_query_that_oxigraph_would_send_to_a_service_passes_the_screen() -> None:
    """Random queries of escaped names, IRIs with escapes, quotes and hashes around a SERVICE
    clause, run by pyoxigraph on an empty store: each one that gets as far as calling the service
    (port 9, which Oxigraph refuses to call: no connection is made) must be one the screen
    refuses. The screen before this test let through 1,854 of 4,168 such queries."""
    import random

    import pyoxigraph

    from untoc_kg.sparql.query_screening import screen

    draw, store = random.Random(7), pyoxigraph.Store()
    attempted = missed = 0
    for _ in range(6000):
        sep = draw.choice([" ", "\n", ""])
        triples = [sep.join(f"{draw.choice(TERMS)} {draw.choice(PREDICATES)} {draw.choice(TERMS)} ."
                            for _ in range(draw.randint(lo, hi))) for lo, hi in [(1, 3), (0, 2)]]
        query = (f"PREFIX ex: <http://e/> PREFIX : <http://f/> SELECT * {{ VALUES ?z {{ 1 }} "
                 f"OPTIONAL {{ {triples[0]} }}{sep}SERVICE <http://127.0.0.1:9/> {{ ?s ?p ?o }}{sep}"
                 f"OPTIONAL {{ {triples[1]} }} {draw.choice(FILTERS)} }}")
        try:
            list(store.query(query))
            continue
        except OSError as error:
            if "port 9" not in str(error):
                continue
        except (SyntaxError, ValueError):
            continue
        attempted += 1
        missed += not screen(query).uses_service
    print(f"\n{attempted} random queries reached SERVICE in Oxigraph; the screen missed {missed}")
    assert attempted > 1000 and missed == 0
