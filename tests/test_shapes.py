"""The SHACL gate: a small valid graph conforms, and every shape catches the break it is for, with a
message a person understands. Each case takes the valid graph, changes one thing, and expects
exactly that shape to complain."""

from __future__ import annotations

from importlib.resources import files

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from untoc_kg.shapes import shapes_graph, validate

SHAPES = "https://w3id.org/untoc-kg/shapes#"
PREFIXES = """
@prefix untoc: <https://w3id.org/untoc-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix ex: <https://example.org/kg/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
VALID = (
    PREFIXES
    + """
ex:dataset a dcat:Dataset ; dct:title "A test dataset"@en ;
    dct:license <https://creativecommons.org/licenses/by/4.0/> ; dcat:distribution ex:dist .
ex:dist a dcat:Distribution ; dcat:downloadURL <https://example.org/dumps/x.nt> ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/application/n-triples> .

ex:body\\/wg a untoc:WorkingGroup ; rdfs:label "Working Group"@en ; dct:identifier "WG.1" .
ex:treaty\\/ctoc a untoc:Convention ; dct:identifier "CTOC" ; rdfs:label "Convention"@en .
ex:treaty\\/som a untoc:Protocol ; dct:identifier "SOM" ; rdfs:label "Protocol"@en ;
    eli:date_document "2000-11-15"^^xsd:date ; eli:first_date_entry_in_force "2004-01-28"^^xsd:date ;
    untoc:supplements ex:treaty\\/ctoc .
ex:treaty\\/som\\/chapter\\/ii a untoc:Chapter ; eli:number "II" ; untoc:isPartOf ex:treaty\\/som .
ex:treaty\\/som\\/article\\/8 a untoc:Article ; eli:number "8" ; rdfs:label "Article 8"@en ;
    untoc:isPartOf ex:treaty\\/som\\/chapter\\/ii .
ex:treaty\\/som\\/article\\/8\\/paragraph\\/2 a untoc:Paragraph ; eli:number "2" ;
    untoc:isPartOf ex:treaty\\/som\\/article\\/8 .
ex:treaty\\/som\\/article\\/8\\/paragraph\\/2\\/subparagraph\\/a a untoc:Subparagraph ;
    eli:number "a" ; untoc:isPartOf ex:treaty\\/som\\/article\\/8\\/paragraph\\/2 .

ex:state\\/ITA a untoc:State ; dct:identifier "ITA" ; rdfs:label "Italy"@en ;
    owl:sameAs <http://www.wikidata.org/entity/Q38> .
ex:organization\\/iom a untoc:Organization ; rdfs:label "IOM"@en .
ex:person\\/chair a untoc:Person ; rdfs:label "A. Chair" ; untoc:state ex:state\\/ITA .

ex:meeting\\/wg\\/2 a untoc:Meeting ; rdfs:label "Second meeting"@en ; untoc:ordinal "2"^^xsd:integer ;
    untoc:meetingOf ex:body\\/wg ; schema:startDate "2013-11-11"^^xsd:date ;
    schema:endDate "2013-11-13"^^xsd:date ; untoc:chair ex:person\\/chair ;
    untoc:agendaItem ex:meeting\\/wg\\/2\\/agenda\\/1 ; untoc:attendance ex:attendance\\/wg\\/2\\/ITA ;
    schema:subjectOf ex:document\\/WG-2013-5 .
ex:meeting\\/wg\\/2\\/agenda\\/1 a untoc:AgendaItem ; rdfs:label "1. Opening"@en ;
    untoc:agendaItem ex:meeting\\/wg\\/2\\/agenda\\/1\\/a .
ex:meeting\\/wg\\/2\\/agenda\\/1\\/a a untoc:AgendaItem ; rdfs:label "(a) Election"@en .
ex:meeting\\/wg\\/2 untoc:participation ex:meeting\\/wg\\/2\\/participation\\/chair .
ex:meeting\\/wg\\/2\\/participation\\/chair a untoc:Participation ; prov:agent ex:person\\/chair ;
    prov:hadRole untoc:Chair ; untoc:onBehalfOf ex:state\\/ITA .
ex:attendance\\/wg\\/2\\/ITA a untoc:Attendance ; untoc:atMeeting ex:meeting\\/wg\\/2 ;
    untoc:participant ex:state\\/ITA ; untoc:role untoc:StateParty .

