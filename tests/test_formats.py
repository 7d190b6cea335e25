"""Reports as published (PDF, web page, Word) give the same records as their text.

The inputs are made here from the corpus texts with real tools (tests/published_formats.py):
reportlab for A4 UN-style PDFs (running header with a symbol, page numbers, footnote, job-number
footer and barcode; 003 in two columns from page 2), an HTML page with site navigation, cookie
banner, sidebar and footer around the report, and python-docx for Word files whose paragraph
numbers are Word auto-numbering. Format is chosen by content, so names lie in some tests.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from html import escape
from pathlib import Path

import pytest

from published_formats import (
    BARCODE,
    FURNITURE_SYMBOL,
    JOB_NUMBER,
    make_docx,
    make_html,
    make_pdf,
    make_scanned_pdf,
    report_blocks,
    write,
)
from untoc_kg.corpus import corpus_files
from untoc_kg.extract import ExtractionError, extract_document, extract_text
from untoc_kg.extract.formats import Format, sniff_format
from untoc_kg.extract.gold_json import document_to_json
from untoc_kg.extract.normalise import normalise_text
from untoc_kg.extract.read import read_report

CORPUS = {p.name[:3]: p for p in corpus_files()}
KEYS = ("000", "001", "002", "003")
TWO_COLUMNS = {"003"}
FORMATS = ("pdf", "html", "docx")


def records(document) -> dict:
    """The document's records without the file name (the checksum is not in this shape)."""
    shape = document_to_json(document)
    shape.pop("document")
    return shape


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every corpus report in every format, made once for the module."""
    folder = tmp_path_factory.mktemp("published")
    made = {}
    for key in KEYS:
        blocks = report_blocks(CORPUS[key].read_text(encoding="utf-8"))
        made[key, "pdf"] = write(folder / f"{key}.pdf", make_pdf(blocks, two_columns=key in TWO_COLUMNS))
        made[key, "html"] = write(folder / f"{key}.html", make_html(blocks))
        made[key, "docx"] = write(folder / f"{key}.docx", make_docx(blocks))
    return made


@pytest.fixture(scope="module")
def text_records() -> dict[str, dict]:
    return {key: records(extract_text(CORPUS[key].read_text(encoding="utf-8"), CORPUS[key].name)) for key in KEYS}


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("key", KEYS)
def test_published_format_gives_the_records_of_its_text(published, text_records, key, kind):
    document = extract_document(published[key, kind])
    assert records(document) == text_records[key]
    assert document.recommendations, "a report with no recommendations proves nothing"


@pytest.mark.parametrize("key", KEYS)
def test_pdf_reads_as_the_text_without_page_furniture(published, key):
    """Reading order (columns, paragraphs split across pages) is right when the normalised text
    is the text's, line for line; headers, page numbers, footnote, job number and barcode are
    gone before the normaliser sees the text."""
    raw = read_report(published[key, "pdf"]).text
    for furniture in (FURNITURE_SYMBOL, JOB_NUMBER, BARCODE, "Symbols of related papers"):
        assert furniture not in raw
    assert normalise_text(raw) == normalise_text(CORPUS[key].read_text(encoding="utf-8"))


def test_web_page_keeps_the_report_and_drops_the_site(published):
    text = read_report(published["000", "html"]).text
    for furniture in (FURNITURE_SYMBOL, "cookies", "Home", "Terms of use", "analytics", "dataLayer", "Wagramer"):
        assert furniture not in text
    numbered = [b for b in report_blocks(CORPUS["000"].read_text(encoding="utf-8")) if re.match(r"\d{1,3}\. ", b)]
    assert numbered and all(block in text for block in numbered)  # <ol start=N> numbers written out


def test_hard_wrapped_text_in_a_web_page_keeps_its_lines(text_records, tmp_path):
    """002 is PDF-extracted text with hard line breaks; published in <pre> (and once with <br>)
    its lines stay lines, so the normaliser joins them as it does for the text."""
    raw = CORPUS["002"].read_text(encoding="utf-8")
    site = f'<!DOCTYPE html><html><body><nav><a href="/">{FURNITURE_SYMBOL}</a></nav>'
    pages = {
        "pre.html": f"{site}<main><pre>{escape(raw)}</pre></main></body></html>",
        "br.html": f"{site}<main><p>{'<br>'.join(escape(line) for line in raw.splitlines())}</p></main></body></html>",
    }
    for name, page in pages.items():
        assert records(extract_document(write(tmp_path / name, page))) == text_records["002"], name


@pytest.mark.parametrize("key", KEYS)
def test_word_numbering_is_reconstructed(published, key):
    """The .docx holds no "5." or "(a)" in its text; the reader writes Word's numbers back."""
    with zipfile.ZipFile(published[key, "docx"]) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    blocks = report_blocks(CORPUS[key].read_text(encoding="utf-8"))
    numbered = [b for b in blocks if re.match(r"\d{1,3}\. |\([a-z]\) ", b)]
    assert numbered
    assert not any(f">{b.split(' ', 1)[0]} " in body for b in numbered)
    paragraphs = set(read_report(published[key, "docx"]).text.split("\n\n"))
    assert all(block in paragraphs for block in numbered)


