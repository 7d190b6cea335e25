"""Real SPARQL clients get the same answers from the endpoint as plain HTTP does: SPARQLWrapper
(GET and POST, JSON and XML), rdflib's SPARQLStore, and Apache Jena's rsparql (Debian)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import rdflib
import rdflib.compare
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, POST, XML, SPARQLWrapper

from jena import jena_available, run_jena
from sparql_server import EX, Endpoint, sparql_endpoint  # noqa: F401  (fixture)

SELECT = f"""SELECT ?r ?p ?o WHERE {{
  ?r ?p ?o . FILTER(?p IN (<{EX}label>, <{EX}number>, <{EX}adopted>, <{EX}score>, <{EX}cites>))
}}"""
"""Rows with language-tagged, typed and escaped literals and IRIs."""
ASK = f"ASK {{ <{EX}r2> <{EX}cites> <{EX}article9> }}"
CONSTRUCT = f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ ?r ?p ?o . ?r <{EX}cites> <{EX}article8> }}"

Term = tuple[str, str, str]


def term(binding: dict[str, str]) -> Term:
    """A SPARQL JSON term as (kind, value, language or datatype), whatever the client's dialect."""
    kind = {"typed-literal": "literal"}.get(binding["type"], binding["type"])
    extra = binding.get("xml:lang") or binding.get("datatype") or ""
    return kind, binding["value"], extra


def json_rows(document: dict) -> set[tuple[Term, ...]]:
    names = document["head"]["vars"]
    return {
        tuple(term(b[n]) for n in names) for b in document["results"]["bindings"]
    }


def rdflib_term(node: rdflib.term.Node) -> Term:
    if isinstance(node, rdflib.URIRef):
        return "uri", str(node), ""
    if isinstance(node, rdflib.Literal):
        return "literal", str(node), node.language or (str(node.datatype) if node.datatype else "")
    return "bnode", str(node), ""


def xml_rows(document) -> set[tuple[Term, ...]]:
    """Rows of the DOM SPARQLWrapper returns for XML results."""
    names = [v.getAttribute("name") for v in document.getElementsByTagName("variable")]
    found = set()
    for result in document.getElementsByTagName("result"):
        row = {}
        for binding in result.getElementsByTagName("binding"):
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = "".join(t.data for t in node.childNodes if t.nodeType == t.TEXT_NODE)
            kind = {"uri": "uri", "literal": "literal", "bnode": "bnode"}[node.tagName]
            extra = node.getAttribute("xml:lang") or node.getAttribute("datatype")
            row[binding.getAttribute("name")] = (kind, text, extra)
        found.add(tuple(row[n] for n in names))
    return found


@pytest.fixture(scope="module")
def plain(sparql_endpoint: Endpoint) -> dict[str, object]:
    """The answers plain HTTP gets: the reference the clients are held to."""
    def ask(query: str, accept: str) -> httpx.Response:
        response = httpx.get(sparql_endpoint.url, params={"query": query}, headers={"accept": accept})
        assert response.status_code == 200, response.text
        return response

    select = json_rows(ask(SELECT, "application/sparql-results+json").json())
    assert len(select) == 10
    assert any(t[2] == "fr" for row in select for t in row)
    assert any("\t" in t[1] and "\n" in t[1] for row in select for t in row)
    return {
        "select": select,
        "ask": ask(ASK, "application/sparql-results+json").json()["boolean"],
        "construct": rdflib.Graph().parse(data=ask(CONSTRUCT, "text/turtle").text, format="turtle"),
    }


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_select_and_ask(
    sparql_endpoint: Endpoint, plain: dict, method: str, return_format: str
) -> None:
    client = SPARQLWrapper(sparql_endpoint.url)
    client.setMethod(method)
    client.setReturnFormat(return_format)
    client.setQuery(SELECT)
    converted = client.query().convert()
    rows = json_rows(converted) if return_format == JSON else xml_rows(converted)
    assert rows == plain["select"]

    client.setQuery(ASK)
    converted = client.query().convert()
    if return_format == JSON:
        assert converted["boolean"] is plain["ask"]
    else:
        text = converted.getElementsByTagName("boolean")[0].firstChild.data
        assert (text == "true") is plain["ask"]


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_construct(sparql_endpoint: Endpoint, plain: dict, method: str) -> None:
    client = SPARQLWrapper(sparql_endpoint.url)
    client.setMethod(method)
    client.setQuery(CONSTRUCT)
    found = client.queryAndConvert()
    assert isinstance(found, rdflib.Graph)
    assert rdflib.compare.isomorphic(found, plain["construct"])


def test_rdflib_sparqlstore(sparql_endpoint: Endpoint, plain: dict) -> None:
    graph = rdflib.Graph(SPARQLStore(query_endpoint=sparql_endpoint.url))
    rows = {tuple(rdflib_term(node) for node in row) for row in graph.query(SELECT)}
    assert rows == plain["select"]
    assert graph.query(ASK).askAnswer is plain["ask"]
    found = rdflib.Graph()
    for triple in graph.query(CONSTRUCT):
        found.add(triple)
    assert rdflib.compare.isomorphic(found, plain["construct"])


@pytest.mark.skipif(not jena_available(), reason="Jena is installed by tests/install.sh")
@pytest.mark.parametrize("post", [False, True])
def test_jena_rsparql(sparql_endpoint: Endpoint, plain: dict, tmp_path: Path, post: bool) -> None:
    def rsparql(query: str, results: str) -> str:
        query_file = tmp_path / "query.rq"
        query_file.write_text(query, encoding="utf-8")
        arguments = [f"--service={sparql_endpoint.url}", f"--query={query_file}", f"--results={results}"]
        done = run_jena("rsparql", *arguments, *(["--post"] if post else []))
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert json_rows(json.loads(rsparql(SELECT, "JSON"))) == plain["select"]
    assert json.loads(rsparql(ASK, "JSON"))["boolean"] is plain["ask"]
    constructed = rdflib.Graph().parse(data=rsparql(CONSTRUCT, "NT"), format="nt")
    assert rdflib.compare.isomorphic(constructed, plain["construct"])
