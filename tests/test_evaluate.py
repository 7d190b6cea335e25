"""The scorer on small hand-made gold / prediction pairs with known precision, recall and F1."""

import copy

import pytest

from untoc_kg.extract.evaluate import Score, evaluate, fold, text_start_agrees

GOLD = {
    "document": "wg4_2031.txt",
    "duplicate_of": None,
    "kind": "report",
    "title": "Report on the meeting of the Working Group on Trafficking in Persons held in Geneva",
    "symbol": "CTOC/COP/WG.4/2031/4",
    "issued": "2031-05-02",
    "body": "Working Group on Trafficking in Persons",
    "parent_protocol": "TIP",
    "resolutions_cited": ["5/2", "11/4"],
    "meetings": [
        {"ordinal": 13, "start": "2029-04-10", "end": "2029-04-11", "place": None},
        {
            "ordinal": 14,
            "start": "2031-04-14",
            "end": "2031-04-16",
            "place": "Geneva",
            "chair": {"name": "Aino Virtanen", "state": "Finland"},
            "agenda": ["Organizational matters", "Victim identification", "Adoption of the report"],
            "attendance": {
                "states_parties": ["Argentina", "Côte d’Ivoire", "Finland", "Kenya"],
                "non_parties": ["Iran (Islamic Republic of)"],
            },
        },
    ],
    "recommendations": [
        {
            "meeting": 14,
            "seq": 1,
            "label": "1",
            "section": "A",
            "section_title": "Victim identification",
            "addressee": "States parties",
            "text_start": "States parties should train front-line officers to identify",
            "subitems": [],
            "citations": [
                {
                    "treaty": "TIP",
                    "article": 6,
                    "paragraph": 3,
                    "subparagraph": None,
                    "how": "explicit",
                }
            ],
            "organizations": ["IOM"],
        },
        {
            "meeting": 14,
            "seq": 2,
            "label": "2",
            "section": "A",
            "section_title": "Victim identification",
            "addressee": "The Secretariat",
            "text_start": "The Secretariat should continue to assist States, upon request,",
            "subitems": ["a", "b"],
            "citations": [
                {
                    "treaty": "UNTOC",
                    "article": 16,
                    "paragraph": None,
                    "subparagraph": None,
                    "how": "explicit",
                },
                {
                    "treaty": "UNTOC",
                    "article": 18,
                    "paragraph": None,
                    "subparagraph": None,
                    "how": "explicit",
                },
            ],
            "organizations": [],
        },
    ],
}


def perfect_prediction() -> dict:
    """What an extractor would print: full keys, longer text_start, chapter written out."""
    pred = copy.deepcopy(GOLD)
    for rec in pred["recommendations"]:
        rec["text_start"] += " and refer victims of trafficking"
        for c in rec["citations"]:
            c["chapter"] = None
    pred["meetings"][0].update(chair=None, agenda=[], attendance={}, panellists=[])
    pred["documents_cited"] = []
    return pred


def card(pred: dict | None):
    return evaluate([pred] if pred else [], [GOLD]).documents[0]


def test_perfect_prediction_scores_one_everywhere() -> None:
    result = card(perfect_prediction())
    for line in result.lines:
        assert line.score.f1 == 1.0, line
    assert result.score("recommendations") == Score(2, 2, 2)
    assert result.score("citations") == Score(3, 3, 3)
    assert result.score("attendance") == Score(5, 5, 5)
    assert result.score("meetings", "chair") == Score(2, 2, 2)


def test_missing_recommendation_costs_recall_not_precision() -> None:
    pred = perfect_prediction()
    del pred["recommendations"][1]
    result = card(pred)
    recs = result.score("recommendations")
    assert (recs.precision, recs.recall) == (1.0, 0.5)
    assert recs.f1 == pytest.approx(2 / 3)
    assert result.score("recommendations", "label") == Score(1, 1, 2)
    # its two citations are missed with it
    cites = result.score("citations")
    assert cites == Score(1, 1, 3)
    assert cites.f1 == pytest.approx(0.5)


def test_wrong_citation_is_one_false_positive_and_one_false_negative() -> None:
    pred = perfect_prediction()
    pred["recommendations"][0]["citations"][0]["paragraph"] = 2  # article 6(2) for 6(3)
    result = card(pred)
    cites = result.score("citations")
    assert cites == Score(2, 3, 3)
    assert cites.precision == pytest.approx(2 / 3)
    assert cites.recall == pytest.approx(2 / 3)
    assert result.score("recommendations").f1 == 1.0


