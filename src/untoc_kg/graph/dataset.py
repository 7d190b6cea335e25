"""The dataset's own description: DCAT and VoID, licence (CC BY 4.0), issue date, provenance.
The dumps describe themselves later (`untoc_kg.sparql.dumps`), once their sizes are known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from rdflib import Literal, URIRef

from untoc_kg.settings import ONTOLOGY_NAMESPACE

from .provenance import timestamp
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter
from .vocab import CC_BY_4, DCAT, DCTERMS, PROV, RDF, RDFS, VOID


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
    yield uri, VOID.vocabulary, URIRef(ONTOLOGY_NAMESPACE)
    yield uri, PROV.wasGeneratedBy, build
    if example is not None:
        yield uri, VOID.exampleResource, example
