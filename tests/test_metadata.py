"""Dataset metadata and dumps over a real uvicorn server: VoID + DCAT at /.well-known/void, dumps
at stable URLs with checksums, ETag/304, licence and CORS."""

from __future__ import annotations

import gzip
import hashlib
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from sample_build import BASE, publish_sample
from untoc_kg.server import create_app

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef(BASE + "dataset")
IANA = "https://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, live_server) -> str:
    data_dir = tmp_path_factory.mktemp("metadata")
    publish_sample(data_dir)
    return live_server(create_app(data_dir))


@pytest.fixture(scope="module")
def void(site: str) -> Graph:
    r = httpx.get(site + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=r.content, format="turtle")


def test_void_says_where_and_what(site: str, void: Graph) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, VOID.sparqlEndpoint, URIRef(site + "/sparql")) in void
    assert (DATASET, VOID.uriSpace, Literal(BASE)) in void
    assert (DATASET, VOID.vocabulary, URIRef("https://w3id.org/untoc-kg/ontology#")) in void
    triples = int(void.value(DATASET, VOID.triples))
    counted = httpx.get(
        site + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert triples == int(counted)  # what the endpoint counts
    examples = {str(e) for e in void.objects(DATASET, VOID.exampleResource)}
    assert BASE + "recommendation/ctoc-cop-wg7/3/1" in examples and BASE + "state/ITA" in examples
    for example in examples:  # every example dereferences here
        assert (
            httpx.get(  # a thing's IRI answers 303 to its document, which answers 200
                site + example.replace("https://w3id.org", ""), headers={"Accept": "text/turtle"},
                follow_redirects=True,
            ).status_code
            == 200
        )
    assert void.value(DATASET, DCTERMS.license) is not None


def test_dcat_distributions_match_the_files(site: str, void: Graph) -> None:
    distributions = [d for d in void.objects(DATASET, DCAT.distribution) if (d, DCAT.byteSize, None) in void]
    assert len(distributions) == 4  # one per dump file, described once
    dumps = {urlsplit(str(u)).path for u in void.objects(DATASET, VOID.dataDump)}
    assert len(dumps) == 4
    for dist in distributions:
        assert (dist, RDF.type, DCAT.Distribution) in void
        url = void.value(dist, DCAT.downloadURL)
        assert urlsplit(str(url)).path.endswith(tuple(dumps))
        assert len(list(void.objects(dist, DCAT.mediaType))) == 1
        if str(url).endswith(".gz"):
            assert void.value(dist, DCAT.compressFormat) == URIRef(IANA + "application/gzip")
            assert str(void.value(dist, DCAT.mediaType)) in (IANA + "application/n-triples", IANA + "text/turtle")
        body = httpx.get(site + urlsplit(str(url)).path).content
        assert int(void.value(dist, DCAT.byteSize)) == len(body)
        checksum = void.value(dist, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        assert void.value(dist, DCTERMS.license) is not None
    service = next(void.subjects(RDF.type, DCAT.DataService))
    assert (service, DCAT.servesDataset, DATASET) in void


def test_void_in_every_rdf_format(site: str, void: Graph) -> None:
    for media_type, fmt in (
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ):
        r = httpx.get(site + "/.well-known/void", headers={"Accept": media_type})
        assert r.headers["content-type"].startswith(media_type)
        assert len(Graph().parse(data=r.content, format=fmt)) == len(void)
    assert httpx.get(site + "/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_dumps_at_stable_urls_with_validators_and_licence(site: str) -> None:
    plain = httpx.get(site + "/dumps/untoc-kg.ttl", headers={"Origin": "https://elsewhere.example"})
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/turtle")
    assert 'rel="license"' in plain.headers["link"]
    assert plain.headers["access-control-allow-origin"] == "*"
    zipped = httpx.get(site + "/dumps/untoc-kg.ttl.gz")
    assert gzip.decompress(zipped.content) == plain.content
    published = httpx.get(site + "/untoc-kg/dumps/untoc-kg.ttl")  # the path of the published URL
    assert published.content == plain.content
    tag = plain.headers["etag"]
    assert tag == f'"{hashlib.sha256(plain.content).hexdigest()}"'
    assert (
        httpx.get(site + "/dumps/untoc-kg.ttl", headers={"If-None-Match": tag}).status_code == 304
    )
    head = httpx.head(site + "/dumps/untoc-kg.nt.gz")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"]
    assert httpx.get(site + "/dumps/untoc-kg.xml").status_code == 404
    assert httpx.get(site + "/dumps/build.json").status_code == 404


def test_cors_preflight_allows_any_origin_without_credentials(site: str) -> None:
    r = httpx.options(
        site + "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in r.headers
