"""Meetings: on the corpus against the gold, and on reports of other bodies written for these
tests (other ordinals, chair wordings, list layouts)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from untoc_kg.corpus import corpus_files
from untoc_kg.extract.dates import parse_dates
from untoc_kg.extract.meetings import find_meetings
from untoc_kg.extract.metadata import find_document_facts
from untoc_kg.extract.normalise import normalise_text
from untoc_kg.extract.ordinals import ordinal_value
from untoc_kg.records import AgendaItem, AttendanceRole, Body, Meeting, Person

GOLD = Path(__file__).parent / "gold"
TIP = Body("Working Group on Trafficking in Persons", "CTOC/COP/WG.4", "TIP")
FIREARMS = Body("Working Group on Firearms", "CTOC/COP/WG.6", "FIR")


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[tuple[Meeting, ...], dict]]:
    """Meetings found in every corpus document with its gold annotation, by file name."""
    found = {}
    for path in corpus_files():
        text = normalise_text(path.read_text(encoding="utf-8"))
        gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
        found[path.name] = (find_meetings(text, find_document_facts(text).body), gold)
    return found


def _as_gold(meeting: Meeting) -> dict:
    """The fields of a meeting in the gold's shape, quotes folded as the scorer folds them."""
    attendance: dict[str, list[str]] = {}
    for a in meeting.attendance:
        attendance.setdefault(a.role.value, []).append(a.name)
    return {
        "ordinal": meeting.ordinal,
        "start": meeting.start.isoformat() if meeting.start else None,
        "end": meeting.end.isoformat() if meeting.end else None,
        "place": meeting.place,
        "chair": {"name": meeting.chair.name, "state": meeting.chair.state} if meeting.chair else None,
        "agenda": [item.title for item in meeting.agenda],
        "attendance": attendance,
        "panellists": [{"name": p.name, "state": p.state} for p in meeting.panellists],
        "documents_cited": list(meeting.documents_cited),
    }


def _fold_quotes(value):
    return json.loads(json.dumps(value, ensure_ascii=False).replace("’", "'"))


@pytest.mark.parametrize("index", range(5))
def test_corpus_meetings_match_the_gold(corpus, index: int) -> None:
    meetings, gold = corpus[sorted(corpus)[index]]
    assert [m.ordinal for m in meetings] == [m["ordinal"] for m in gold["meetings"]]
    for found, expected in zip(meetings, gold["meetings"]):
        got = _as_gold(found)
        for field, value in expected.items():
            assert _fold_quotes(got[field]) == _fold_quotes(value), (found.ordinal, field)
        assert all(m.body_symbol == "CTOC/COP/WG.7" for m in meetings)


def test_a_web_copy_gives_the_same_meetings_as_its_pdf(corpus) -> None:
    pdf, web = (corpus[name][0] for name in sorted(corpus)[2:5:2])
    assert pdf == web


def test_attendees_carry_iso_codes_and_organisation_keys(corpus) -> None:
    reported = corpus[sorted(corpus)[3]][0][-1]
    by_name = {a.name: a for a in reported.attendance}
    assert by_name["Czechia"].iso3 == "CZE"
    assert by_name["Venezuela (Bolivarian Republic of)"].iso3 == "VEN"
    assert by_name["Holy See"].iso3 == "VAT"
    assert by_name["European Union"].role is AttendanceRole.STATES_PARTIES  # listed among parties
    assert by_name["European Union"].org_key == "EU" and by_name["European Union"].iso3 is None
    assert by_name["International Criminal Police Organization (INTERPOL)"].org_key == "INTERPOL"
    assert by_name["Sovereign Order of Malta"].iso3 is None  # not the State of Malta