def test_format_is_sniffed_from_content_not_name(published, text_records, tmp_path):
    disguised = {
        "pdf": tmp_path / "report-pdf.txt",
        "docx": tmp_path / "report-docx.dat",
        "html": tmp_path / "report-html.md",
    }
    for kind, path in disguised.items():
        data = published["001", kind].read_bytes()
        path.write_bytes(data)
        assert sniff_format(data, path.name) is Format(kind)
        assert records(extract_document(path)) == text_records["001"]
    text = CORPUS["001"].read_bytes()
    assert sniff_format(text, "report.html") is Format.TEXT  # markdown with links is no web page
    assert sniff_format(b"<p>1. One</p>" * 12, "page.txt") is Format.HTML  # a page without doctype


def test_scanned_pdf_is_a_clear_error(tmp_path):
    scan = write(tmp_path / "scan-of-report.pdf", make_scanned_pdf())
    with pytest.raises(ExtractionError, match=r"scan-of-report\.pdf: no text layer: scanned PDF\? run OCR first"):
        extract_document(scan)


def _corrupt_inputs(published, folder: Path) -> dict[str, Path]:
    pdf = published["000", "pdf"].read_bytes()
    docx = published["000", "docx"].read_bytes()
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("content.txt", "1. A paragraph.")
    return {
        "truncated PDF": write(folder / "truncated.pdf", pdf[: len(pdf) // 2]),
        "garbage PDF": write(folder / "garbage.txt", b"%PDF-1.7\n" + bytes(range(256)) * 20),
        "truncated DOCX": write(folder / "truncated.docx", docx[:4000]),
        "zip that is no Word file": write(folder / "archive.docx", not_word.getvalue()),
        "DOCX that is not a zip": write(folder / "not-a-zip.docx", b"1. A paragraph.\n"),
    }


def test_corrupt_files_are_clear_errors_naming_the_file(published, tmp_path):
    for problem, path in _corrupt_inputs(published, tmp_path).items():
        with pytest.raises(ExtractionError) as caught:
            extract_document(path)
        message = str(caught.value)
        assert message.startswith(f"{path}: "), problem
        assert any(word in message for word in ("corrupt", "not a report")), (problem, message)


def test_cli_extracts_the_good_files_among_corrupt_ones(published, text_records, tmp_path):
    bad = _corrupt_inputs(published, tmp_path)
    good = [published["002", "pdf"], published["003", "docx"], published["000", "html"]]
    files = [bad["truncated PDF"], good[0], bad["truncated DOCX"], good[1], bad["garbage PDF"], good[2]]
    run = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "extract", "--json", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 1
    for path in (bad["truncated PDF"], bad["truncated DOCX"], bad["garbage PDF"]):
        assert f"error: {path}: corrupt" in run.stderr
    extracted = json.loads(run.stdout)
    assert [d["document"] for d in extracted] == [p.name for p in good]
    for key, shape in zip(("002", "003", "000"), extracted):
        shape.pop("document")
        assert shape == text_records[key]


def test_build_publishes_published_formats_and_names_the_bad_one(published, tmp_path):
    from untoc_kg import publish as pipeline

    bad = _corrupt_inputs(published, tmp_path)["truncated PDF"]
    inputs = [published["000", "html"], published["002", "pdf"], published["003", "docx"], bad]
    result = pipeline.build(inputs, tmp_path / "data", "https://example.org/untoc/")
    assert result.published is not None and result.validation.conforms
    assert [f.path for f in result.failures] == [bad]
    assert "corrupt PDF" in result.failures[0].problem
    assert [i["file"] for i in result.manifest["inputs"]] == [str(p) for p in inputs[:3]]
    assert result.manifest["store_triples"] > 1000
