"""ontology: the vocabulary parses everywhere, declares what the data uses, and documents itself."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pyoxigraph
import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from untoc_kg.ontology import (
    NS,
    ONTOLOGY_IRI,
    ontology_graph,
    ontology_html,
    ontology_turtle,
)

WELL_KNOWN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
    "https://schema.org/", "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/org#",
    "http://data.europa.eu/eli/ontology#", "http://spdx.org/rdf/terms#", "http://rdfs.org/ns/void#",
    "http://www.w3.org/ns/dcat#", "http://purl.org/spar/cito/", "http://www.w3.org/ns/oa#",
    "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2006/vcard/ns#",
)
ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, RDFS.seeAlso)
"""Exact alignments are axioms; close ones a note (rdfs:seeAlso with a skos:scopeNote)."""
SKOS_MAPPINGS = (SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, SKOS.mappingRelation)


@pytest.fixture(scope="module")
def vocabulary():
    return ontology_graph()


def local_terms(graph):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(NS))}


def test_no_skos_mapping_property_between_owl_terms(vocabulary):
    """SKOS mapping properties have the domain and range skos:Concept: between OWL classes and
    properties they would make them concepts (and closeMatch is symmetric)."""
    assert [t for p in SKOS_MAPPINGS for t in vocabulary.triples((None, p, None))] == []


def test_close_alignments_say_how_they_differ(vocabulary):
    for term, external in vocabulary.subject_objects(RDFS.seeAlso):
        if str(term).startswith(str(NS)):
            notes = [str(n) for n in vocabulary.objects(term, SKOS.scopeNote)]
            assert any(vocabulary.qname(external) in n for n in notes), (term, external)


def test_parses_in_rdflib_and_pyoxigraph(vocabulary):
    store = pyoxigraph.Store()
    store.load(ontology_turtle().encode(), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(vocabulary) > 300


def test_ontology_header(vocabulary):
    ontology = URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in vocabulary
    for prop in ("versionIRI",):
        assert vocabulary.value(ontology, OWL[prop]) is not None
    dct = "http://purl.org/dc/terms/"
    assert vocabulary.value(ontology, URIRef(dct + "license")) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for prop in ("title", "created", "modified"):
        assert vocabulary.value(ontology, URIRef(dct + prop)) is not None


def test_no_term_declared_twice():
    subjects = re.findall(r"^(untoc:\w+) a ", ontology_turtle(), flags=re.MULTILINE)
    assert subjects and [s for s, n in Counter(subjects).items() if n > 1] == []


def test_every_local_term_has_label_comment_definition_and_alignment(vocabulary):
    terms = local_terms(vocabulary)
    assert len(terms) > 60
    for term in terms:
        assert vocabulary.value(term, RDFS.label) is not None, term
        assert vocabulary.value(term, RDFS.comment) is not None, term
        assert vocabulary.value(term, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI), term
        assert any(vocabulary.value(term, p) is not None for p in ALIGNMENTS), f"{term} is not aligned"


def test_roles_and_modes_are_documented_concepts(vocabulary):
    for scheme, expected in ((NS.AttendanceRoles, 6), (NS.CitationModes, 2)):
        members = set(vocabulary.subjects(SKOS.inScheme, scheme))
        assert len(members) == expected
        for member in members:
            assert vocabulary.value(member, RDFS.comment) is not None, member


def test_every_term_the_corpus_graph_uses_is_declared_or_well_known(vocabulary):
    from untoc_kg.corpus import corpus_files
    from untoc_kg.extract import extract_document
    from untoc_kg.graph import build_graph

    documents = [extract_document(path) for path in corpus_files()]
    graph = build_graph(documents, build_time=datetime(2024, 1, 1, tzinfo=UTC)).graph
    graph -= vocabulary  # the build carries the vocabulary; judge the data alone
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    declared = set(vocabulary.subjects(RDF.type, None))
    unknown = {t for t in used if t not in declared and not str(t).startswith(WELL_KNOWN)}
    assert unknown == set()
    local_used = {t for t in used if str(t).startswith(str(NS))}
    assert local_used <= declared
    assert len(local_used) > 40


def test_html_documentation_names_every_class():
    html = ontology_html()
    assert html.lstrip().lower().startswith("<!doctype html")
    for name in ("Recommendation", "RecommendationOccurrence", "Attendance", "QualifiedCitation"):
        assert name in html


def test_the_endpoint_limits_in_the_service_description_are_declared(vocabulary):
    from untoc_kg.server.limits import QueryLimits
    from untoc_kg.server.service_description import service_description

    described = service_description(
        "http://127.0.0.1/sparql", "http://127.0.0.1/.well-known/void", None, QueryLimits()
    )
    ours = {URIRef(t.predicate.value) for t in described if t.predicate.value.startswith(str(NS))}
    assert len(ours) == 3
    assert ours <= local_terms(vocabulary)