TIP_REPORT = """Report on the meeting of the Working Group on Trafficking in Persons held in Geneva from 3 to 5 June 2030
I. Introduction
1. The first meeting of the Working Group was held from 14 to 15 April 2009, the second from 27 to 29 January 2010, the ninth on 6 and 7 July 2019 and the tenth from 28 December 2029 to 2 January 2030.
2. The Conference decided that the twelfth meeting of the Working Group will be held in Vienna from 1 to 3 June 2031.
II. Organization of the meeting
3. The eleventh meeting of the Working Group on Trafficking in Persons was held in Geneva from 3 to 5 June 2030.
4. The meeting was chaired by Ana María de la Fuente (Venezuela (Bolivarian Republic of)).
5. Under agenda item 2, the discussion was led by the following panellists: Ms. Okafor (Nigeria), Mr. van der Berg (Netherlands) and Li Wei (China).
6. The first panellist was Chiamaka Okafor, Director of the National Agency of Nigeria. The second panellist was Pieter van der Berg, prosecutor.
7. At its 1st meeting, on 3 June 2030, the Working Group adopted the following agenda: 1. Organizational matters: (a) Opening of the meeting; (b) Adoption of the agenda. 2. Non-punishment of victims. 3. Adoption of the report.
8. The following parties to the Trafficking in Persons Protocol were represented at the meeting: Bosnia and Herzegovina, Chile, Trinidad and Tobago, European Union, Saint Kitts and Nevis,
Spain and Trinidad and Tobago.
9. The following States signatories to the Trafficking in Persons Protocol were represented by observers: Japan and Thailand.
10. The following States that are not parties or signatories to the Trafficking in Persons Protocol were represented by observers: Bosnia and Herzegovina.
11. The State of Palestine, a non-member State maintaining a permanent observer mission to the United Nations, was represented.
12. The United Nations Children's Fund was represented by an observer.
13. The following intergovernmental organizations were represented by observers: International Organization for Migration and Organization for Security and Co-operation in Europe.
14. Statements were made by Spain and the Russian Federation.
15. A list of participants is contained in document CTOC/COP/WG.4/2030/INF/1.
"""


@pytest.fixture(scope="module")
def tip_meetings() -> tuple[Meeting, ...]:
    return find_meetings(TIP_REPORT, TIP)


def test_earlier_meetings_come_with_their_dates_and_a_future_one_is_left_out(tip_meetings) -> None:
    assert [(m.ordinal, m.start, m.end, m.place) for m in tip_meetings] == [
        (1, date(2009, 4, 14), date(2009, 4, 15), None),
        (2, date(2010, 1, 27), date(2010, 1, 29), None),
        (9, date(2019, 7, 6), date(2019, 7, 7), None),
        (10, date(2029, 12, 28), date(2030, 1, 2), None),
        (11, date(2030, 6, 3), date(2030, 6, 5), "Geneva"),
    ]
    assert all(m.body_symbol == "CTOC/COP/WG.4" for m in tip_meetings)
    assert all(not (m.chair or m.agenda or m.attendance) for m in tip_meetings[:-1])


def test_the_reported_meeting_has_chair_agenda_panellists_and_documents(tip_meetings) -> None:
    meeting = tip_meetings[-1]
    assert meeting.chair == Person("Ana María de la Fuente", "Venezuela (Bolivarian Republic of)")
    assert meeting.agenda == (
        AgendaItem(
            "1",
            "Organizational matters",
            (AgendaItem("a", "Opening of the meeting"), AgendaItem("b", "Adoption of the agenda")),
        ),
        AgendaItem("2", "Non-punishment of victims"),
        AgendaItem("3", "Adoption of the report"),
    )
    assert meeting.panellists == (
        Person("Chiamaka Okafor", "Nigeria"),
        Person("Pieter van der Berg", "Netherlands"),
        Person("Li Wei", "China"),
    )
    assert meeting.documents_cited == ("CTOC/COP/WG.4/2030/INF/1",)


def test_attendance_by_role_with_and_inside_names(tip_meetings) -> None:
    by_role: dict[AttendanceRole, list[str]] = {}
    for a in tip_meetings[-1].attendance:
        by_role.setdefault(a.role, []).append(a.name)
    assert by_role == {
        AttendanceRole.STATES_PARTIES: [
            "Bosnia and Herzegovina",
            "Chile",
            "Trinidad and Tobago",
            "European Union",
            "Saint Kitts and Nevis",
            "Spain",
        ],
        AttendanceRole.SIGNATORIES: ["Japan", "Thailand"],
        AttendanceRole.NON_PARTIES: ["Bosnia and Herzegovina"],
        AttendanceRole.OBSERVER_ENTITIES: ["State of Palestine"],
        AttendanceRole.ORGANIZATIONS: [
            "United Nations Children's Fund",
            "International Organization for Migration",
            "Organization for Security and Co-operation in Europe",
        ],
    }
    iso = {a.name: a.iso3 for a in tip_meetings[-1].attendance}
    assert iso["Trinidad and Tobago"] == "TTO" and iso["State of Palestine"] == "PSE"