ex:copy\\/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa a untoc:DocumentCopy ;
    spdx:fileName "report.txt" ; spdx:checksum ex:checksum .
ex:checksum a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
    spdx:checksumValue "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"^^xsd:hexBinary .
ex:document\\/WG-2013-5\\/en a untoc:DocumentExpression ; schema:inLanguage "en" ;
    schema:encoding ex:copy\\/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa .
ex:document\\/WG-2013-5 untoc:expression ex:document\\/WG-2013-5\\/en .
ex:document\\/WG-2013-5 a untoc:Report ; dct:title "Report"@en ; dct:identifier "WG/2013/5" ;
    dct:issued "2013-11-20"^^xsd:date ; dct:creator ex:body\\/wg ;
    untoc:hasCopy ex:copy\\/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa .

ex:recommendation\\/wg\\/2\\/1 a untoc:Recommendation ; rdfs:label "Recommendation 2/1"@en ;
    untoc:text "States parties should consider article 8."@en ; untoc:adoptedAt ex:meeting\\/wg\\/2 ;
    untoc:position "1"^^xsd:integer ; untoc:occurrence ex:recommendation\\/wg\\/2\\/1\\/in\\/d ;
    untoc:cites ex:treaty\\/som\\/article\\/8 ; untoc:subItem ex:recommendation\\/wg\\/2\\/1\\/a ;
    untoc:section ex:meeting\\/wg\\/2\\/section\\/a ; untoc:addressee ex:addressee\\/states-parties .
ex:recommendation\\/wg\\/2\\/1\\/in\\/d a untoc:RecommendationOccurrence ;
    untoc:inDocument ex:document\\/WG-2013-5 ; untoc:paragraphLabel "5" ; untoc:span ex:span .
ex:span a untoc:TextSpan ; untoc:startOffset "10"^^xsd:integer ;
    untoc:endOffset "99"^^xsd:integer ;
    untoc:inCopy ex:copy\\/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa .
ex:recommendation\\/wg\\/2\\/1\\/a a untoc:SubItem ; untoc:text "(a) do this"@en .
ex:meeting\\/wg\\/2\\/section\\/a a untoc:Section ; rdfs:label "A. Prevention"@en ;
    untoc:sectionOf ex:meeting\\/wg\\/2 .
ex:addressee\\/states-parties a untoc:Addressee ; rdfs:label "States parties"@en .
ex:citation a untoc:QualifiedCitation ; untoc:citingRecommendation ex:recommendation\\/wg\\/2\\/1 ;
    untoc:citedProvision ex:treaty\\/som\\/article\\/8 ; untoc:citationMode untoc:Explicit .

ex:software a prov:SoftwareAgent .
ex:build\\/1 a untoc:GraphUpdate ; prov:endedAtTime "2026-01-01T00:00:00+00:00"^^xsd:dateTime ;
    prov:wasAssociatedWith ex:software ;
    prov:used ex:copy\\/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa .
ex:build\\/2 a untoc:GraphUpdate ; prov:endedAtTime "2026-02-01T00:00:00+00:00"^^xsd:dateTime ;
    prov:wasAssociatedWith ex:software ; prov:wasInformedBy ex:build\\/1 ;
    prov:invalidated ex:copy\\/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb .
ex:copy\\/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb a untoc:DocumentCopy ; spdx:fileName "report-old.txt" ; spdx:checksum ex:checksum ;
    prov:wasInvalidatedBy ex:build\\/2 ;
    prov:invalidatedAtTime "2026-02-01T00:00:00+00:00"^^xsd:dateTime ;
    dct:isVersionOf ex:document\\/WG-2013-5 ;
    dct:isReplacedBy ex:copy\\/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa .
ex:copy\\/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\\/printing\\/wg\\/2\\/1 a untoc:ReplacedPrinting ;
    untoc:printingOf ex:recommendation\\/wg\\/2\\/1 ; untoc:printedIn ex:copy\\/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ;
    untoc:text "States parties should consider article 7."@en .
