"""The rules generalise beyond the bundled corpus.

The reports under tests/texts/ were written for these tests, not taken from the corpus: other working
groups (Trafficking in Persons, CTOC/COP/WG.4, where "the Protocol" is the TIP Protocol; Firearms,
CTOC/COP/WG.6, where it is the Firearms Protocol), other years, ordinals and cities, and other
numbering layouts ("Recommendation 1" headings, "1." restarting in each section, numbered
sub-headings between paragraph-numbered recommendations, PDF line breaks and page footers).
"""

from datetime import date
from pathlib import Path

import pytest

from untoc_kg.extract import extract_document, find_citations
from untoc_kg.extract.citations import CitationContext
from untoc_kg.extract.evaluate import fold
from untoc_kg.records import Document, Person

TEXTS = Path(__file__).parent / "texts"


@pytest.fixture(scope="module")
def tip() -> Document:
    return extract_document(TEXTS / "wg4_tip_report.txt")


@pytest.fixture(scope="module")
def firearms() -> Document:
    return extract_document(TEXTS / "wg6_firearms_report.txt")


@pytest.fixture(scope="module")
def per_section() -> Document:
    return extract_document(TEXTS / "wg4_per_section_pdf.txt")


@pytest.fixture(scope="module")
def subheadings() -> Document:
    return extract_document(TEXTS / "wg6_subheadings_report.txt")


def keys(rec) -> list[tuple]:
    return [c.key for c in rec.citations]


