"""The dataset description of the corpus build as the server publishes it (/.well-known/void over
a real uvicorn server): one description, its version, publisher and contact point, every namespace
the data uses, the Wikidata links as a linkset, the validation report as a distribution, and the
triple count the endpoint counts."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from untoc_kg.server import create_app

DATASET = URIRef("https://w3id.org/untoc-kg/id/dataset")


@pytest.fixture(scope="module")
def site(corpus_build, live_server) -> str:
    assert corpus_build.published is not None, corpus_build.validation.report_text
    return live_server(create_app(corpus_build.build_dir.parent.parent))


@pytest.fixture(scope="module")
def void(site: str) -> Graph:
    r = httpx.get(site + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return Graph().parse(data=r.content, format="turtle")


def test_void_triples_is_what_the_endpoint_counts(site: str, void: Graph, corpus_build) -> None:
    counted = httpx.get(
        site + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert int(void.value(DATASET, VOID.triples)) == int(counted) == corpus_build.manifest["store_triples"]


def test_one_set_of_distributions(void: Graph) -> None:
    distributions = set(void.objects(DATASET, DCAT.distribution))
    assert len([d for d in distributions if (d, DCAT.byteSize, None) in void]) == 4
    assert len(distributions) == 5  # the four dumps and the validation report
    for dist in distributions:
        assert len(list(void.objects(dist, DCAT.mediaType))) == 1, dist


def test_one_description_of_the_dataset(void: Graph) -> None:
    assert len(list(void.objects(DATASET, DCTERMS.modified))) == 1
    assert (DATASET, DCTERMS.hasVersion, None) not in void
    assert void.value(DATASET, URIRef(str(DCAT) + "version")) is not None  # DCAT 3
    assert void.value(DATASET, DCTERMS.publisher) is not None
    assert void.value(void.value(DATASET, DCAT.contactPoint), URIRef("http://www.w3.org/2006/vcard/ns#fn"))


def test_every_namespace_the_data_uses_is_a_void_vocabulary(site: str, void: Graph) -> None:
    listed = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    data = Graph().parse(data=httpx.get(site + "/dumps/untoc-kg.nt").content, format="nt")
    used = {str(p) for p in data.predicates()} | {str(c) for c in data.objects(None, RDF.type)}
    unlisted = {t for t in used if not any(t.startswith(n) for n in listed)}
    assert unlisted == set()


def test_the_wikidata_links_are_a_linkset(site: str, void: Graph) -> None:
    linkset = next(void.subjects(RDF.type, VOID.Linkset))
    assert (DATASET, VOID.subset, linkset) in void
    assert void.value(linkset, VOID.linkPredicate) == URIRef("http://www.w3.org/2002/07/owl#sameAs")
    data = Graph().parse(data=httpx.get(site + "/dumps/untoc-kg.nt").content, format="nt")
    links = [o for o in data.objects(None, URIRef("http://www.w3.org/2002/07/owl#sameAs"))
             if str(o).startswith("http://www.wikidata.org/entity/")]
    assert int(void.value(linkset, VOID.triples)) == len(links) > 0


def test_the_validation_report_is_a_distribution(site: str, void: Graph) -> None:
    report = next(d for d in void.objects(DATASET, DCAT.distribution)
                  if void.value(d, DCTERMS.conformsTo) == URIRef("http://www.w3.org/ns/shacl#"))
    r = httpx.get(str(void.value(report, DCAT.downloadURL)))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    shacl = Graph().parse(data=r.content, format="turtle")
    conforms = next(shacl.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms")), None)
    assert conforms is not None and conforms.toPython() is True