"""
)

REC = "<https://example.org/kg/recommendation/wg/2/1>"
MEETING = "<https://example.org/kg/meeting/wg/2>"
ARTICLE = "<https://example.org/kg/treaty/som/article/8>"
DOC = "<https://example.org/kg/document/WG-2013-5>"
COPY = "<https://example.org/kg/copy/" + "a" * 64 + ">"

# (shape, SPARQL update breaking the valid graph in one way, words the message must contain)
CASES = [
    ("Recommendation", f"DELETE WHERE {{ {REC} untoc:text ?t }}", "needs its text"),
    (
        "Recommendation",
        f"DELETE WHERE {{ {REC} untoc:adoptedAt ?m }}",
        "exactly one meeting",
    ),
    ("Recommendation", f"INSERT DATA {{ {REC} untoc:position 0 }}", "position"),
    (
        "Recommendation",
        f"DELETE WHERE {{ {REC} untoc:occurrence ?o }}",
        "must be printed somewhere",
    ),
    (
        "Recommendation",
        f"INSERT DATA {{ {REC} untoc:cites {MEETING} }}",
        "only cite treaty provisions",
    ),
    ("Recommendation", f"DELETE WHERE {{ {REC} rdfs:label ?l }}", "needs a label"),
    (
        "Recommendation",
        "INSERT DATA { <https://example.org/kg/rec-7> a untoc:Recommendation }",
        "URI must end in recommendation/",
    ),
    (
        "RecommendationOccurrence",
        "DELETE WHERE { ?o untoc:inDocument ?d }",
        "exactly one document",
    ),
    (
        "RecommendationOccurrence",
        'INSERT DATA { ?o untoc:paragraphLabel "6" } ; '.replace(
            "?o", "<https://example.org/kg/recommendation/wg/2/1/in/d>"
        ).rstrip(" ;"),
        "at most one paragraph label",
    ),
    (
        "SubItem",
        "DELETE { ?s untoc:text ?t } WHERE { ?s a untoc:SubItem ; untoc:text ?t }",
        "sub-item needs its text",
    ),
    ("Section", "DELETE WHERE { ?s untoc:sectionOf ?m }", "exactly one meeting"),
    (
        "Addressee",
        "DELETE { ?a rdfs:label ?l } WHERE { ?a a untoc:Addressee ; rdfs:label ?l }",
        "addressee needs a label",
    ),
    (
        "QualifiedCitation",
        "DELETE WHERE { ?c untoc:citedProvision ?p }",
        "cite exactly one treaty provision",
    ),
    (
        "QualifiedCitation",
        "DELETE { ?c untoc:citationMode ?m } INSERT { ?c untoc:citationMode untoc:Guessed } WHERE { ?c untoc:citationMode ?m }",
        "Explicit or untoc:Context",
    ),
    (
        "Document",
        f"DELETE WHERE {{ {DOC} untoc:hasCopy ?c }}",
        "at least one source copy",
    ),
    (
        "Document",
        f'INSERT DATA {{ {DOC} dct:issued "20 November 2013" }}',
        "issue date",
    ),
    ("Document", f"DELETE WHERE {{ {DOC} dct:creator ?b }}", "body that issued it"),
    ("Document", f"DELETE WHERE {{ {DOC} untoc:expression ?e }}", "at least one language expression"),
    (
        "DocumentExpression",
        'DELETE { ?e schema:inLanguage ?l } INSERT { ?e schema:inLanguage "English" } WHERE { ?e schema:inLanguage ?l }',
        "exactly one language",
    ),
    ("DocumentExpression", "DELETE WHERE { ?e schema:encoding ?f }", "at least one file"),
    ("DocumentCopy", f"DELETE WHERE {{ {COPY} spdx:fileName ?f }}", "file name"),
    (
        "Checksum",
        'DELETE { ?c spdx:checksumValue ?v } INSERT { ?c spdx:checksumValue "XYZ"^^xsd:hexBinary } WHERE { ?c spdx:checksumValue ?v }',
        "64 lower-case hexadecimal",
    ),
    ("TextSpan", "DELETE WHERE { ?s untoc:startOffset ?o }", "start offset"),
    ("Meeting", f"DELETE WHERE {{ {MEETING} untoc:ordinal ?o }}", "exactly one number"),
    ("Meeting", f"DELETE WHERE {{ {MEETING} untoc:meetingOf ?b }}", "exactly one body"),
    (
        "Meeting",
        f'INSERT DATA {{ {MEETING} schema:startDate "2013-11-12"^^xsd:date }}',
        "at most one start date",
    ),
    (
        "Meeting",
        f'DELETE {{ {MEETING} schema:endDate ?e }} INSERT {{ {MEETING} schema:endDate "2013-11-01"^^xsd:date }} WHERE {{ {MEETING} schema:endDate ?e }}',
        "cannot end before it starts",
    ),
    (
        "AgendaItem",
        "DELETE { ?a rdfs:label ?l } WHERE { ?a a untoc:AgendaItem ; rdfs:label ?l }",
        "agenda item needs a label",
    ),
    ("Attendance", "DELETE WHERE { ?a untoc:role ?r }", "exactly one role"),
    ("Participation", "DELETE WHERE { ?p prov:hadRole ?r }", "exactly one role, untoc:Chair"),
    (
        "Participation",
        f"DELETE {{ ?p untoc:onBehalfOf ?s }} INSERT {{ ?p untoc:onBehalfOf {ARTICLE} }} WHERE {{ ?p untoc:onBehalfOf ?s }}",
        "on behalf of at most one State",
    ),
    ("Attendance", f"DELETE WHERE {{ {MEETING} untoc:attendance ?a }}", "untoc:attendance of exactly one meeting"),
    ("Meeting", f"INSERT DATA {{ {MEETING} untoc:attendance {ARTICLE} }}", "must be untoc:Attendance resources"),
    ("Meeting", f"INSERT DATA {{ {MEETING} untoc:attendanceStatus untoc:Unknown }}", "whether its attendance is recorded"),
    ("Meeting", f"INSERT DATA {{ {MEETING} schema:subjectOf {ARTICLE} }}", "must be untoc:Document resources"),
    (
        "NoDerivationOfTheThings",
        f"INSERT DATA {{ {REC} prov:wasDerivedFrom {DOC} }}",
        "is not prov:wasDerivedFrom its sources",
    ),
    (
        "NoDerivationOfTheThings",
        f"INSERT DATA {{ {MEETING} prov:wasDerivedFrom {DOC} }}",
        "is not prov:wasDerivedFrom its sources",
    ),
    (
        "DocumentCopy",
        f'DELETE {{ {COPY} spdx:fileName ?f }} INSERT {{ {COPY} spdx:fileName "/home/builder/corpus/report.txt" }} WHERE {{ {COPY} spdx:fileName ?f }}',
        "never a path",
    ),
    (
        "Attendance",
        f"DELETE {{ ?a untoc:participant ?p }} INSERT {{ ?a untoc:participant {ARTICLE} }} WHERE {{ ?a untoc:participant ?p }}",
        "a untoc:State or a untoc:Organization",
    ),
    (
        "Person",
        "DELETE { ?p rdfs:label ?l } WHERE { ?p a untoc:Person ; rdfs:label ?l }",
        "person needs a name",
    ),
    (
        "State",
        'DELETE { ?s dct:identifier ?i } INSERT { ?s dct:identifier "Italy" } WHERE { ?s a untoc:State ; dct:identifier ?i }',
        "ISO 3166-1 alpha-3",
    ),
    (
        "State",
        "INSERT DATA { <https://example.org/kg/state/italy> a untoc:State }",
        "URI must end in state/",
    ),
    (
        "State",
        "INSERT DATA { <https://example.org/kg/state/ITA> owl:sameAs <https://example.org/italy> }",
        "Wikidata item",
    ),
    (
        "Organization",
        "DELETE { ?o rdfs:label ?l } WHERE { ?o a untoc:Organization ; rdfs:label ?l }",
        "organisation needs a name",
    ),
    (
        "Body",
        'INSERT DATA { <https://example.org/kg/body/wg> dct:identifier "WG.2" }',
        "at most one document symbol",
    ),
    (
        "Treaty",
        "DELETE WHERE { <https://example.org/kg/treaty/som> dct:identifier ?i }",
        "exactly one key",
    ),
    (
        "Treaty",
        'INSERT DATA { <https://example.org/kg/treaty/som> eli:date_document "15 November 2000" }',
        "date of adoption",
    ),
    (
        "Chapter",
        "DELETE { ?c eli:number ?n } WHERE { ?c a untoc:Chapter ; eli:number ?n }",
        "chapter needs exactly one number",
    ),
    (
        "Article",
        f'DELETE {{ {ARTICLE} eli:number ?n }} INSERT {{ {ARTICLE} eli:number "eight" }} WHERE {{ {ARTICLE} eli:number ?n }}',
        "exactly one number",
    ),
    (
        "Article",
        f"DELETE WHERE {{ {ARTICLE} untoc:isPartOf ?p }}",
        "one chapter or treaty",
    ),
    (
        "Paragraph",
        "DELETE { ?p untoc:isPartOf ?a } WHERE { ?p a untoc:Paragraph ; untoc:isPartOf ?a }",
        "part of exactly one article",
    ),
    (
        "Subparagraph",
        "DELETE { ?p eli:number ?n } WHERE { ?p a untoc:Subparagraph ; eli:number ?n }",
        "exactly one letter or number",
    ),
    (
        "GraphUpdate",
        "DELETE WHERE { <https://example.org/kg/build/2> prov:endedAtTime ?t }",
        "exactly one time",
    ),
    (
        "GraphUpdate",
        "INSERT DATA { <https://example.org/kg/build/1> prov:used <https://example.org/kg/meeting/wg/2> }",
        "must be document copies",
    ),
    (
        "FormerCopy",
        "DELETE WHERE { <https://example.org/kg/copy/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb> dct:isVersionOf ?d }",
        "names the document it was an issue of",
    ),
    (
        "FormerCopy",
        "INSERT DATA { <https://example.org/kg/copy/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb> dct:isReplacedBy <https://example.org/kg/copy/gone> }",
        "history never dangles",
    ),
    (
        "ReplacedPrinting",
        "DELETE WHERE { ?p untoc:printedIn ?c }",
        "names the copy that printed it",
    ),
    ("Dataset", "DELETE WHERE { ?d dct:license ?l }", "needs a licence"),
    ("Distribution", "DELETE WHERE { ?d dcat:downloadURL ?u }", "download URL"),
]


def _ontology() -> Graph:
    text = files("untoc_kg.ontology").joinpath("untoc.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def valid() -> Graph:
    graph = Graph().parse(data=VALID, format="turtle")
    # the build's graph carries the ontology: sh:class follows its rdfs:subClassOf
    graph += _ontology()
    return graph


def test_the_valid_graph_conforms(valid: Graph) -> None:
    result = validate(valid)
    assert result.conforms, result.report_text
    assert result.report_text.startswith("Conforms: yes")


def _node_shape_of(shapes: Graph, shape: URIRef) -> URIRef:
    parent = shapes.value(predicate=SH.property, object=shape)
    return parent if parent is not None else shape


@pytest.mark.parametrize(
    ("shape", "update", "words"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_each_break_is_caught_with_a_readable_message(
    valid: Graph, shape: str, update: str, words: str
) -> None:
    broken = Graph()
    for triple in valid:
        broken.add(triple)
    broken.update(PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + update)
    assert len(broken ^ valid), f"the update changed nothing: {update}"
    shapes = shapes_graph()
    result = validate(broken, shapes)
    assert not result.conforms
    culprits = {
        str(_node_shape_of(shapes, result.report_graph.value(r, SH.sourceShape)))
        for r in result.report_graph.subjects(RDF.type, SH.ValidationResult)
    }
    assert culprits == {SHAPES + shape}, result.report_text
    assert words in result.report_text, result.report_text
    # a person reads which resource is wrong and why, not a shape's blank-node id
    assert any(
        words in p.message and p.focus.startswith("<https://example.org/kg/")
        for p in result.problems
    )


def test_every_shape_has_a_negative_case() -> None:
    shapes = shapes_graph()
    declared = {
        str(s).removeprefix(SHAPES) for s in shapes.subjects(RDF.type, SH.NodeShape)
    }
    assert declared == {case[0] for case in CASES}


def test_every_class_of_the_ontology_has_a_shape() -> None:
    ontology = _ontology()
    shapes = shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    classes = set(ontology.subjects(RDF.type, owl_class))
    # a class target covers subclasses; abstract classes are covered by the shapes of their
    # subclasses; the value sets (roles, citation modes) by sh:in
    covered_otherwise = {"Document", "Provision", "AttendanceRole", "CitationMode"}
    subclass_of = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    missing = {
        c
        for c in classes
        if not (set(ontology.transitive_objects(c, subclass_of)) & targeted)
        and str(c).split("#")[-1] not in covered_otherwise
    }
    assert not missing, sorted(missing)