def attendance(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in doc.reported_meeting.attendance:
        out.setdefault(a.role.value, []).append(a.name)
    return out


def dates(doc: Document) -> dict[int, tuple[date | None, date | None]]:
    return {m.ordinal: (m.start, m.end) for m in doc.meetings}


# -- Trafficking in Persons: "the Protocol" is TIP ---------------------------------------------


def test_tip_document_metadata(tip: Document) -> None:
    assert tip.kind == "report"
    assert tip.title == (
        "Report on the meeting of the Working Group on Trafficking in Persons held in Vienna "
        "from 9 to 11 October 2023"
    )
    assert tip.symbol == "CTOC/COP/WG.4/2023/3"
    assert tip.issued == date(2023, 10, 27)
    assert tip.body.symbol == "CTOC/COP/WG.4"
    assert tip.body.name == "Working Group on Trafficking in Persons"
    assert tip.protocol == "TIP"
    assert "10/3" in tip.resolutions_cited


def test_tip_meetings_earlier_and_reported(tip: Document) -> None:
    assert dates(tip) == {
        1: (date(2009, 4, 14), date(2009, 4, 15)),
        2: (date(2010, 1, 27), date(2010, 1, 29)),
        12: (date(2023, 10, 9), date(2023, 10, 11)),
    }
    meeting = tip.reported_meeting
    assert meeting.ordinal == 12
    assert meeting.body_symbol == "CTOC/COP/WG.4"
    assert meeting.place == "Vienna"
    assert meeting.chair == Person("Mariam Haddad", "Jordan")
    assert [p.name for p in meeting.panellists] == ["Ana Ferreira", "Kwame Mensah", "Ji-woo Park"]


def test_tip_agenda(tip: Document) -> None:
    agenda = tip.reported_meeting.agenda
    assert [(i.label, i.title) for i in agenda] == [
        ("1", "Organizational matters"),
        ("2", "Identification of victims and the principle of non-punishment"),
        ("3", "International cooperation in cases of trafficking in persons"),
        ("4", "Other matters"),
        ("5", "Adoption of the report"),
    ]
    assert [s.label for s in agenda[0].subitems] == ["a", "b"]


def test_tip_attendance_by_role(tip: Document) -> None:
    roles = attendance(tip)
    assert len(roles["states_parties"]) == 20
    assert {"Republic of Korea", "United States of America", "Jordan"} <= set(
        roles["states_parties"]
    )
    assert roles["regional_organizations_parties"] == ["European Union"]
    assert roles["signatories"] == ["Congo", "Czechia"]
    assert roles["non_parties"] == ["Iran (Islamic Republic of)", "Pakistan", "Yemen"]
    assert roles["observer_entities"] == ["Sovereign Order of Malta"]
    assert fold(roles["organizations"]) == fold(
        [
            "International Organization for Migration",
            "Organization for Security and Co-operation in Europe",
            "United Nations Children’s Fund",
            "United Nations High Commissioner for Refugees",
        ]
    )
    iso = {a.name: a.iso3 for a in tip.reported_meeting.attendance}
    assert iso["Czechia"] == "CZE"
    assert iso["Iran (Islamic Republic of)"] == "IRN"


def test_tip_recommendations_layout(tip: Document) -> None:
    recs = tip.recommendations
    assert [r.label for r in recs] == [str(n) for n in range(4, 12)]
    assert [r.seq for r in recs] == list(range(1, 9))
    assert {r.meeting for r in recs} == {12}
    assert [r.section for r in recs] == ["A"] * 4 + ["B"] * 4
    assert recs[0].section_title == "Identification of victims and the principle of non-punishment"
    assert recs[4].section_title == "International cooperation in cases of trafficking in persons"
    assert [r.addressee for r in recs] == [
        "States parties",
        "States parties",
        "States parties",
        "The Secretariat",  # "The Working Group requested the Secretariat to ..."
        "States parties",
        "States parties",
        "States parties",
        "The Conference",  # "The Working Group recommended that the Conference ... consider"
    ]
    assert [s.label for s in recs[5].subitems] == ["a", "b", "c"]
    assert recs[-1].text.endswith("for a future meeting of the Working Group.")


def test_tip_the_protocol_is_tip(tip: Document) -> None:
    recs = {r.label: r for r in tip.recommendations}
    assert keys(recs["4"]) == [("TIP", 6, None, None, None)]
    assert keys(recs["6"]) == [("TIP", 6, 2, None, None)]
    assert keys(recs["8"]) == [("UNTOC", 16, None, None, None), ("UNTOC", 18, None, None, None)]
    assert keys(recs["9"]) == [("TIP", 11, None, None, None)]
    assert all(c.treaty != "SOM" for r in tip.recommendations for c in r.citations)


def test_tip_organizations(tip: Document) -> None:
    recs = {r.label: r for r in tip.recommendations}
    assert "SHERLOC" in recs["7"].organizations
    assert set(recs["10"].organizations) == {"UNODC", "IOM"}
    assert recs["5"].organizations == ()


# -- Firearms: "Recommendation 1" headings, the Protocol is FIR --------------------------------


def test_firearms_document_and_meeting(firearms: Document) -> None:
    assert firearms.body.symbol == "CTOC/COP/WG.6"
    assert firearms.protocol == "FIR"
    assert firearms.symbol is None
    assert firearms.issued == date(2024, 5, 17)
    assert dates(firearms) == {
        1: (date(2012, 5, 21), date(2012, 5, 22)),
        9: (date(2024, 5, 2), date(2024, 5, 3)),
    }
    meeting = firearms.reported_meeting
    assert meeting.place == "Vienna"
    assert meeting.chair == Person("Tomasz Nowicki", "Poland")
    assert len(meeting.agenda) == 5


def test_firearms_recommendation_headings(firearms: Document) -> None:
    recs = firearms.recommendations
    assert [r.label for r in recs] == [f"Recommendation {n}" for n in range(1, 7)]
    assert [r.section for r in recs] == ["A"] * 3 + ["B"] * 3
    assert recs[0].section_title == "Recommendations on marking, record-keeping and tracing"
    assert recs[5].addressee == "The Secretariat"  # "The Working Group requested the Secretariat to ..."
    assert recs[5].text.endswith("regional programmes.")
    assert "INTERPOL" in recs[2].organizations
    assert "UNODC" in recs[5].organizations


def test_firearms_citations(firearms: Document) -> None:
    recs = firearms.recommendations
    assert keys(recs[0]) == [("FIR", 8, None, None, None)]
    assert keys(recs[1]) == [("FIR", 7, None, None, None)]
    assert keys(recs[4]) == [("FIR", 10, None, None, None)]


def test_firearms_article_paragraph_subparagraph(firearms: Document) -> None:
    assert keys(firearms.recommendations[3]) == [("FIR", 5, 1, "a", None)]


def test_firearms_attendance(firearms: Document) -> None:
    roles = attendance(firearms)
    assert len(roles["states_parties"]) == 16
    assert "Türkiye" in roles["states_parties"]
    assert roles["signatories"] == ["Canada", "Japan"]
    assert roles["non_parties"] == ["Israel", "Russian Federation", "United States of America"]
    assert roles["organizations"] == [
        "European Union Agency for Law Enforcement Cooperation",
        "International Criminal Police Organization (INTERPOL)",
    ]


# -- PDF text, eleventh meeting in Geneva, recommendations numbered "1." in each section -------


def test_per_section_metadata_through_pdf_breaks(per_section: Document) -> None:
    assert per_section.symbol == "CTOC/COP/WG.4/2021/4"
    assert per_section.issued == date(2021, 7, 29)
    assert per_section.title == (
        "Report on the meeting of the Working Group on Trafficking in Persons held in Geneva "
        "on 12 and 13 July 2021"
    )
    assert per_section.protocol == "TIP"


def test_per_section_eleventh_meeting_in_geneva(per_section: Document) -> None:
    assert dates(per_section) == {
        10: (date(2020, 9, 6), date(2020, 9, 8)),
        11: (date(2021, 7, 12), date(2021, 7, 13)),
    }
    meeting = per_section.reported_meeting
    assert meeting.ordinal == 11
    assert meeting.place == "Geneva"
    assert meeting.chair == Person("Elena Marchetti", "Italy")
    assert [i.title for i in meeting.agenda][
        1
    ] == "Non-punishment of victims of trafficking in persons"
    roles = attendance(per_section)
    assert len(roles["states_parties"]) == 13
    assert "Viet Nam" in roles["states_parties"]
    assert roles["organizations"] == ["Council of Europe", "International Labour Organization"]


def test_per_section_numbering(per_section: Document) -> None:
    recs = per_section.recommendations
    assert [r.label for r in recs] == ["1", "2", "3", "1", "2"]
    assert [r.seq for r in recs] == [1, 2, 3, 4, 5]
    assert [r.section for r in recs] == ["A", "A", "A", "B", "B"]
    assert recs[3].section_title == "Prevention of trafficking in persons in supply chains"
    assert keys(recs[1]) == [("TIP", 2, None, None, None)]
    assert keys(recs[3]) == [("TIP", 9, 5, None, None)]
    assert recs[2].organizations == ("UNODC",)
    last = recs[-1].text
    assert last.endswith("forced labour in supply chains.")
    assert "V.21" not in last and "Organization of the meeting" not in last


# -- numbered sub-headings between paragraph-numbered recommendations --------------------------


def test_subheadings_are_not_recommendations(subheadings: Document) -> None:
    recs = subheadings.recommendations
    assert [r.label for r in recs] == ["3", "4", "5", "6"]
    assert [r.section for r in recs] == ["A", "A", "A", "B"]
    assert recs[0].section_title == "Prevention of illicit manufacturing and trafficking"
    assert [keys(r) for r in recs[:3]] == [
        [("FIR", 5, None, None, None)],
        [("FIR", 15, None, None, None)],
        [("FIR", 9, None, None, None)],
    ]
    assert recs[3].addressee == "The Secretariat"  # "The Working Group requested the Secretariat to ..."
    assert all("Deactivation of firearms" not in r.text for r in recs)


def test_subheadings_meeting(subheadings: Document) -> None:
    assert subheadings.protocol == "FIR"
    assert dates(subheadings) == {
        1: (date(2012, 5, 21), date(2012, 5, 22)),
        6: (date(2019, 5, 27), date(2019, 5, 29)),
    }
    meeting = subheadings.reported_meeting
    assert meeting.chair == Person("Ana Lucía Mendoza", "Honduras")
    assert len(meeting.agenda) == 4
    roles = attendance(subheadings)
    assert "Bolivia (Plurinational State of)" in roles["states_parties"]
    assert roles["observer_entities"] == ["Holy See"]


# -- a treaty's own text: "this Protocol", "this article" --------------------------------------

FIREARMS_ARTICLE_5 = """Article 5
Criminalization

1. Each State Party shall adopt such legislative and other measures as may be necessary to
establish as criminal offences the following conduct, when committed intentionally:
(a) Illicit manufacturing of firearms, their parts and components and ammunition;
(b) Illicit trafficking in firearms, their parts and components and ammunition;
(c) Falsifying or illicitly obliterating, removing or altering the marking(s) on firearms
required by article 8 of this Protocol.

2. Each State Party shall also adopt such legislative and other measures as may be necessary
to establish as criminal offences the following conduct:
(a) Subject to the basic concepts of its legal system, attempting to commit or participating
as an accomplice in the commission of an offence established in accordance with paragraph 1
of this article; and
(b) Organizing, directing, aiding, abetting, facilitating or counselling the commission of an
offence established in accordance with paragraph 1 of this article.
"""


def test_treaty_text_this_protocol_and_this_article() -> None:
    found = find_citations(FIREARMS_ARTICLE_5, context=CitationContext(protocol="FIR"))
    assert [c.key for c in found] == [
        ("FIR", 8, None, None, None),
        ("FIR", 5, 1, None, None),
        ("FIR", 5, 1, None, None),
    ]
    first = found[0]
    assert FIREARMS_ARTICLE_5[first.span.start : first.span.end].startswith("article 8")


def test_the_protocol_follows_the_context() -> None:
    text = "States parties should implement article 6 of the Protocol and article 24 of the Convention."
    for protocol in ("TIP", "SOM", "FIR"):
        found = find_citations(text, context=CitationContext(protocol=protocol))
        assert [c.key for c in found] == [
            (protocol, 6, None, None, None),
            ("UNTOC", 24, None, None, None),
        ]
