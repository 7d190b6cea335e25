"""A list label printed alone on its line ("4." with its text on the next line, as pdftotext or a
hard-wrapped text can print it) opens its own block: its recommendation is neither joined to the
one before nor lost. And the numbering check runs across the sections of a list numbered on
through them, so a label lost at a section's end is still named (issue 13, item 3). Texts written
for these tests."""

from __future__ import annotations

from untoc_kg.extract.document import numbering_warnings
from untoc_kg.extract.normalise import normalise_text
from untoc_kg.extract.recommendations import find_recommendations
from untoc_kg.records import Recommendation, Span

HEADER = """\
Report on the meeting of the Working Group on Trafficking in Persons held in Vienna from 6 to 8 July 2016

I. Introduction

1. The Working Group was established by the Conference in its decision 4/4.

II. Conclusions and recommendations

2. The Working Group adopted the following recommendations:

"""

LONE_LABELS = HEADER + """\
A. Non-punishment of victims

3. States parties should consider not punishing victims.

4.
States parties should train officials
in the identification of victims.

5. States parties should share data.

6.
The Secretariat should assist States.

B. Cooperation

7. The Secretariat should continue to assist States in implementing the Protocol.

III. Organization of the meeting

8. The sixth meeting of the Working Group was held in Vienna.
"""


def found(text: str, meeting: int | None = 6) -> list[tuple[str, str | None, str]]:
    return [(r.label, r.section, r.text) for r in find_recommendations(normalise_text(text), "X", meeting)]


EXPECTED = [
    ("3", "A", "States parties should consider not punishing victims."),
    ("4", "A", "States parties should train officials in the identification of victims."),
    ("5", "A", "States parties should share data."),
    ("6", "A", "The Secretariat should assist States."),
    ("7", "B", "The Secretariat should continue to assist States in implementing the Protocol."),
]


def test_a_label_alone_on_its_line_opens_a_block_with_the_lines_after_it() -> None:
    text = normalise_text(LONE_LABELS)
    assert "\n4. States parties should train officials in the identification of victims.\n" in text
    assert "\n6. The Secretariat should assist States.\nB. Cooperation\n" in text


def test_lone_labels_in_a_section_and_at_its_end_are_recommendations() -> None:
    assert found(LONE_LABELS) == EXPECTED


def test_lone_labels_without_blank_lines_between_blocks() -> None:
    assert found(LONE_LABELS.replace("\n\n", "\n")) == EXPECTED


def test_lone_label_after_a_blank_line_or_before_one() -> None:
    text = LONE_LABELS.replace("4.\nStates parties should train", "4.\n\nStates parties should train")
    assert found(text) == EXPECTED


def test_hard_wrapped_text_with_lone_labels() -> None:
    wrapped = HEADER + """\
A. Non-punishment of victims

3. States parties should consider, in line with article 6 of the Protocol, not
punishing victims of trafficking for the offences they were compelled to commit
as a direct consequence of having been trafficked, and should review laws.

4.
States parties should train the officials who are likely to meet victims of
trafficking in the identification of victims and in their referral to services
and should evaluate the training that is given to them.

5.
States parties should share data on trafficking in persons with the Secretariat
so that its reports can describe trends in the forms of trafficking in persons
and in the responses of States to them across the regions of the world.

B. Cooperation

6. The Secretariat should continue to assist States in implementing the Protocol
and should report to the Working Group at its next meeting on its assistance.

III. Organization of the meeting

7. The sixth meeting of the Working Group was held in Vienna.
"""
    recs = found(wrapped)
    assert [(label, section) for label, section, _ in recs] == [("3", "A"), ("4", "A"), ("5", "A"), ("6", "B")]
    assert recs[1][2].startswith("States parties should train the officials")
    assert recs[1][2].endswith("training that is given to them.")
    assert recs[2][2].endswith("across the regions of the world.")


