"""Links out, each checked against the table the project ships (src/untoc_kg/reference/): States and
organisations to Wikidata (one policy: the item of the State or organisation that takes part, the
Holy See as the Holy See, not Vatican City), treaties to the UN Treaty Collection with ELI's
adoption and entry-into-force dates, and documents to the UN's official document by symbol."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from functools import cache
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from untoc_kg.reference import country_codes, organization_items, treaties

UNTOC = Namespace("https://w3id.org/untoc-kg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = Namespace("https://schema.org/")
WIKIDATA = "http://www.wikidata.org/entity/"


@cache
def corpus_graph() -> Graph:
    from untoc_kg.corpus import corpus_files
    from untoc_kg.extract import extract_document
    from untoc_kg.graph import build_graph

    documents = [extract_document(path) for path in corpus_files()]
    return build_graph(documents, build_time=datetime(2024, 1, 1, tzinfo=UTC)).graph


def test_every_state_link_is_the_tables_item() -> None:
    graph = corpus_graph()
    states = set(graph.subjects(RDF.type, UNTOC.State))
    assert len(states) > 100
    for state in states:
        iso3 = str(graph.value(state, DCTERMS.identifier))
        assert list(graph.objects(state, OWL.sameAs)) == [URIRef(WIKIDATA + country_codes()[iso3].wikidata)], iso3
    items = Counter(o for s in states for o in graph.objects(s, OWL.sameAs))
    assert max(items.values()) == 1  # no two States are one item


def test_the_holy_see_is_the_holy_see() -> None:
    """The Holy See takes part in UN conferences (an observer State); Vatican City (Q237) is the
    territory it governs."""
    assert country_codes()["VAT"].wikidata == "Q159583"
    graph = corpus_graph()
    holy_see = URIRef("https://w3id.org/untoc-kg/id/state/VAT")
    if (holy_see, RDF.type, UNTOC.State) in graph:
        assert (holy_see, OWL.sameAs, URIRef(WIKIDATA + "Q159583")) in graph


def test_organisations_link_to_the_tables_item() -> None:
    graph = corpus_graph()
    linked = {
        str(s).rsplit("/", 1)[-1]: str(o).removeprefix(WIKIDATA)
        for s in graph.subjects(RDF.type, UNTOC.Organization)
        for o in graph.objects(s, OWL.sameAs)
    }
    present = {str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, UNTOC.Organization)}
    assert linked == {k: v for k, v in organization_items().items() if k in present}
    assert linked.get("eu") == "Q458"


def test_treaties_carry_eli_dates_and_the_treaty_collection() -> None:
    graph = corpus_graph()
    for key, info in treaties().items():
        treaty = URIRef("https://w3id.org/untoc-kg/id/treaty/" + key.lower())
        assert graph.value(treaty, ELI.date_document) == Literal(info.adopted, datatype=XSD.date)
        assert graph.value(treaty, ELI.first_date_entry_in_force) == Literal(info.entry_into_force, datatype=XSD.date)
        pages = {str(o) for o in graph.objects(treaty, RDFS.seeAlso)}
        untc = next(p for p in pages if p.startswith("https://treaties.un.org/"))
        assert parse_qs(urlsplit(untc).query)["mtdsg_no"] == [info.mtdsg]
        assert any(parse_qs(urlsplit(p).query).get("s") == [info.adopted_by] for p in pages)
        assert (treaty, DCTERMS.dateAccepted, None) not in graph
    assert {i.mtdsg for i in treaties().values()} == {"XVIII-12", "XVIII-12-a", "XVIII-12-b", "XVIII-12-c"}


def test_documents_link_to_the_official_document_by_symbol() -> None:
    graph = corpus_graph()
    for document in set(graph.subjects(DCTERMS.identifier, None)) & set(graph.subjects(RDF.type, UNTOC.Report)):
        symbol = str(graph.value(document, DCTERMS.identifier))
        url = urlsplit(str(graph.value(document, SCHEMA.url)))
        assert (url.scheme, url.netloc) == ("https", "documents.un.org")
        assert parse_qs(url.query)["s"] == [symbol]
