"""The data in the standard terms: a client that knows only ELI, schema.org, PROV, CiTO or Dublin
Core gets the same answers from the store (Oxigraph, which does no reasoning) as one that knows
the untoc vocabulary. The questions are those of the ontology review's section 4."""

from __future__ import annotations

import pyoxigraph
import pytest

from untoc_kg.datadir import open_store as open_read_only

PREFIXES = """
PREFIX untoc: <https://w3id.org/untoc-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

# (question, in untoc terms, in standard terms): each SELECT's rows are compared as sets.
QUESTIONS = [
    (
        "recommendations citing article 8 of the Smuggling of Migrants Protocol (or a part of it), "
        "with the meeting's start date and the number of States present",
        """SELECT ?rec ?start (COUNT(DISTINCT ?s) AS ?states) WHERE {
             ?art a untoc:Article ; eli:number "8" ; untoc:isPartOf+ ?t . ?t dct:identifier "SOM" .
             ?rec untoc:cites ?p . ?p untoc:isPartOf* ?art .
             ?rec untoc:adoptedAt ?m . ?m schema:startDate ?start .
             OPTIONAL { ?m untoc:attendee ?s . ?s a untoc:State }
           } GROUP BY ?rec ?start""",
        """SELECT ?rec ?start (COUNT(DISTINCT ?s) AS ?states) WHERE {
             ?art a eli:LegalResourceSubdivision ; eli:number "8" ; dct:title ?title ;
                  eli:is_part_of+ ?t . ?t a eli:LegalResource ; dct:identifier "SOM" .
             ?rec cito:cites ?p . ?p eli:is_part_of* ?art .
             ?rec prov:wasGeneratedBy ?m . ?m a schema:Event ; schema:startDate ?start .
             OPTIONAL { ?m schema:attendee ?s . ?s a schema:Country }
           } GROUP BY ?rec ?start""",
    ),
    (
        "number of recommendations per meeting",
        """SELECT ?m (COUNT(?r) AS ?n) WHERE { ?m a untoc:Meeting . ?r untoc:adoptedAt ?m } GROUP BY ?m""",
        """SELECT ?m (COUNT(?r) AS ?n) WHERE { ?m a schema:Event . ?r a schema:CreativeWork ;
             prov:wasGeneratedBy ?m } GROUP BY ?m""",
    ),
    (
        "States that attended every meeting whose attendance is recorded",
        """SELECT ?s WHERE { ?s a untoc:State .
             FILTER NOT EXISTS { ?m a untoc:Meeting . FILTER EXISTS { ?m untoc:attendee ?any }
                                 FILTER NOT EXISTS { ?m untoc:attendee ?s } } }""",
        """SELECT ?s WHERE { ?s a schema:Country .
             FILTER NOT EXISTS { ?m a schema:Event . FILTER EXISTS { ?m schema:attendee ?any }
                                 FILTER NOT EXISTS { ?m schema:attendee ?s } } }""",
    ),
    (
        "States parties present at each meeting (PROV's qualified association and its role)",
        """SELECT ?m ?s WHERE { ?a untoc:atMeeting ?m ; untoc:participant ?s ; untoc:role untoc:StateParty }""",
        """SELECT ?m ?s WHERE { ?m prov:qualifiedAssociation ?a . ?a prov:agent ?s ;
             prov:hadRole <https://w3id.org/untoc-kg/ontology#StateParty> }""",
    ),
    (
        "which document and characters attest each printing (Web Annotation's specific resource)",
        """SELECT ?rec ?copy WHERE { ?rec untoc:occurrence/untoc:span/untoc:inCopy ?copy }""",
        """SELECT ?rec ?copy WHERE { ?rec schema:workExample ?o . ?o untoc:span ?span .
             ?span a oa:SpecificResource ; oa:hasSource ?copy }""",
    ),
    (
        "the report of each meeting",
        """SELECT ?m ?d WHERE { ?d untoc:reportsOn ?m }""",
        """SELECT ?m ?d WHERE { ?d a schema:Report ; schema:about ?m }""",
    ),
]


@pytest.fixture(scope="module")
def store(corpus_build) -> pyoxigraph.Store:
    assert corpus_build.published is not None, corpus_build.validation.report_text
    return open_read_only(corpus_build.published.store_path)


def answer(store: pyoxigraph.Store, query: str) -> set[tuple[str, ...]]:
    solutions = store.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    return {tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in solutions}


@pytest.mark.parametrize(("question", "in_untoc", "in_standard"), QUESTIONS, ids=[q[0][:40] for q in QUESTIONS])
def test_the_standard_terms_give_the_same_answers(
    store: pyoxigraph.Store, question: str, in_untoc: str, in_standard: str
) -> None:
    expected = answer(store, in_untoc)
    assert expected, f"no answer in untoc terms to: {question}"
    assert answer(store, in_standard) == expected, question


STANDARD_TERMS = {
    "eli:is_part_of": "?s eli:is_part_of ?o", "cito:cites": "?s cito:cites ?o",
    "schema:attendee": "?s schema:attendee ?o", "dct:isPartOf": "?s dct:isPartOf ?o",
    "schema:about": "?s schema:about ?o", "prov:wasGeneratedBy": "?s prov:wasGeneratedBy ?o",
    "prov:qualifiedAssociation": "?s prov:qualifiedAssociation ?o",
    "a eli:LegalResourceSubdivision": "?s a eli:LegalResourceSubdivision",
    "a eli:LegalResource": "?s a eli:LegalResource", "a schema:Event": "?s a schema:Event",
    "a schema:Country": "?s a schema:Country", "a schema:Legislation": "?s a schema:Legislation",
    "a cito:Citation": "?s a cito:Citation", "a prov:Agent": "?s a prov:Agent",
    "a foaf:Person": "?s a foaf:Person", "a oa:SpecificResource": "?s a oa:SpecificResource",
}


def test_the_standard_terms_are_in_the_store(store: pyoxigraph.Store) -> None:
    """Each of them was absent (0 triples) before the build materialised the alignments."""
    counts = {
        term: int(next(iter(store.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))["n"].value)
        for term, pattern in STANDARD_TERMS.items()
    }
    print("\n" + "\n".join(f"{term}: {n}" for term, n in counts.items()))
    assert all(n > 0 for n in counts.values()), counts


def test_attendance_not_known_is_told_apart_from_none(store: pyoxigraph.Store) -> None:
    recorded = answer(store, 'SELECT ?m WHERE { ?m untoc:attendanceStatus untoc:AttendanceRecorded }')
    attended = answer(store, 'SELECT DISTINCT ?m WHERE { ?m untoc:attendee ?who }')
    unknown = answer(store, 'SELECT ?m WHERE { ?m untoc:attendanceStatus untoc:AttendanceNotRecorded }')
    assert recorded == attended and unknown and not unknown & attended
