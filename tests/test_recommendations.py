"""Recommendations: layouts written for the tests (not taken from the corpus), addressees, and the
bundled corpus against its gold annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from untoc_kg.corpus import corpus_files
from untoc_kg.extract.normalise import normalise_text
from untoc_kg.extract.recommendations import addressee, find_recommendations

GOLD = Path(__file__).parent / "gold"

TIP_REPORT = """\
Report on the meeting of the Working Group on Trafficking in Persons held in Vienna from 6 to 8 July 2016

I. Introduction

1. The Working Group was established by the Conference in its decision 4/4.

II. Conclusions and recommendations

2. The Working Group adopted the following recommendations:

A. Non-punishment of victims

3. States parties should consider, in line with article 6 of the Protocol, not punishing victims.

4. In accordance with domestic law, States parties and the International Labour Organization (ILO) should:

(a) Share data;

(b) Train officials.

B. Cooperation

5. The Secretariat should continue to assist States in implementing the Protocol.

III. Organization of the meeting

6. The sixth meeting of the Working Group was held in Vienna.
"""


def recommendations(text: str, meeting: int | None = 6):
    return find_recommendations(normalise_text(text), "CTOC/COP/WG.4", meeting)


def test_report_chapter_gives_numbered_paragraphs_without_the_chapeau() -> None:
    found = recommendations(TIP_REPORT)
    assert [(r.meeting, r.seq, r.label, r.section, r.section_title) for r in found] == [
        (6, 1, "3", "A", "Non-punishment of victims"),
        (6, 2, "4", "A", "Non-punishment of victims"),
        (6, 3, "5", "B", "Cooperation"),
    ]
    assert [r.addressee for r in found] == ["States parties", "States parties and ILO", "The Secretariat"]
    second = found[1]
    assert second.text == (
        "In accordance with domestic law, States parties and the International Labour Organization "
        "(ILO) should: (a) Share data; (b) Train officials."
    )
    assert [(s.label, s.text) for s in second.subitems] == [("a", "Share data;"), ("b", "Train officials.")]
    assert all(r.paragraph == r.label and r.body_symbol == "CTOC/COP/WG.4" for r in found)


def test_spans_point_into_the_normalised_text() -> None:
    text = normalise_text(TIP_REPORT)
    for r in find_recommendations(text, "CTOC/COP/WG.4", 6):
        assert text[r.span.start:r.span.end].replace("\n", " ") == r.text


def test_a_report_without_a_known_meeting_gives_no_recommendations() -> None:
    assert recommendations(TIP_REPORT, meeting=None) == ()


HEADED = """\
II. Recommendations

3. At its meeting, the Working Group on Firearms adopted the recommendations presented below.

A. Marking and record-keeping

Recommendation 1

States parties are encouraged to mark firearms at import.

Recommendation 2

Consistent with the Firearms Protocol, States should keep records for at least ten years.

B. Brokering

Recommendation 3

The Conference may wish to consider brokering at its next session.

III. Organization of the meeting

4. The fifth meeting was held in Vienna.
"""


def test_recommendation_headings_layout() -> None:
    found = recommendations(HEADED, meeting=5)
    assert [(r.seq, r.label, r.paragraph, r.section, r.addressee) for r in found] == [
        (1, "Recommendation 1", "Recommendation 1", "A", "States parties"),
        (2, "Recommendation 2", "Recommendation 2", "A", "States"),
        (3, "Recommendation 3", "Recommendation 3", "B", "The Conference"),
    ]
    assert found[1].text == "Consistent with the Firearms Protocol, States should keep records for at least ten years."


COMPILATION = """\
Recommendations adopted by the Working Group on Trafficking in Persons at its first two meetings

I. First meeting, Vienna, 14 and 15 April 2009

1. States parties should ratify the Protocol.
2. The Working Group should meet annually.

II. Second meeting, Vienna, 27 and 28 January 2010

A. Prevention

1. States should raise awareness.

B. Protection

