"""Acceptance of issue 3: `untoc-kg eval` on the bundled corpus against tests/gold.

Recommendations F1 = 1.00 and every recommendation field >= 0.99; citations F1 >= 0.99; attendance
F1 >= 0.99; every meeting field right; 004 (a web transcription) gives the same recommendations and
meetings as 002 (the PDF extraction of the same report).
"""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from untoc_kg.cli import app
from untoc_kg.corpus import corpus_files
from untoc_kg.extract import extract_document
from untoc_kg.extract.evaluate import MEETING_FIELDS, RECOMMENDATION_FIELDS
from untoc_kg.extract.gold_json import document_to_json

GOLD = Path(__file__).parent / "gold"


@pytest.fixture(scope="module")
def report() -> dict:
    """The machine output of `untoc-kg eval --gold tests/gold --json` over the bundled corpus."""
    result = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--json"])
    assert result.exit_code == 0, result.stderr or result.output
    return json.loads(result.stdout)


def total(report: dict, category: str, item: str = "all") -> dict:
    return report["total"]["scores"][category][item]


def test_every_corpus_document_is_scored(report: dict) -> None:
    assert [d["name"] for d in report["documents"]] == [p.name for p in corpus_files()]
    assert report["missing"] == [] and report["unscored"] == []


def test_recommendations_are_all_found(report: dict) -> None:
    recs = total(report, "recommendations")
    assert recs["expected"] == 278
    assert recs["f1"] == 1.0, recs


@pytest.mark.parametrize("field", RECOMMENDATION_FIELDS)
def test_recommendation_field(report: dict, field: str) -> None:
    assert total(report, "recommendations", field)["f1"] >= 0.99


def test_citations(report: dict) -> None:
    assert total(report, "citations")["f1"] >= 0.99


def test_attendance(report: dict) -> None:
    assert total(report, "attendance")["f1"] >= 0.99


@pytest.mark.parametrize("field", MEETING_FIELDS)
def test_every_meeting_field_is_right(report: dict, field: str) -> None:
    meetings = total(report, "meetings")
    assert meetings["f1"] == 1.0, meetings
    score = total(report, "meetings", field)
    assert score["correct"] == score["expected"] == score["predicted"], score


def test_web_transcription_gives_the_records_of_the_pdf() -> None:
    by_stem = {p.name[:3]: p for p in corpus_files()}
    pdf = document_to_json(extract_document(by_stem["002"]))
    web = document_to_json(extract_document(by_stem["004"]))
    assert web["meetings"] == pdf["meetings"]
    assert web["recommendations"] == pdf["recommendations"]


def test_eval_needs_a_gold_folder() -> None:
    result = CliRunner().invoke(app, ["eval"])
    assert result.exit_code == 2
    assert "--gold" in re.sub(r"[\s│]+", "", result.stderr)


def test_eval_names_a_broken_gold_file(tmp_path: Path) -> None:
    (tmp_path / "000_33deeeb2d3084b78.json").write_text('{"document": ', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--gold", str(tmp_path)])
    assert result.exit_code == 2
    message = re.sub(r"[\s│]+", "", result.stderr)  # the error panel wraps long lines
    assert "000_33deeeb2d3084b78.json" in message
    assert "notaJSONfile" in message
