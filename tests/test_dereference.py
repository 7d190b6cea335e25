"""Dereferencing over a real uvicorn server: 303 from a thing to its documents, formats, content
negotiation, compacted JSON-LD with the published context, caching validators, 404/406, HEAD, and
the same graph in every RDF format (rdflib and Apache Jena riot)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from jena import jena_available, run_jena
from live import raw_get
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from sample_build import BASE, publish_sample

from untoc_kg.server import create_app
from untoc_kg.server.negotiation import negotiate

THINGS = {
    "recommendation": "recommendation/ctoc-cop-wg7/3/1",
    "article": "treaty/som/article/8",
    "state": "state/ITA",
    "meeting": "meeting/ctoc-cop-wg7/3",
}
RDF = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
PATH = "/untoc-kg/id/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, live_server) -> str:
    data_dir = tmp_path_factory.mktemp("deref")
    publish_sample(data_dir)
    return live_server(create_app(data_dir))


@pytest.fixture(scope="module")
def client(site: str) -> httpx.Client:
    with httpx.Client(base_url=site, timeout=30) as c:
        yield c


def parse(body: bytes, rdflib_format: str) -> Graph:
    return Graph().parse(data=body, format=rdflib_format)


# -- negotiation, as a function ---------------------------------------------------------------

OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]


@pytest.mark.parametrize(
    "accept, chosen",
    [
        (None, "text/html"),
        ("application/ld+json;q=0.9, text/turtle", "text/turtle"),
        ("text/turtle;q=0.2, application/ld+json;q=0.9", "application/ld+json"),
        ("*/*;q=0.1, application/n-triples", "application/n-triples"),
        ("text/*;q=0.5, text/html;q=0", "text/turtle"),
        ("image/png", None),
        ("text/turtle;q=0", None),
        ("text/turtle;charset=utf-8", "text/turtle"),
        ("garbage, ;;;", "text/html"),
    ],
)
def test_negotiate_honours_lists_and_q_values(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERS) == chosen


# -- the four kinds of thing, in every format ---------------------------------------------------


@pytest.mark.parametrize("kind", THINGS)
def test_every_rdf_format_gives_the_same_graph(
    client: httpx.Client, kind: str, tmp_path: Path
) -> None:
    same_graph_in_every_format(client, THINGS[kind], tmp_path)


def same_graph_in_every_format(client: httpx.Client, thing: str, tmp_path: Path) -> None:
    """The resource `thing` (a path under the base) parses into one graph from every RDF format,
    by URL and by Accept, in rdflib and (when installed) in Apache Jena riot."""
    kind = thing.replace("/", "_")
    graphs = {}
    for ext, (media_type, rdflib_format) in RDF.items():
        by_url = client.get(PATH + thing + "." + ext)
        redirect = client.get(PATH + thing, headers={"Accept": media_type})
        assert redirect.status_code == 303
        assert redirect.headers["location"] == PATH + thing + "." + ext
        assert "Accept" in redirect.headers["vary"]
        by_accept = client.get(PATH + thing, headers={"Accept": media_type}, follow_redirects=True)
        assert by_url.status_code == by_accept.status_code == 200
        assert by_url.headers["content-type"].startswith(media_type)
        assert by_accept.headers["content-type"].startswith(media_type)
        graphs[ext] = parse(by_url.content, rdflib_format)
        assert isomorphic(graphs[ext], parse(by_accept.content, rdflib_format))
        (tmp_path / f"{kind}.{ext}").write_bytes(by_url.content)
    reference = graphs["nt"]
    assert len(reference) > 3
    assert any(str(s) == BASE + thing for s in reference.subjects())
    for ext, graph in graphs.items():
        assert isomorphic(graph, reference), f"{kind}.{ext} differs from N-Triples"
    if jena_available():
        for ext in RDF:
            syntax = (
                ["--syntax=jsonld10"] if ext == "jsonld" else []
            )  # Debian's Jena: JSON-LD 1.0 reader
            done = run_jena("riot", *syntax, "--out=nt", str(tmp_path / f"{kind}.{ext}"))
            assert done.returncode == 0, done.stderr
            assert isomorphic(parse(done.stdout.encode(), "nt"), reference), f"riot: {kind}.{ext}"


@pytest.mark.parametrize("kind", THINGS)
def test_html_page_names_the_thing(client: httpx.Client, kind: str) -> None:
    page = client.get(PATH + THINGS[kind], headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    label = next(
        iter(
            parse(client.get(PATH + THINGS[kind] + ".nt").content, "nt").objects(
                predicate=__import__("rdflib").RDFS.label,
                subject=__import__("rdflib").URIRef(BASE + THINGS[kind]),
            )
        )
    )
    assert f"<h1>{label}</h1>" in page.text


# -- protocol details --------------------------------------------------------------------------


def test_a_thing_answers_303_to_the_document_the_client_prefers(client: httpx.Client) -> None:
    r = client.get(
        PATH + "state/ITA", headers={"Accept": "application/rdf+xml;q=0.5, text/turtle;q=0.8"}
    )
    assert r.status_code == 303 and r.headers["location"] == PATH + "state/ITA.ttl"
    assert "Accept" in r.headers["vary"] and "max-age" in r.headers["cache-control"]
    link = r.headers["link"]
    for ext, (media_type, _) in RDF.items():
        assert f'<{PATH}state/ITA.{ext}>; rel="alternate"; type="{media_type}"' in link
    document = client.get(r.headers["location"])
    assert document.status_code == 200 and document.headers["content-type"].startswith("text/turtle")
    assert "vary" not in document.headers or "Accept" not in document.headers["vary"]
    assert f'<{PATH}state/ITA.html>; rel="alternate"' in document.headers["link"]
    browser = client.get(
        PATH + "state/ITA",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert browser.status_code == 303 and browser.headers["location"] == PATH + "state/ITA.html"
    assert client.head(PATH + "state/ITA").status_code == 303
    paged = client.get(PATH + "state/ITA?after=x", headers={"Accept": "text/html"})
    assert paged.headers["location"] == PATH + "state/ITA.html?after=x"


def test_the_vocabulary_answers_at_its_own_iri(client: httpx.Client) -> None:
    """A hash namespace: the vocabulary's IRI is its document (no 303), negotiated."""
    r = client.get("/untoc-kg/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "Accept" in r.headers["vary"]
    assert r.headers["content-location"] == "/untoc-kg/ontology.ttl"


def test_json_ld_is_compacted_with_the_published_context(client: httpx.Client) -> None:
    import json

    context = client.get("/context.jsonld")
    assert context.status_code == 200
    assert context.headers["content-type"].startswith("application/ld+json")
    terms = context.json()["@context"]
    assert terms["untoc"] == "https://w3id.org/untoc-kg/ontology#"
    assert terms["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    document = client.get(PATH + "state/ITA.jsonld")
    body = json.loads(document.content)
    assert body["@context"] == terms
    keys = {key for node in body["@graph"] for key in node}
    assert "rdfs:label" in keys
    assert not any(key.startswith("http://www.w3.org/2000/01/rdf-schema#") for key in keys)
    assert '</context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"' in document.headers["link"]
    expanded = Graph().parse(data=document.content, format="json-ld")
    assert isomorphic(expanded, parse(client.get(PATH + "state/ITA.nt").content, "nt"))


def test_application_json_is_served_as_json_ld(client: httpx.Client) -> None:
    r = client.get(PATH + "state/ITA", headers={"Accept": "application/json"})
    assert r.status_code == 303 and r.headers["location"] == PATH + "state/ITA.jsonld"
    document = client.get(r.headers["location"], headers={"Accept": "application/json"})
    assert document.status_code == 200
    assert document.json()["@context"]["untoc"] == "https://w3id.org/untoc-kg/ontology#"
    vocabulary = client.get("/untoc-kg/ontology", headers={"Accept": "application/json"})
    assert vocabulary.status_code == 200
    assert vocabulary.headers["content-type"].startswith("application/ld+json")


def test_unsatisfiable_accept_is_406(client: httpx.Client) -> None:
    r = client.get(PATH + "state/ITA", headers={"Accept": "image/png, text/turtle;q=0"})
    assert r.status_code == 406
    assert PATH + "state/ITA.ttl" in r.text


def test_unknown_uri_is_a_real_404_in_the_format_asked(client: httpx.Client) -> None:
    html = client.get(PATH + "state/XXX", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "Not found" in html.text
    turtle = client.get(PATH + "state/XXX", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404 and turtle.headers["content-type"].startswith("text/turtle")
    assert len(parse(turtle.content, "turtle")) == 0
    assert client.get("/no/such/thing").status_code == 404
    assert client.get(PATH + "state/XXX.ttl").status_code == 404


def test_etag_gives_304_and_differs_by_format(client: httpx.Client) -> None:
    first = client.get(PATH + "meeting/ctoc-cop-wg7/3.ttl")
    tag = first.headers["etag"]
    assert first.headers["last-modified"] and "max-age" in first.headers["cache-control"]
    again = client.get(PATH + "meeting/ctoc-cop-wg7/3.ttl", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = client.get(PATH + "meeting/ctoc-cop-wg7/3.nt", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag
    vocabulary = client.get("/untoc-kg/ontology", headers={"Accept": "text/turtle"})
    revalidated = client.get(
        "/untoc-kg/ontology",
        headers={"Accept": "text/turtle", "If-None-Match": vocabulary.headers["etag"]},
    )
    assert revalidated.status_code == 304


def test_head_has_the_headers_and_no_body(client: httpx.Client) -> None:
    get = client.get(PATH + "state/ITA.jsonld")
    head = client.head(PATH + "state/ITA.jsonld")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == get.headers["content-type"]


def test_ontology_and_dataset_dereference(client: httpx.Client) -> None:
    html = client.get("/untoc-kg/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Recommendation" in html.text
    turtle = client.get("/untoc-kg/ontology", headers={"Accept": "text/turtle"})
    graph = parse(turtle.content, "turtle")
    assert (
        None,
        None,
        __import__("rdflib").URIRef("https://w3id.org/untoc-kg/ontology#Recommendation"),
    ) in graph or any(str(s).endswith("#Recommendation") for s in graph.subjects())
    dataset = client.get(PATH + "dataset.ttl")
    assert dataset.status_code == 200 and "untoc-kg sample" in dataset.text


@pytest.mark.parametrize(
    "path",
    [
        PATH + "../../etc/passwd",
        PATH + "%2e%2e/%2e%2e/etc/passwd",
        PATH + "state/..%2f..%2fbuild.json",
        "/dumps/..%2fbuild.json",
        "/dumps/%2e%2e%2fbuild.json",
        "/untoc-kg/dumps/..%2F..%2Fbuild.json",
    ],
)
def test_path_traversal_is_refused(site: str, path: str) -> None:
    status, answer = raw_get(site, path)
    assert status in (400, 404)
    assert b"build_id" not in answer and b"root:" not in answer


# -- the real corpus ---------------------------------------------------------------------------

CORPUS_THINGS = {
    "recommendation": "recommendation/ctoc-cop-wg7/3/1",
    "article": "treaty/som/article/8",
    "state": "state/ITA",
    "meeting": "meeting/ctoc-cop-wg7/3",
}


@pytest.fixture(scope="module")
def corpus_client(corpus_build, live_server) -> httpx.Client:
    assert corpus_build.ok
    data_dir = corpus_build.build_dir.parent.parent
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30) as c:
        yield c


@pytest.mark.parametrize("kind", CORPUS_THINGS)
def test_corpus_things_in_every_format(
    corpus_client: httpx.Client, kind: str, tmp_path: Path
) -> None:
    same_graph_in_every_format(corpus_client, CORPUS_THINGS[kind], tmp_path)
    page = corpus_client.get(
        PATH + CORPUS_THINGS[kind], headers={"Accept": "text/html"}, follow_redirects=True
    )
    assert page.status_code == 200 and "<h1>" in page.text


def test_every_uri_of_the_corpus_dereferences(corpus_build, corpus_client: httpx.Client) -> None:
    dump = (corpus_build.build_dir / "dumps" / "untoc-kg.nt").read_bytes()
    graph = Graph().parse(data=dump, format="nt")
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    ours = {iri for iri in iris if iri.startswith(BASE)}
    vocabulary = {
        iri.split("#")[0] for iri in iris if iri.startswith("https://w3id.org/untoc-kg/ontology")
    }
    assert len(ours) > 500 and "https://w3id.org/untoc-kg/ontology" in vocabulary
    def answer(iri: str) -> tuple[int, int]:
        """(status at the IRI, status of the document it leads to)."""
        path = iri.removeprefix("https://w3id.org")
        first = corpus_client.head(path, headers={"Accept": "text/turtle"})
        if first.status_code != 303:
            return first.status_code, first.status_code
        return 303, corpus_client.head(first.headers["location"]).status_code

    failed = [
        iri
        for iri in sorted(ours | vocabulary)
        if answer(iri) != ((303, 200) if iri.startswith(BASE) else (200, 200))
    ]
    assert failed == []