2. To protect victims, international organizations may be requested to assist.
"""


def test_compilation_chapters_name_their_meetings() -> None:
    found = recommendations(COMPILATION, meeting=None)
    assert [(r.meeting, r.seq, r.label, r.section, r.addressee) for r in found] == [
        (1, 1, "1", None, "States parties"),
        (1, 2, "2", None, "The Working Group"),
        (2, 1, "1", "A", "States"),
        (2, 2, "2", "B", "International organizations"),
    ]


PER_SECTION = """\
II. Recommendations

A. Criminal justice response

1. Criminalization

1. States parties should criminalize the conduct set out in article 5 of the Protocol.

2. States parties should review their legislation.

2. Jurisdiction

3. States parties should establish jurisdiction over the offences.

B. Prevention

1. States should take measures to prevent the offence.

III. Adoption of the report

4. The report was adopted.
"""


def test_paragraphs_numbered_per_section_with_numbered_subheadings() -> None:
    found = recommendations(PER_SECTION, meeting=2)
    assert [(r.seq, r.label, r.section, r.text[:28]) for r in found] == [
        (1, "1", "A", "States parties should crimin"),
        (2, "2", "A", "States parties should review"),
        (3, "3", "A", "States parties should establ"),
        (4, "1", "B", "States should take measures "),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States should consider establishing jurisdiction.", "States"),
        ("States parties, especially those with common borders, should share information.", "States parties"),
        ("States of origin, transit and destination should cooperate.", "States"),
        ("States that have not yet done so should be urged to ratify it.", "States"),
        ("States, supported by international organizations when requested, should act.", "States"),
        ("Consistent with applicable international law, States should not hold seafarers liable.", "States"),
        ("In implementing the Protocol, States parties should take full advantage of the tools.", "States parties"),
        ("Although the two crimes may, in some cases, share features, States parties should keep them apart.", "States parties"),
        ("In accordance with obligations, including article 19 of the Protocol, States should respect rights.", "States"),
        ("The Working Group on Trafficking in Persons requested the Secretariat to report.", "The Secretariat"),
        ("The Working Group recommended that the Conference of the Parties consider it.", "The Conference"),
        ("The Working Group recommended to the Conference that it should consider it.", "The Conference"),
        ("The Conference invited Member States to share information.", "Member States"),
        ("The Working Group requested UNODC to continue its efforts.", "UNODC"),
        ("The Working Group may wish to request the Secretariat to organize meetings.", "The Working Group"),
        ("The Working Group should continue advising the Conference.", "The Working Group"),
        ("The Conference should encourage engagement of States.", "The Conference"),
        ("Recalling the anniversary, States parties and the United Nations Office on Drugs and Crime (UNODC) should act.",
         "States parties and UNODC"),
        ("To complement efforts, international organizations may be requested to help.", "International organizations"),
        ("Bearing in mind recommendation 11, States parties should also consider it.", "States parties"),
    ],
)
def test_addressee_is_whom_the_recommendation_asks_to_act(text: str, expected: str) -> None:
    assert addressee(text) == expected


def _reported_meeting(gold: dict) -> int | None:
    return None if gold["kind"] == "compilation" else max(m["ordinal"] for m in gold["meetings"])


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:3])
def test_corpus_recommendations_match_the_gold(path: Path) -> None:
    gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    found = find_recommendations(normalise_text(path.read_text(encoding="utf-8")), "X", _reported_meeting(gold))
    expected = [
        (g["meeting"], g["seq"], g["label"], g["section"], g["section_title"], g["addressee"], g["subitems"])
        for g in gold["recommendations"]
    ]
    assert [
        (r.meeting, r.seq, r.label, r.section, r.section_title, r.addressee, [s.label for s in r.subitems])
        for r in found
    ] == expected
    fold = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2019": "'"})
    for r, g in zip(found, gold["recommendations"]):
        assert r.text.startswith(g["text_start"].translate(fold)), (r.label, r.text[:80])