def test_citation_found_from_context_not_explicit_only_costs_how() -> None:
    pred = perfect_prediction()
    pred["recommendations"][1]["citations"][1]["how"] = "context"
    result = card(pred)
    assert result.score("citations").f1 == 1.0
    assert result.score("citations", "how") == Score(2, 3, 3)


def test_extra_attendee_costs_precision_of_its_role_only() -> None:
    pred = perfect_prediction()
    pred["meetings"][1]["attendance"]["states_parties"].append("Japan")
    result = card(pred)
    parties = result.score("attendance", "states_parties")
    assert parties == Score(4, 5, 4)
    assert parties.precision == pytest.approx(0.8)
    assert parties.f1 == pytest.approx(2 * 0.8 / 1.8)
    assert result.score("attendance", "non_parties").f1 == 1.0
    assert result.score("attendance") == Score(5, 6, 5)


def test_names_compare_after_folding_quotes_and_spaces() -> None:
    pred = perfect_prediction()
    pred["meetings"][1]["attendance"]["states_parties"][1] = "Côte d'Ivoire"
    pred["meetings"][1]["attendance"]["non_parties"] = ["Iran  (Islamic\nRepublic of)"]
    assert card(pred).score("attendance").f1 == 1.0
    assert fold("“a”\u00a0 b") == '"a" b'


def test_meeting_fields_are_right_or_wrong_per_meeting() -> None:
    pred = perfect_prediction()
    pred["meetings"][1]["end"] = "2031-04-17"
    pred["meetings"][1]["chair"] = {"name": "Aino Virtanen", "state": None}
    pred["meetings"][1]["agenda"] = ["Organizational matters:", "Victim identification"]
    result = card(pred)
    assert result.score("meetings") == Score(2, 2, 2)
    assert result.score("meetings", "start") == Score(2, 2, 2)
    assert result.score("meetings", "end") == Score(1, 2, 2)
    assert result.score("meetings", "chair") == Score(1, 2, 2)
    # items compared in order: the first is misprinted, the third is missing
    assert result.score("agenda") == Score(1, 2, 3)


def test_wrong_fields_of_a_matched_recommendation() -> None:
    pred = perfect_prediction()
    rec = pred["recommendations"][1]
    rec.update(addressee="States", section="B", subitems=["a"], organizations=["UNODC"])
    rec["text_start"] = "The Secretariat should continue"
    result = card(pred)
    assert result.score("recommendations").f1 == 1.0
    for field in ("addressee", "section", "subitems", "organizations", "text_start"):
        assert result.score("recommendations", field) == Score(1, 2, 2), field
    assert result.score("recommendations", "label") == Score(2, 2, 2)


def test_text_start_compares_over_the_shorter_text() -> None:
    gold = "States parties should train front-line officers to identify victims"
    assert text_start_agrees(gold + " of trafficking", gold)
    assert text_start_agrees(gold[:64], gold)
    assert not text_start_agrees(gold[:30], gold)
    assert not text_start_agrees(gold.replace("train", "teach"), gold)
    assert text_start_agrees("States should act.", "States should act.")


def test_document_fields_and_resolution_sets() -> None:
    pred = perfect_prediction()
    pred["issued"] = None
    pred["resolutions_cited"] = ["11/4", "5/2", "9/1"]
    result = card(pred)
    assert result.score("document", "issued") == Score(0, 1, 1)
    assert result.score("document", "kind") == Score(1, 1, 1)
    assert result.score("document", "resolutions_cited") == Score(2, 3, 2)


def test_a_document_without_prediction_is_all_missed_and_others_are_unscored() -> None:
    other = perfect_prediction() | {"document": "not_annotated.txt"}
    result = evaluate([other], [GOLD])
    assert result.missing == ("wg4_2031.txt",)
    assert result.unscored == ("not_annotated.txt",)
    doc = result.documents[0]
    assert doc.score("recommendations") == Score(0, 0, 2)
    assert doc.score("document", "title") == Score(0, 0, 1)


def test_total_sums_counts_over_documents() -> None:
    second = copy.deepcopy(GOLD) | {"document": "wg4_2032.txt"}
    pred_second = perfect_prediction() | {"document": "wg4_2032.txt"}
    del pred_second["recommendations"][0]
    result = evaluate([perfect_prediction(), pred_second], [GOLD, second])
    assert result.total.score("recommendations") == Score(3, 3, 4)
    assert result.total.score("citations") == Score(5, 5, 6)
    data = result.as_json()
    assert data["total"]["scores"]["recommendations"]["all"]["recall"] == 0.75
    assert [d["name"] for d in data["documents"]] == ["wg4_2031.txt", "wg4_2032.txt"]
