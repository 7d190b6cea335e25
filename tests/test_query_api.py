"""The named queries as an API (`/queries/NAME.json|.csv|.rq`, `/queries.json`), named in the
Service Description; predeclared prefixes and readable syntax errors at the endpoint and in the
CLI; `/sparql` for a browser; `?format=` downloads. Over a real uvicorn server on the corpus."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef

from untoc_kg.server import create_app
from untoc_kg.server.formats import PREFIXES
from untoc_kg.sparql.named_queries import named_queries
from untoc_kg.sparql.prologue import explain, missing, with_prologue

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CITING = "/queries/recommendations-citing-article"


@pytest.fixture(scope="module")
def client(corpus_build, live_server):
    assert corpus_build.ok
    site = live_server(create_app(corpus_build.build_dir.parent.parent))
    with httpx.Client(base_url=site, timeout=60) as c:
        yield c


def select(client: httpx.Client, query: str) -> httpx.Response:
    return client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )


# -- the API -----------------------------------------------------------------------------------


def test_the_list_names_every_query_with_its_parameters(client: httpx.Client) -> None:
    listing = client.get("/queries.json").json()["queries"]
    assert [q["name"] for q in listing] == list(named_queries())
    citing = next(q for q in listing if q["name"] == "recommendations-citing-article")
    assert {p["name"]: p["default"] for p in citing["parameters"]} == {"treaty": "SOM", "article": "8"}
    assert citing["json"].endswith(CITING + ".json") and citing["csv"].endswith(CITING + ".csv")


def test_a_named_query_answers_with_its_parameters_as_json_and_csv(client: httpx.Client) -> None:
    default = client.get(CITING + ".json")
    assert default.status_code == 200
    assert default.headers["content-type"].startswith("application/sparql-results+json")
    article_8 = {b["recommendation"]["value"] for b in default.json()["results"]["bindings"]}
    explicit = client.get(CITING + ".json", params={"treaty": "som", "article": "8"}).json()
    assert {b["recommendation"]["value"] for b in explicit["results"]["bindings"]} == article_8
    assert len(article_8) == 2
    article_6 = client.get(CITING + ".json", params={"article": "6"}).json()["results"]["bindings"]
    assert article_6 and {b["recommendation"]["value"] for b in article_6}.isdisjoint(article_8)
    table = client.get(CITING + ".csv", params={"article": "6"})
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {r["recommendation"] for r in rows} == {b["recommendation"]["value"] for b in article_6}


def test_the_sparql_text_of_a_named_query_runs_anywhere(client: httpx.Client) -> None:
    text = client.get(CITING + ".rq", params={"article": "6"})
    assert text.status_code == 200 and "VALUES" in text.text
    via_endpoint = select(client, text.text).json()["results"]["bindings"]
    via_api = client.get(CITING + ".json", params={"article": "6"}).json()["results"]["bindings"]
    assert via_endpoint == via_api


def test_bad_parameters_and_names_are_clear(client: httpx.Client) -> None:
    wrong = client.get(CITING + ".json", params={"article": "eight"})
    assert wrong.status_code == 400 and "must be an integer, not 'eight'" in wrong.text
    unknown = client.get(CITING + ".json", params={"foo": "1"})
    assert unknown.status_code == 400 and "it takes: treaty, article" in unknown.text
    missing_query = client.get("/queries/no-such-query.json")
    assert missing_query.status_code == 404 and "recommendations-citing-article" in missing_query.text
    assert client.get(CITING + ".xlsx").status_code == 404


def test_the_service_description_names_every_named_query(client: httpx.Client) -> None:
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and sd.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=sd.text, format="turtle")
    site = str(client.base_url).rstrip("/")
    service = URIRef(site + "/sparql")
    parts = set(graph.objects(service, DCT.hasPart))
    assert parts == {URIRef(f"{site}/queries/{name}") for name in named_queries()}
    for part in parts:
        urls = {str(u) for u in graph.objects(part, DCAT.endpointURL)}
        assert urls == {str(part) + ".json", str(part) + ".csv"}
        assert graph.value(part, DCT.title) is not None


# -- the endpoint for people -------------------------------------------------------------------


def test_a_browser_at_sparql_gets_the_query_page_and_machines_the_description(
    client: httpx.Client,
) -> None:
    browser = client.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert browser.status_code == 303 and browser.headers["location"] == "/query"
    page = client.get("/sparql", headers={"Accept": BROWSER_ACCEPT}, follow_redirects=True)
    assert "<h1>Query the graph</h1>" in page.text
    for accept in (None, "*/*", "text/turtle", "application/ld+json"):
        machine = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert machine.status_code == 200, accept
        assert not machine.headers["content-type"].startswith("text/html"), accept


def test_queries_may_leave_out_the_vocabulary_prefixes(client: httpx.Client) -> None:
    short = select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?r untoc:cites ?a ; rdfs:label ?l }")
    assert short.status_code == 200
    full = select(
        client,
        with_prologue("SELECT (COUNT(*) AS ?n) WHERE { ?r untoc:cites ?a ; rdfs:label ?l }", PREFIXES),
    )
    assert short.json() == full.json() and int(short.json()["results"]["bindings"][0]["n"]["value"]) > 10
    # a query's own declaration wins over the predeclared one
    own = select(client, "PREFIX untoc: <http://example.org/> ASK { ?r untoc:cites ?a }")
    assert own.json()["boolean"] is False


@pytest.mark.parametrize(
    "query, said",
    [
        ("SELECT * WHERE { ?s foo:cites ?o }", "prefix foo: is not declared; add PREFIX foo: <"),
        ("SELEC * WHERE { ?s ?p ?o }", "a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK"),
        ("SELECT * WHERE { ?s ?p ?o ", "line 1, column"),
        ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", "variable that is unbound"),
    ],
)
def test_syntax_errors_are_readable(client: httpx.Client, query: str, said: str) -> None:
    answer = select(client, query)
    assert answer.status_code == 400
    assert said in answer.text and "..=" not in answer.text and "\\u{" not in answer.text


def test_a_format_parameter_chooses_the_download_format(client: httpx.Client) -> None:
    query = "SELECT ?s WHERE { ?s a untoc:State } LIMIT 3"
    as_csv = client.get("/sparql", params={"query": query, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.startswith("s\r\n")
    graph = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s a untoc:State } LIMIT 3", "format": "ttl"}
    )
    assert graph.headers["content-type"].startswith("text/turtle")


# -- the pure functions ------------------------------------------------------------------------


def test_the_prologue_adds_only_what_is_used_and_undeclared() -> None:
    query = 'PREFIX rdfs: <x:> SELECT * { ?s rdfs:label "dct:no" ; untoc:x <http://a/b:c> } # owl:y'
    assert missing(query, PREFIXES) == {"untoc": PREFIXES["untoc"]}
    assert with_prologue(query, PREFIXES) == f"PREFIX untoc: <{PREFIXES['untoc']}>\n{query}"
    assert with_prologue("ASK {}", PREFIXES) == "ASK {}"


def test_an_update_is_called_one() -> None:
    assert "SPARQL Update" in explain("error at 1:1: expected CONSTRUCT", "INSERT DATA {}", PREFIXES)


def test_the_cli_accepts_inline_queries_and_explains_errors(corpus_build) -> None:
    store = str(corpus_build.build_dir.parent.parent)
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "untoc_kg.cli", "query", *args, "--store", store, "-f", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    counted = run("SELECT (COUNT(?r) AS ?n) WHERE { ?r a untoc:Recommendation }")
    assert counted.returncode == 0, counted.stderr
    assert int(counted.stdout.split()[1]) > 100
    undeclared = run("SELECT * WHERE { ?s foo:cites ?o }")
    assert undeclared.returncode != 0 and "prefix foo: is not declared" in undeclared.stderr
    update = run("INSERT DATA { <http://a> <http://b> <http://c> }")
    assert update.returncode != 0 and "SPARQL Update" in update.stderr


def test_a_browser_at_the_void_gets_the_datasets_page(client: httpx.Client) -> None:
    browser = client.get("/.well-known/void", headers={"Accept": BROWSER_ACCEPT})
    assert browser.status_code == 303 and browser.headers["location"] == "/untoc-kg/id/dataset.html"
    assert client.get(browser.headers["location"]).status_code == 200
    assert client.get("/.well-known/void").headers["content-type"].startswith("text/turtle")