@pytest.mark.parametrize(
    "sentence",
    [
        "The meeting was opened by Tomasz Nowicki (Poland), Chair of the Working Group.",
        "The Chair of the Working Group, Tomasz Nowicki (Poland), made an opening statement.",
        "The Working Group elected Tomasz Nowicki (Poland) as its Chair.",
        "Tomasz Nowicki (Poland) was elected Chair by acclamation.",
        "The meeting was held under the chairmanship of Mr. Tomasz Nowicki (Poland).",
    ],
)
def test_the_chair_in_other_wordings(sentence: str) -> None:
    text = (
        "Report on the meeting of the Working Group on Firearms held in Vienna on 1 and 2 March 2032\n"
        "A. Opening of the meeting\n"
        "5. The ninth meeting of the Working Group on Firearms was held in Vienna on 1 and 2 March 2032.\n"
        f"6. {sentence}\n"
    )
    (meeting,) = find_meetings(text, FIREARMS)
    assert (meeting.ordinal, meeting.start, meeting.place) == (9, date(2032, 3, 1), "Vienna")
    assert meeting.chair == Person("Tomasz Nowicki", "Poland")
    assert meeting.body_symbol == "CTOC/COP/WG.6"


def test_a_compilation_gets_the_meetings_its_headings_name_and_no_details() -> None:
    text = """Recommendations adopted by the Working Group on Firearms at its meetings
I. First meeting, Vienna, 21 and 22 May 2012
1. States parties should act. The meeting was chaired by Jo Bloggs (Malta).
II. Eleventh meeting (New York, 30 May-1 June 2022)
1. States parties should act again.
"""
    assert find_meetings(text, FIREARMS) == (
        Meeting("CTOC/COP/WG.6", 1, date(2012, 5, 21), date(2012, 5, 22), "Vienna"),
        Meeting("CTOC/COP/WG.6", 11, date(2022, 5, 30), date(2022, 6, 1), "New York"),
    )


def test_a_text_that_names_no_meeting_has_none() -> None:
    assert find_meetings("Report of something\n1. Nothing was held.\n", FIREARMS) == ()


@pytest.mark.parametrize(
    ("printed", "start", "end"),
    [
        ("from 18 to 20 November 2015", date(2015, 11, 18), date(2015, 11, 20)),
        ("on 8 and 9 September 2020", date(2020, 9, 8), date(2020, 9, 9)),
        ("from 30 May to 1 June 2012", date(2012, 5, 30), date(2012, 6, 1)),
        ("4 and 5 July 2018", date(2018, 7, 4), date(2018, 7, 5)),
        ("11-13 November 2013", date(2013, 11, 11), date(2013, 11, 13)),
        ("11–13 September 2019", date(2019, 9, 11), date(2019, 9, 13)),
        ("on 8 September 2020", date(2020, 9, 8), date(2020, 9, 8)),
    ],
)
def test_date_ranges(printed: str, start: date, end: date) -> None:
    assert parse_dates(printed) == (start, end)


def test_impossible_dates_are_no_dates() -> None:
    assert parse_dates("from 30 to 31 February 2020") is None
    assert parse_dates("from 20 to 18 November 2015") is None


@pytest.mark.parametrize(
    ("word", "value"),
    [("first", 1), ("Third", 3), ("eleventh", 11), ("twentieth", 20), ("twenty-first", 21), ("12th", 12)],
)
def test_ordinals(word: str, value: int) -> None:
    assert ordinal_value(word) == value


def test_panellists_named_in_sentences_get_the_state_their_description_ends_with() -> None:
    text = (
        "Report on the meeting of the Working Group on Firearms held in Vienna on 1 and 2 March 2032\n"
        "5. The ninth meeting of the Working Group on Firearms was held in Vienna on 1 and 2 March 2032.\n"
        "6. The first panellist was Kofi Asante, Head of the Firearms Unit, National Police of Ghana, "
        "on behalf of the Group of African States. The second panellist was Marta Silva Costa, "
        "prosecutor at the Court of Porto, Portugal.\n"
    )
    (meeting,) = find_meetings(text, FIREARMS)
    assert meeting.panellists == (Person("Kofi Asante", "Ghana"), Person("Marta Silva Costa", "Portugal"))


def test_a_plenary_sitting_in_digits_is_no_meeting_of_the_body() -> None:
    text = (
        "Report on the meeting of the Working Group on Firearms held in Vienna on 2 and 3 March 2032\n"
        "5. At its 1st meeting, held on 2 March 2032, the Working Group adopted its agenda.\n"
        "6. The ninth meeting of the Working Group was held in Vienna on 2 and 3 March 2032.\n"
    )
    assert [m.ordinal for m in find_meetings(text, FIREARMS)] == [9]