DECIMAL = """\
Report of the Working Group on the Universal Periodic Review

I. Summary of the proceedings of the review process

1. The Working Group held its review of the State.

II. Conclusions and/or recommendations

2. The recommendations formulated during the interactive dialogue listed below enjoy the support of the State:

2.1
Ratify the Convention against Torture;

2.2 Adopt a law on domestic violence;

2.3
Strengthen the national human rights institution;

3. All conclusions and recommendations reflect the position of the submitting State.
"""


def test_lone_decimal_labels_of_a_list_inside_a_paragraph() -> None:
    recs = find_recommendations(normalise_text(DECIMAL), "A/HRC/WG.6", 6)
    assert [(r.label, r.paragraph, r.text) for r in recs] == [
        ("2.1", "2", "Ratify the Convention against Torture;"),
        ("2.2", "2", "Adopt a law on domestic violence;"),
        ("2.3", "2", "Strengthen the national human rights institution;"),
    ]


def test_a_year_or_a_page_number_alone_on_a_line_is_no_label() -> None:
    text = LONE_LABELS.replace(
        "5. States parties should share data.",
        "5. States parties should share data collected in\n2019.\nThey should publish them.\n\n12\n",
    )
    recs = found(text)
    assert [label for label, _, _ in recs] == ["3", "4", "5", "6", "7"]
    assert recs[2][2] == "States parties should share data collected in 2019. They should publish them."
    assert "\n12\n" not in normalise_text(text)


def rec(label: str, section: str | None) -> Recommendation:
    return Recommendation(
        body_symbol="X", meeting=6, seq=1, label=label, section=section, section_title=None,
        addressee=None, text="States should act.", subitems=(), paragraph=label, span=Span(0, 1),
    )


def test_a_number_missing_across_a_section_boundary_is_named() -> None:
    recs = (rec("3", "A"), rec("4", "A"), rec("6", "B"), rec("7", "B"))
    assert numbering_warnings(recs) == ["numbering gap between recommendations 4 and 6 (missing 5)"]


def test_numbering_restarting_in_each_section_is_no_gap() -> None:
    recs = (rec("1", "A"), rec("2", "A"), rec("1", "B"), rec("2", "B"), rec("3", "B"))
    assert numbering_warnings(recs) == []


def test_numbering_running_on_across_sections_is_no_gap() -> None:
    recs = (rec("3", "A"), rec("4", "A"), rec("5", "B"), rec("6", "C"))
    assert numbering_warnings(recs) == []


def test_recommendation_headings_alone_on_their_lines_at_a_section_end() -> None:
    text = HEADER + """\
A. Non-punishment of victims

Recommendation 1
States parties should consider not punishing victims.

Recommendation 2
States parties should train officials.

B. Cooperation

Recommendation 3
The Secretariat should assist States.

III. Organization of the meeting

8. The sixth meeting of the Working Group was held in Vienna.
"""
    assert found(text) == [
        ("Recommendation 1", "A", "States parties should consider not punishing victims."),
        ("Recommendation 2", "A", "States parties should train officials."),
        ("Recommendation 3", "B", "The Secretariat should assist States."),
    ]


def test_a_label_without_its_text_at_a_section_end_is_kept_and_named() -> None:
    text = LONE_LABELS.replace("6.\nThe Secretariat should assist States.\n", "6.\n")
    recs = find_recommendations(normalise_text(text), "X", 6)
    assert [r.label for r in recs] == ["3", "4", "5", "6", "7"]
    assert recs[2].text == "States parties should share data."
    assert (recs[3].section, recs[3].text) == ("A", "")
    assert numbering_warnings(recs) == ["recommendation 6 has no text (kept)"]


def test_a_label_without_its_text_before_the_next_paragraph_is_kept_and_named() -> None:
    text = LONE_LABELS.replace("4.\nStates parties should train officials\nin the identification of victims.\n", "4.\n")
    recs = find_recommendations(normalise_text(text), "X", 6)
    assert [(r.label, r.text) for r in recs][:3] == [
        ("3", "States parties should consider not punishing victims."), ("4", ""), ("5", "States parties should share data."),
    ]
    assert numbering_warnings(recs) == ["recommendation 4 has no text (kept)"]
