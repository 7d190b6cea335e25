"""The published graph read as a reasoner reads it: an OWL 2 RL closure (owlrl) over the corpus
dump (which carries the vocabulary) and the vocabularies it aligns to (axiom extracts in
tests/vocabularies/, sources and licences in SOURCES.md there) has no inconsistency, and infers no
type that a reader would call absurd."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import owlrl
import pytest

pytestmark = pytest.mark.slow
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, OWL, PROV, RDF, RDFS, SKOS

VOCABULARIES = Path(__file__).parent / "vocabularies"
UNTOC = Namespace("https://w3id.org/untoc-kg/ontology#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
CITO = Namespace("http://purl.org/spar/cito/")
ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
"""Where owlrl records an inconsistency (a subject of this predicate, the message its object)."""

AGENTS = (PROV.Agent, FOAF.Agent, FOAF.Person, SCHEMA.Person, ORG.Organization, SCHEMA.Organization)
PLACES = (SCHEMA.Place, SCHEMA.Country, SCHEMA.AdministrativeArea)
ACTIVITIES = (PROV.Activity, SCHEMA.Event)
WORKS = (PROV.Entity, SCHEMA.CreativeWork, FOAF.Document, ELI.LegalResource, ELI.LegalResourceSubdivision)
FORBIDDEN: dict[URIRef, tuple[URIRef, ...]] = {
    UNTOC.Recommendation: (*AGENTS, *PLACES, *ACTIVITIES, ELI.LegalResource, ELI.LegalResourceSubdivision, SKOS.Concept),
    UNTOC.RecommendationOccurrence: (*AGENTS, *PLACES, *ACTIVITIES),
    UNTOC.QualifiedCitation: (*AGENTS, *PLACES, *ACTIVITIES, SKOS.Concept),
    UNTOC.Document: (*AGENTS, *PLACES, *ACTIVITIES, ELI.LegalResource),
    UNTOC.DocumentCopy: (*AGENTS, *PLACES, *ACTIVITIES),
    UNTOC.Meeting: (*AGENTS, *PLACES, *WORKS, SKOS.Concept),
    UNTOC.AgendaItem: (*AGENTS, *PLACES, PROV.Activity),
    UNTOC.State: (*ACTIVITIES, *WORKS, FOAF.Person, SCHEMA.Person, SKOS.Concept),
    UNTOC.Organization: (*ACTIVITIES, *WORKS, *PLACES, FOAF.Person, SCHEMA.Person, SKOS.Concept),
    UNTOC.Person: (*ACTIVITIES, *WORKS, *PLACES, ORG.Organization, SCHEMA.Organization, SKOS.Concept),
    UNTOC.Treaty: (*AGENTS, *PLACES, *ACTIVITIES),
    UNTOC.Provision: (*AGENTS, *PLACES, *ACTIVITIES),
    UNTOC.Attendance: (*AGENTS, *PLACES, *ACTIVITIES, *WORKS, ORG.Membership),
    UNTOC.Participation: (*AGENTS, *PLACES, *ACTIVITIES, *WORKS, ORG.Membership),
    UNTOC.DocumentExpression: (*AGENTS, *PLACES, *ACTIVITIES, ELI.LegalResource),
    UNTOC.TextSpan: (*AGENTS, *PLACES, *ACTIVITIES),
    UNTOC.GraphUpdate: (*AGENTS, *PLACES, *WORKS),
}
"""Asserted class -> types none of its members may be inferred to have (a recommendation that
becomes a person or a place, a State that becomes an activity, a meeting that becomes an entity)."""
NEVER_CONCEPTS = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
"""SKOS mapping properties between OWL terms would make classes and properties skos:Concepts."""


@dataclass(frozen=True)
class Closure:
    asserted: Graph
    closed: Graph
    seconds: float


@pytest.fixture(scope="module")
def closure(corpus_build) -> Closure:
    assert corpus_build.published is not None, corpus_build.validation.report_text
    asserted = Graph().parse(corpus_build.published.dumps_path / "untoc-kg.nt", format="nt")
    closed = Graph()
    for triple in asserted:
        closed.add(triple)
    for file in sorted(VOCABULARIES.glob("*.nt")):
        closed.parse(file, format="nt")
    started = time.perf_counter()
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closed)
    seconds = time.perf_counter() - started
    print(f"\nOWL 2 RL closure: {len(asserted)} asserted, {len(closed)} after closure, {seconds:.1f} s")
    return Closure(asserted, closed, seconds)


def test_the_closure_has_no_inconsistency(closure: Closure) -> None:
    errors = sorted(str(message) for _, message in closure.closed.subject_objects(ERROR))
    assert errors == [], f"{len(errors)} inconsistencies, e.g. {errors[:3]}"


def test_no_absurd_type_is_inferred(closure: Closure) -> None:
    found = []
    for asserted_class, forbidden in FORBIDDEN.items():
        members = set(closure.closed.subjects(RDF.type, asserted_class))
        assert members or asserted_class in (UNTOC.Provision,), f"no {asserted_class} in the corpus"
        for member in members:
            for wrong in forbidden:
                if (member, RDF.type, wrong) in closure.closed:
                    found.append(f"{member} ({asserted_class}) is inferred a {wrong}")
    assert found == [], f"{len(found)} absurd types, e.g. {found[:5]}"


def test_no_term_becomes_a_skos_concept(closure: Closure) -> None:
    terms = {t for kind in NEVER_CONCEPTS for t in closure.asserted.subjects(RDF.type, kind)}
    wrong = sorted(str(t) for t in terms if (t, RDF.type, SKOS.Concept) in closure.closed)
    assert wrong == []


def test_no_literal_is_given_a_class(closure: Closure) -> None:
    """A literal where the vocabularies want a resource (dct:creator "a name") becomes an agent.
    (owlrl types every literal with its datatype, owl:Thing and the anonymous unions of ranges:
    those are not classes a reader meets.)"""
    datatypes = ("http://www.w3.org/2001/XMLSchema#", str(RDF), str(RDFS))
    typed = [
        (s, o) for s, o in closure.closed.subject_objects(RDF.type)
        if isinstance(s, Literal) and isinstance(o, URIRef) and o != OWL.Thing
        and not str(o).startswith(datatypes)
    ]
    assert typed == []


def test_the_forbidden_list_can_fail() -> None:
    """The check reads types off the closure: a recommendation said to be a person is caught."""
    graph = Graph()
    rec = URIRef("https://example.org/rec")
    graph.add((rec, RDF.type, UNTOC.Recommendation))
    graph.add((rec, URIRef("http://xmlns.com/foaf/0.1/made"), URIRef("https://example.org/x")))
    graph.parse(VOCABULARIES / "foaf.nt", format="nt")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert (rec, RDF.type, FOAF.Agent) in graph
    assert FOAF.Agent in AGENTS and FOAF.Agent in FORBIDDEN[UNTOC.Recommendation]
