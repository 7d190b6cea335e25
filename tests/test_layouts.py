"""Layouts a reader meets in reports no one here wrote (issue 13), in texts of our own.

tests/texts/wg4_flattened_tip.txt is a Working Group on Trafficking in Persons report as a
PDF-to-text site publishes it: the header on its lines, then every heading and numbered paragraph
run on in one line, numbered sub-headings between the paragraphs ("1. General recommendations
3. States parties ..."), a year opening a sentence ("2019. The delegation"), and a title that
gives the meeting's place and dates but no ordinal.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from untoc_kg.extract import extract_document
from untoc_kg.extract.dates import DATES, parse_dates
from untoc_kg.records import Document

TEXTS = Path(__file__).parent / "texts"


@pytest.fixture(scope="module")
def flattened() -> Document:
    return extract_document(TEXTS / "wg4_flattened_tip.txt")


def test_flattened_report_keeps_every_recommendation(flattened: Document) -> None:
    recs = flattened.recommendations
    assert [r.label for r in recs] == ["3", "4", "5", "6", "7", "8"]
    assert [r.section for r in recs] == ["A", "A", "A", "A", "B", "B"]
    assert recs[0].section_title == "Implementation of the Trafficking in Persons Protocol"
    assert recs[3].text == (
        "States parties should review their legislation in 2019. The delegation of one State "
        "described its reform."
    )
    assert [c.key for c in recs[0].citations] == [("TIP", 3, None, None, None)]
    assert [c.key for c in recs[4].citations] == [("UNTOC", 18, None, None, None)]


def test_a_meeting_without_a_printed_ordinal_is_kept(flattened: Document) -> None:
    """Known by its body and dates (from the title), its recommendations dated, not dropped."""
    assert len(flattened.meetings) == 1
    meeting = flattened.meetings[0]
    assert (meeting.ordinal, meeting.start, meeting.end, meeting.place) == (
        0, date(2031, 2, 10), date(2031, 2, 12), "Vienna"
    )
    assert {r.meeting for r in flattened.recommendations} == {0}
    assert flattened.warnings == (
        "the report prints no ordinal for its meeting: kept as meeting 0, known by its body and dates",
    )


def test_decisions_as_well_as_resolutions(flattened: Document) -> None:
    assert flattened.decisions_cited == ("4/4",)


@pytest.mark.parametrize(
    ("printed", "start", "end"),
    [
        ("27-29 January 2010", date(2010, 1, 27), date(2010, 1, 29)),
        ("27 to 29 January 2010", date(2010, 1, 27), date(2010, 1, 29)),
        ("from 30 May to 1 June 2012", date(2012, 5, 30), date(2012, 6, 1)),
        ("on 8 and 9 September 2020", date(2020, 9, 8), date(2020, 9, 9)),
        ("27 October\u20137 November 2014", date(2014, 10, 27), date(2014, 11, 7)),
        ("27 October\u22127 November 2014", date(2014, 10, 27), date(2014, 11, 7)),
    ],
)
def test_dates_in_the_forms_reports_print(printed: str, start: date, end: date) -> None:
    assert re.fullmatch(DATES, printed)
    assert parse_dates(printed) == (start, end)


# -- instruments named, cited or not ------------------------------------------------------------

from untoc_kg.extract.instruments import named_instruments  # noqa: E402


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("To ratify the ILO Equality of Treatment (Social Security) Convention, 1962 (No. 118) and the "
         "ILO Prevention of Major Industrial Accidents Convention, 1993 (No. 174) (Spain);", ("ILO-C118", "ILO-C174")),
        ("Ratify the Convention on the Rights of Persons with Disabilities and the Optional Protocol to "
         "the Convention against Torture (Chile); ratify ILO Convention No. 189 (Peru)", ("CRPD", "CAT-OP", "ILO-C189")),
        ("Ratify the Istanbul Convention and the Framework Convention for the Protection of National Minorities",
         ("ISTANBUL", "FCNM")),
        ("Ratify Protocol No. 12 to the Convention and transpose Directive (EU) 2024/1069; achieve "
         "Sustainable Development Goals 10 and 16", ()),
        ("States parties should apply article 18 of the Convention.", ()),
    ],
)
def test_instruments_named(text: str, keys: tuple[str, ...]) -> None:
    assert named_instruments(text) == keys


@pytest.mark.parametrize(
    "text",
    [
        "Ratify Protocol No. 12 to the European Convention on Human Rights (Spain);",
        "Transpose Directive (EU) 2024/1069 into national law (Chile);",
        "Pursue Sustainable Development Goals 10 and 16 (Peru);",
        "Ratify the Convention on the Rights of Persons with Disabilities (Peru);",
    ],
)
def test_numbers_that_are_not_articles_and_treaties_without_one_are_not_citations(text: str) -> None:
    from untoc_kg.extract import find_citations

    assert find_citations(text) == []
