"""Universal Periodic Review (UPR) Working Group reports: a second kind of report (issue 13).

The texts under tests/texts/upr_* were written for these tests (invented States under review,
sessions, dates and job numbers): a first-cycle layout as `pdftotext -layout` prints it
(recommendations numbered 1, 2, ... inside paragraph 9, a contents table, running headers, page
numbers, a footnote between a heading and its text and one inside the list, a recommendation over
a page break) and a later-cycle layout (lists 7.1, 8.1, 9.1 split by standing). The real reports
in ../shared/real-reports/ are scored against their gold when that folder is present.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from untoc_kg.extract import extract_document, extract_text
from untoc_kg.extract.evaluate import evaluate
from untoc_kg.extract.gold_json import document_to_json
from untoc_kg.extract.recommending import other_bodies, recommending_states
from untoc_kg.records import Document, Person, Sitting

TEXTS = Path(__file__).parent / "texts"
REAL = Path(__file__).parent.parent.parent / "shared" / "real-reports"


@pytest.fixture(scope="module")
def layout() -> Document:
    return extract_document(TEXTS / "upr_wg_layout.txt")


@pytest.fixture(scope="module")
def decimal() -> Document:
    return extract_document(TEXTS / "upr_wg_decimal.txt")


# -- the document -------------------------------------------------------------------------------


def test_review_report_document_facts(layout: Document) -> None:
    assert layout.title == "Report of the Working Group on the Universal Periodic Review: Portugal"
    assert layout.symbol == "A/HRC/99/40"
    assert layout.issued == date(2031, 4, 2)
    assert layout.body.name == "Working Group on the Universal Periodic Review"
    assert layout.parent_body == "Human Rights Council"
    assert layout.job_number == "GE.31-40404 (E)"
    assert layout.resolutions_cited == ("5/1",)
    assert layout.warnings == ()


def test_review_session_and_its_sittings(layout: Document, decimal: Document) -> None:
    session = layout.reported_meeting
    assert session is not None
    assert (session.ordinal, session.start, session.end) == (51, date(2031, 3, 3), date(2031, 3, 14))
    assert session.state_under_review == "Portugal"
    assert session.review == Sitting(6, date(2031, 3, 6))
    assert session.adoption == Sitting(12, date(2031, 3, 11))
    assert session.head_of_delegation == Person("Ana Sousa", title="Minister of Justice")
    assert session.troika == ("Chile", "Japan", "United Republic of Tanzania")
    # the adoption sentence in the other order; the title before the name
    other = decimal.reported_meeting
    assert other.adoption == Sitting(10, date(2029, 10, 31))
    assert other.head_of_delegation == Person(
        "Kari Nordmann", title="State Secretary of the Ministry of Foreign Affairs"
    )


def test_delegations_making_statements_open_their_paragraphs(layout: Document, decimal: Document) -> None:
    """A State named at a paragraph's start, before its verb, made a statement; the State under
    review's replies are no delegation's; a State named later in the paragraph is not counted."""
    assert layout.reported_meeting.delegations_making_statements == (
        "Kenya",
        "Bolivarian Republic of Venezuela",
    )
    assert decimal.reported_meeting.delegations_making_statements == ("Ghana", "Peru")


# -- the recommendations ------------------------------------------------------------------------


def test_a_list_numbered_inside_a_paragraph_is_the_recommendations(layout: Document) -> None:
    """Items 1-5 inside paragraph 9 are the recommendations; paragraph 9 (the chapeau) and
    paragraph 10 (closing remarks) are not, though 10 continues the report's numbering."""
    recs = layout.recommendations
    assert [r.label for r in recs] == ["1", "2", "3", "4", "5"]
    assert {r.paragraph for r in recs} == {"9"}
    assert {r.meeting for r in recs} == {51}
    assert {r.standing for r in recs} == {"to be examined"}
    assert {r.addressee for r in recs} == {"Portugal"}


def test_page_furniture_and_footnotes_do_not_enter_a_recommendation(layout: Document) -> None:
    first = layout.recommendations[0]
    assert first.text == (
        "To ratify (Kenya)/consider ratifying (Chile) the International Convention on the "
        "Protection of the Rights of All Migrant Workers and Members of Their Families (Kenya, Chile);"
    )
    last = layout.recommendations[-1]
    assert "edited" not in last.text and "A/HRC" not in last.text
    assert last.text.endswith("(United Kingdom of Great Britain and Northern Ireland, Bosnia and Herzegovina).")


def test_recommending_states_from_the_parentheses(layout: Document) -> None:
    states = [r.recommending_states for r in layout.recommendations]
    assert states == [
        ("Kenya", "Chile"),
        ("Kenya",),  # "(No. 189)" is the convention's number
        ("Iran (Islamic Republic of)",),  # nested parentheses
        ("Japan", "Venezuela (Bolivarian Republic of)"),  # two merged recommendations
        ("United Kingdom of Great Britain and Northern Ireland", "Bosnia and Herzegovina"),
    ]


def test_recommending_states_rules() -> None:
    assert recommending_states("To ratify the ILO Equality of Treatment (Social Security) Convention (Spain);") == (
        ("Spain",),
        False,
    )
    assert recommending_states("To act (Trinidad and Tobago and the former Yugoslav Republic of Macedonia).") == (
        ("Trinidad and Tobago", "the former Yugoslav Republic of Macedonia"),
        False,
    )
    # a spelling the State tables lack, in the closing parentheses: kept, and flagged
    assert recommending_states("To act (Republic of Atlantis).") == (("Republic of Atlantis",), True)
    assert recommending_states("To act on the plan (2020-2025).") == ((), False)


