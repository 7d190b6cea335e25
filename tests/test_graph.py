"""graph: records -> RDF. Hand-built records check identity, wording, URIs and determinism;
one corpus test checks the totals once the extractor runs on the bundled reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from rdflib import Literal, URIRef

from untoc_kg.records import (
    AgendaItem,
    AttendanceRole,
    Attendee,
    Body,
    Citation,
    Document,
    Meeting,
    Person,
    Recommendation,
    Span,
    SubItem,
)
from untoc_kg.graph import build_graph
from untoc_kg.vocab import DCTERMS, OWL, RDF, UNTOC
from untoc_kg.reference import article_titles, country_codes

BASE = "https://example.org/kg/"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
BODY = Body("Working Group on Example Matters", "XX/COP/WG.9", "SOM")


def rec(meeting: int, seq: int, text: str, label: str, **extra) -> Recommendation:
    return Recommendation(
        body_symbol="XX/COP/WG.9", meeting=meeting, seq=seq, label=label, section=extra.pop("section", None),
        section_title=extra.pop("section_title", None), addressee="States parties", text=text,
        paragraph=label, span=Span(10 * seq, 10 * seq + len(text)), **extra,
    )


CITE = Citation("SOM", 8, paragraph=2, how="explicit", text="article 8, paragraph 2, of the Protocol")
MEETING_2 = Meeting(
    "XX/COP/WG.9", 2, date(2013, 11, 11), date(2013, 11, 13), "Vienna",
    chair=Person("Ana Example", "Spain"),
    agenda=(AgendaItem("1", "Organizational matters", (AgendaItem("a", "Opening"),)),),
    attendance=(
        Attendee("Italy", AttendanceRole.STATES_PARTIES, iso3="ITA"),
        Attendee("Spain", AttendanceRole.STATES_PARTIES, iso3="ESP"),
        Attendee("International Organization for Migration", AttendanceRole.ORGANIZATIONS, org_key="IOM"),
    ),
)
REPORT_RECS = (
    rec(2, 1, "States parties should cooperate under article 8, paragraph 2, of the Protocol.", "5",
        section="A", section_title="General", citations=(CITE,), organizations=("IOM",),
        subitems=(SubItem("a", "cooperate"),)),
    rec(2, 2, "States parties should share information.", "6", section="A", section_title="General"),
)
REPORT = Document(
    source="report-web.txt", sha256="a" * 64, kind="report", title="Report on the meeting", symbol=None,
    issued=None, body=BODY, meetings=(Meeting("XX/COP/WG.9", 1, date(2012, 5, 30)), MEETING_2),
    recommendations=REPORT_RECS,
)
REPORT_PDF = replace(REPORT, source="report.pdf.txt", sha256="b" * 64, symbol="XX/COP/WG.9/2013/5",
                     issued=date(2013, 11, 19))
COMPILATION = Document(
    source="compilation.txt", sha256="c" * 64, kind="compilation", title="Recommendations adopted",
    symbol=None, issued=date(2019, 6, 21), body=BODY,
    meetings=(Meeting("XX/COP/WG.9", 1, date(2012, 5, 30), place="Vienna"), Meeting("XX/COP/WG.9", 2, date(2013, 11, 11))),
    recommendations=(
        rec(1, 1, "States should ratify the Protocol.", "1"),
        replace(REPORT_RECS[0], label="1", paragraph="1"),
        replace(REPORT_RECS[1], label="2", paragraph="2", text="States parties should share all information."),
    ),
)


def uri(path: str) -> URIRef:
    return URIRef(BASE + path)


def nt_sorted(documents) -> list[str]:
    graph = build_graph(documents, base_uri=BASE, build_time=WHEN).graph
    return sorted(graph.serialize(format="nt").splitlines())


@pytest.fixture(scope="module")
def built():
    return build_graph([REPORT, REPORT_PDF, COMPILATION], base_uri=BASE, build_time=WHEN)


def test_one_recommendation_printed_twice_is_one_resource_with_two_occurrences(built):
    graph = built.graph
    recommendation = uri("recommendation/xx-cop-wg9/2/1")
    assert len(set(graph.subjects(RDF.type, UNTOC.Recommendation))) == 3
    occurrences = set(graph.objects(recommendation, UNTOC.occurrence))
    documents = {graph.value(o, UNTOC.inDocument) for o in occurrences}
    assert documents == {uri("document/xx-cop-wg9/report/2"), uri("document/xx-cop-wg9/compilation/1-2")}
    labels = {str(graph.value(o, UNTOC.paragraphLabel)) for o in occurrences}
    assert labels == {"5", "1"}


def test_different_wording_is_kept_and_reported(built):
    graph = built.graph
    recommendation = uri("recommendation/xx-cop-wg9/2/2")
    texts = {str(graph.value(o, UNTOC.text)) for o in graph.objects(recommendation, UNTOC.occurrence)}
    assert texts == {"States parties should share information.", "States parties should share all information."}
    # the adopting meeting's own report gives the reference wording
    assert str(graph.value(recommendation, UNTOC.text)) == "States parties should share information."
    assert [d.recommendation for d in built.differences] == [str(recommendation)]
    assert "+ all" in str(built.differences[0])


@pytest.mark.parametrize("documents", [[REPORT], [REPORT_PDF], [REPORT_PDF, REPORT], [REPORT, REPORT_PDF]])
def test_a_report_with_and_without_symbol_is_one_document(documents):
    graph = build_graph(documents, base_uri=BASE, build_time=WHEN).graph
    assert set(graph.subjects(RDF.type, UNTOC.Report)) == {uri("document/xx-cop-wg9/report/2")}
    copies = set(graph.objects(uri("document/xx-cop-wg9/report/2"), UNTOC.hasCopy))
    assert copies == {uri("copy/" + d.sha256) for d in documents}


def test_symbol_of_any_copy_is_the_documents_identifier(built):
    assert built.graph.value(uri("document/xx-cop-wg9/report/2"), DCTERMS.identifier) == Literal("XX/COP/WG.9/2013/5")


def test_uris_do_not_depend_on_input_order():
    assert nt_sorted([REPORT, REPORT_PDF, COMPILATION]) == nt_sorted([COMPILATION, REPORT_PDF, REPORT])


def test_sorted_ntriples_identical_across_builds_and_without_blank_nodes():
    first, second = nt_sorted([REPORT, COMPILATION]), nt_sorted([REPORT, COMPILATION])
    assert first == second
    assert not any("_:" in line for line in first)


def test_states_have_iso_code_and_wikidata(built):
    graph = built.graph
    italy = uri("state/ITA")
    assert graph.value(italy, RDF.type) == UNTOC.State
    assert graph.value(italy, DCTERMS.identifier) == Literal("ITA")
    wikidata = country_codes()["ITA"].wikidata
    assert graph.value(italy, OWL.sameAs) == URIRef(f"http://www.wikidata.org/entity/{wikidata}")
    # the chair's "(Spain)" finds the State the attendance list names
    assert graph.value(uri("person/ana-example"), UNTOC.state) == uri("state/ESP")


def test_citations_point_to_provisions_under_titled_articles(built):
    graph = built.graph
    recommendation = uri("recommendation/xx-cop-wg9/2/1")
    cited = set(graph.objects(recommendation, UNTOC.cites))
    assert cited == {uri("treaty/som/article/8/paragraph/2")}
    article = graph.value(uri("treaty/som/article/8/paragraph/2"), UNTOC.isPartOf)
    assert article == uri("treaty/som/article/8")
    assert str(graph.value(article, DCTERMS.title)) == article_titles()["SOM"][8]
    citation = graph.value(predicate=UNTOC.citingRecommendation, object=recommendation)
    assert graph.value(citation, UNTOC.citationMode) == UNTOC.Explicit
    assert str(graph.value(citation, UNTOC.citedAs)) == CITE.text


def test_meeting_carries_dates_chair_agenda_and_attendance_by_role(built):
    graph = built.graph
    meeting = uri("meeting/xx-cop-wg9/2")
    assert graph.value(meeting, UNTOC.chair) == uri("person/ana-example")
    assert str(graph.value(meeting, URIRef("https://schema.org/startDate"))) == "2013-11-11"
    item = uri("meeting/xx-cop-wg9/2/agenda/1")
    assert graph.value(meeting, UNTOC.agendaItem) == item
    assert graph.value(item, UNTOC.agendaItem) == uri("meeting/xx-cop-wg9/2/agenda/1/a")
    attendance = uri("attendance/xx-cop-wg9/2/iom")
    assert graph.value(attendance, UNTOC.role) == UNTOC.IntergovernmentalOrganization
    assert graph.value(attendance, UNTOC.participant) == uri("organization/iom")


def test_base_uri_is_configurable():
    lines = nt_sorted([REPORT])
    assert any(f"<{BASE}recommendation/xx-cop-wg9/2/1>" in line for line in lines)
    default = build_graph([REPORT], build_time=WHEN).graph
    assert (URIRef("https://w3id.org/untoc-kg/id/recommendation/xx-cop-wg9/2/1"), RDF.type, UNTOC.Recommendation) in default
    assert not any(BASE in str(s) for s in default.subjects())


def test_build_provenance_records_time_tool_and_input_checksums(built):
    graph = built.graph
    spdx = "http://spdx.org/rdf/terms#"
    values = {str(v) for v in graph.objects(None, URIRef(spdx + "checksumValue"))}
    assert values == {"a" * 64, "b" * 64, "c" * 64}
    # in UTC, to the second, without a time zone: the form every store keeps as written
    recorded = WHEN.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert Literal(recorded, datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime")) in set(graph.objects())


# ---------------------------------------------------------------- corpus


@pytest.fixture(scope="module")
def corpus():
    from untoc_kg.corpus import corpus_files
    from untoc_kg.extract import extract_document

    documents = [extract_document(path) for path in corpus_files()]
    return documents, build_graph(documents, build_time=WHEN)


def test_corpus_totals_and_every_citation_present(corpus):
    from untoc_kg.graph.merge import body_key
    from untoc_kg.graph.reference_data import provision_uri
    from untoc_kg.graph.uris import Minter

    documents, result = corpus
    graph = result.graph
    assert len(set(graph.subjects(RDF.type, UNTOC.Recommendation))) == 171
    assert len(set(graph.subjects(RDF.type, UNTOC.Meeting))) == 7
    assert len(set(graph.subjects(RDF.type, UNTOC.Report))) == 3  # 002 and 004 are one report
    mint = Minter("https://w3id.org/untoc-kg/id/")
    for document in documents:
        for record in document.recommendations:
            recommendation = mint.recommendation(body_key(record.body_symbol), record.meeting, record.seq)
            for citation in record.citations:
                assert (recommendation, UNTOC.cites, provision_uri(mint, citation)) in graph
