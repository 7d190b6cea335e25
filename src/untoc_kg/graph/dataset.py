"""The dataset's own description: DCAT and VoID, licence (CC BY 4.0), issue date, provenance.
The dumps describe themselves later (`untoc_kg.datadir.dumps`), once their sizes are known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from rdflib import Literal, URIRef

from untoc_kg.settings import ONTOLOGY_NAMESPACE

from .provenance import timestamp
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter
from untoc_kg.vocab import CC_BY_4, DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID

PROJECT = URIRef("https://w3id.org/untoc-kg/id/project")
"""The publisher and creator (the ontology declares it, a foaf:Organization)."""
VCARD = "http://www.w3.org/2006/vcard/ns#"
WIKIDATA = URIRef("https://www.wikidata.org/")
NAMESPACES_USED = (
    ONTOLOGY_NAMESPACE,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#", "http://www.w3.org/ns/prov#",
    "https://schema.org/", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/org#",
    "http://spdx.org/rdf/terms#", "http://rdfs.org/ns/void#", "http://purl.org/spar/cito/",
    "http://www.w3.org/ns/oa#", "http://xmlns.com/foaf/0.1/", "http://purl.org/vocab/vann/",
    "http://www.w3.org/2006/vcard/ns#", "http://www.w3.org/ns/sparql-service-description#",
)
"""Every namespace whose terms the data uses (tests/test_metadata.py checks it on the corpus)."""


@standard_terms
def dataset_triples(
    mint: Minter, build: URIRef, build_time: datetime, tool_version: str, example: URIRef | None
) -> Iterator[Triple]:
    uri = mint.dataset()
    title = "untoc-kg: recommendations of the UNTOC working groups"
    yield uri, RDF.type, DCAT.Dataset
    yield uri, RDF.type, VOID.Dataset
    yield uri, RDFS.label, en(title)
    yield uri, DCTERMS.title, en(title)
    yield uri, DCTERMS.description, en(
        "Meetings, attendance, recommendations and the treaty provisions they cite, extracted from "
        "the reports of the working groups of the Conference of the Parties to the United Nations "
        "Convention against Transnational Organized Crime."
    )
    yield uri, DCTERMS.license, URIRef(CC_BY_4)
    yield uri, DCTERMS.issued, timestamp(build_time)
    yield uri, DCTERMS.modified, timestamp(build_time)
    yield uri, VOID.uriSpace, Literal(mint.base)
    for namespace in NAMESPACES_USED:
        yield uri, VOID.vocabulary, URIRef(namespace)
    yield uri, DCTERMS.publisher, PROJECT
    yield uri, DCTERMS.creator, PROJECT
    contact = URIRef(f"{uri}/contact")
    yield uri, DCAT.contactPoint, contact
    yield contact, RDF.type, URIRef(VCARD + "Organization")
    yield contact, URIRef(VCARD + "fn"), Literal("untoc-kg project")
    yield contact, URIRef(VCARD + "hasURL"), URIRef("https://w3id.org/untoc-kg/")
    # The States' owl:sameAs links to Wikidata, as a VoID linkset (the server adds its size).
    linkset = URIRef(f"{uri}/linkset/wikidata")
    yield uri, VOID.subset, linkset
    yield linkset, RDF.type, VOID.Linkset
    yield linkset, RDFS.label, en("Links to Wikidata (owl:sameAs)")
    yield linkset, VOID.linkPredicate, OWL.sameAs
    yield linkset, VOID.subjectsTarget, uri
    yield linkset, VOID.objectsTarget, WIKIDATA
    yield uri, PROV.wasGeneratedBy, build
    if example is not None:
        yield uri, VOID.exampleResource, example