def test_lists_split_by_standing(decimal: Document) -> None:
    recs = decimal.recommendations
    assert [(r.label, r.paragraph, r.standing) for r in recs] == [
        ("7.1", "7", "supported"),
        ("7.2", "7", "supported"),
        ("8.1", "8", "to be examined"),
        ("8.2", "8", "to be examined"),
        ("9.1", "9", "noted"),
    ]
    assert recs[3].recommending_states == ("Peru", "Ghana")


def test_human_rights_treaties_and_bodies_in_recommendations(layout: Document, decimal: Document) -> None:
    assert [c.key for c in layout.recommendations[3].citations] == [("ICERD", 5, None, None, None)]
    assert [c.key for c in decimal.recommendations[2].citations] == [("ICERD", 4, None, None, None)]
    # a treaty named without an article is a mention, not a citation
    assert decimal.recommendations[0].citations == ()
    assert decimal.recommendations[4].citations == ()
    assert layout.recommendations[1].organizations == ("ILO",)
    assert layout.recommendations[4].other_bodies == ("Committee against Torture",)
    assert decimal.recommendations[4].other_bodies == ("Committee on the Rights of Persons with Disabilities",)
    assert other_bodies("Implement the recommendations of the Special Rapporteur on the right to food regarding Roma") == (
        "Special Rapporteur on the right to food",
    )


def test_flattened_text_gives_the_records_of_the_one_block_per_line_text(decimal: Document) -> None:
    """Headings and numbered paragraphs run on in one line, as some web copies print them."""
    lines = (TEXTS / "upr_wg_decimal.txt").read_text(encoding="utf-8").splitlines()
    body = lines.index("Introduction")
    flattened = "\n".join(lines[:body] + [" ".join(lines[body:])])
    document = extract_text(flattened, "upr_wg_decimal.txt")
    assert [(r.label, r.text, r.recommending_states, r.standing) for r in document.recommendations] == [
        (r.label, r.text, r.recommending_states, r.standing) for r in decimal.recommendations
    ]
    assert document.reported_meeting == decimal.reported_meeting


def test_a_gap_in_the_numbering_warns_and_keeps_the_rest() -> None:
    text = (TEXTS / "upr_wg_decimal.txt").read_text(encoding="utf-8")
    gapped = text.replace("7.2 Continue its efforts", "7.3 Continue its efforts")
    document = extract_text(gapped, "gapped.txt")
    assert [r.label for r in document.recommendations] == ["7.1", "7.3", "8.1", "8.2", "9.1"]
    # the file is named where the warning is shown (tests/test_build_report.py)
    assert "numbering gap between recommendations 7.1 and 7.3 (missing 2)" in document.warnings


def test_gold_json_has_the_review_keys(layout: Document) -> None:
    data = document_to_json(layout)
    assert data["parent_body"] == "Human Rights Council"
    meeting = data["meetings"][-1]
    assert meeting["review"] == {"meeting": 6, "date": "2031-03-06"}
    assert meeting["attendance"]["delegations_making_statements"] == ["Kenya", "Bolivarian Republic of Venezuela"]
    assert data["recommendations"][0]["recommending_states"] == ["Kenya", "Chile"]
    assert data["recommendations"][0]["paragraph"] == "9"


# -- the real reports (../shared/real-reports/, beside the checkout) ----------------------------

REAL_CASES = [
    (name, suffix)
    for name in ("upr-svn-2010-wg", "upr-svn-2014-wg")
    for suffix in (".txt", ".pdf")
]


@pytest.mark.parametrize(("name", "suffix"), REAL_CASES)
def test_real_review_reports_score_perfectly(name: str, suffix: str) -> None:
    if not (REAL / "gold" / f"{name}.json").exists():
        pytest.skip(f"{REAL} is absent (the real UN reports are not part of the project)")
    gold = json.loads((REAL / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    gold["document"] = name + suffix
    predicted = document_to_json(extract_document(REAL / (name + suffix)))
    card = evaluate([predicted], [gold]).total
    for line in card.lines:
        assert line.score.f1 == 1.0, f"{name}{suffix}: {line.category}/{line.item} {line.score}"


def test_review_records_round_trip_through_the_build_s_json(layout: Document, decimal: Document) -> None:
    """A build keeps each document's records as JSON (records_json): the new fields survive."""
    from untoc_kg.records_json import document_from_json, document_to_json as records_to_json

    for document in (layout, decimal):
        assert document_from_json(json.loads(json.dumps(records_to_json(document)))) == document


def test_eval_scores_a_pdf_against_the_gold_of_its_text() -> None:
    if not (REAL / "gold").is_dir():
        pytest.skip(f"{REAL} is absent (the real UN reports are not part of the project)")
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "eval", "--json", "--gold", str(REAL / "gold"),
         str(REAL / "upr-svn-2010-wg.pdf")],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert [d["name"] for d in scores["documents"]] == ["upr-svn-2010-wg.pdf"]
    assert scores["total"]["scores"]["recommendations"]["recommending_states"]["f1"] == 1.0
