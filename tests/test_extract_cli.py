"""The extract stage end to end: `extract_document` / `extract_text` and `untoc-kg extract`, with
bad files among good ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from untoc_kg.corpus import corpus_files
from untoc_kg.extract import ExtractionError, extract_document, extract_text

CORPUS = {p.name[:3]: p for p in corpus_files()}

REPORT = """\
Conference of the Parties to the United Nations Convention against Transnational Organized Crime

Distr.: General
2 August 2016

Original: English

Report on the meeting of the Working Group on the Smuggling of Migrants held in Vienna from 11 to 13 July 2016

I. Introduction

1. The fourth meeting of the Working Group on the Smuggling of Migrants was held in Vienna from 11 to 13 July 2016.

II. Recommendations

2. The Working Group adopted the recommendations below.

A. Cooperation

3. States parties should make full use of article 8 of the Protocol and cooperate with the International Criminal Police Organization (INTERPOL).

III. Organization of the meeting

4. The meeting was chaired by Ana Pérez (Spain).
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "extract", *args],
        capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    paths = {
        "good": folder / "good.txt",
        "windows": folder / "windows.txt",
        "empty": folder / "empty.txt",
        "binary": folder / "binary.pdf",
    }
    paths["good"].write_text(REPORT, encoding="utf-8")
    paths["windows"].write_bytes(REPORT.replace("(Spain)", "(Espa\u00f1a) \u2013 \u201cChair\u201d").encode("cp1252"))
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03" * 50)
    return paths


def test_a_report_written_for_the_test_is_extracted() -> None:
    doc = extract_text(REPORT, source="written.txt")
    assert doc.source == "written.txt" and doc.kind == "report"
    [rec] = doc.recommendations
    assert (rec.meeting, rec.seq, rec.label, rec.section, rec.addressee) == (4, 1, "3", "A", "States parties")
    assert [c.key for c in rec.citations] == [("SOM", 8, None, None, None)]
    assert "INTERPOL" in rec.organizations
    assert doc.warnings == ()


def test_citation_spans_point_into_the_normalised_text() -> None:
    from untoc_kg.extract import normalise_text

    text = normalise_text(REPORT)
    [rec] = extract_text(REPORT).recommendations
    [citation] = rec.citations
    assert text[citation.span.start:citation.span.end] == citation.text
    assert "article 8" in citation.text


def test_report_without_recommendations_is_extracted_with_a_warning() -> None:
    text = REPORT.replace("II. Recommendations", "II. Deliberations").replace(
        "2. The Working Group adopted the recommendations below.", "2. Speakers noted the challenges."
    )
    doc = extract_text(text, source="plain.txt")
    assert doc.recommendations == ()
    assert "no recommendations found" in doc.warnings
    assert [m.ordinal for m in doc.meetings] == [4]


def test_report_cut_off_mid_sentence_gets_a_warning() -> None:
    cut = REPORT[: REPORT.index("and cooperate with")]
    doc = extract_text(cut, source="cut.txt")
    assert any("cut off" in w for w in doc.warnings)


@pytest.mark.parametrize("text", ["hello world, nothing to see here", "1. 2. 3.\n(a) (b)"])
def test_text_without_report_structure_is_an_error(text: str) -> None:
    with pytest.raises(ExtractionError, match="unstructured.txt: no report structure"):
        extract_text(text, source="unstructured.txt")


def test_cli_extracts_good_files_and_reports_bad_ones(files: dict[str, Path]) -> None:
    result = run_cli(*(str(files[k]) for k in ("empty", "good", "binary", "windows")), "--json")
    assert result.returncode == 1
    assert f"{files['empty']}: empty file" in result.stderr
    assert f"{files['binary']}: corrupt PDF" in result.stderr  # read as a PDF since issue 8
    assert "read as cp1252" in result.stderr and "windows.txt" in result.stderr
    extracted = json.loads(result.stdout)
    assert [d["document"] for d in extracted] == ["good.txt", "windows.txt"]
    for document in extracted:
        assert document["kind"] == "report"
        assert [(r["label"], r["addressee"]) for r in document["recommendations"]] == [("3", "States parties")]
        assert document["recommendations"][0]["citations"][0]["article"] == 8


def test_cli_summary_and_success_status(files: dict[str, Path]) -> None:
    result = run_cli(str(files["good"]))
    assert result.returncode == 0, result.stderr
    assert "good.txt" in result.stdout and "1 recommendations" in result.stdout


def _recommendation_facts(path: Path) -> list[tuple]:
    return [
        (r.meeting, r.seq, r.label, r.section, r.section_title, r.addressee, r.text,
         tuple(s.label for s in r.subitems), tuple(c.key + (c.how,) for c in r.citations), r.organizations)
        for r in extract_document(path).recommendations
    ]


def test_web_copy_and_pdf_text_give_identical_recommendations() -> None:
    pdf, web = _recommendation_facts(CORPUS["002"]), _recommendation_facts(CORPUS["004"])
    assert len(pdf) == 33
    assert web == pdf
