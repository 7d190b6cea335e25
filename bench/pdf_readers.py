"""Which PDF library reads UN-style PDFs in the cleanest reading order, measured in one run.

    python3 bench/pdf_readers.py

The PDFs are made from the corpus texts with reportlab exactly as tests/test_formats.py makes
them (A4, running header with a symbol, page numbers, a footnote, job-number footer and barcode),
once in one column and once with the body in two columns. Each reader's text goes through the
same normaliser and extractor, and is scored against the records of the report's own text:
- lines: bag F1 of the normalised lines (reading order and block boundaries);
- records: micro F1 over every category of `untoc_kg.extract.evaluate` (the eval table);
- exact: documents whose records equal the text's.
Readers: pdfminer.six / pdfplumber / pypdf text with pages joined by form feeds (the normaliser
then drops job numbers, barcodes and repeated headers as it can from text alone), Debian poppler
`pdftotext` (if installed), and untoc-kg's reader (pdfminer.six layout + page structure). Not a
test: it needs pdfplumber, pypdf and poppler-utils, which untoc-kg itself does not.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from published_formats import make_pdf, report_blocks  # noqa: E402
from untoc_kg.corpus import corpus_files  # noqa: E402
from untoc_kg.extract import ExtractionError, extract_text  # noqa: E402
from untoc_kg.extract.evaluate import ALL, Score, score_document  # noqa: E402
from untoc_kg.extract.formats.pdf import pdf_text  # noqa: E402
from untoc_kg.extract.gold_json import document_to_json  # noqa: E402
from untoc_kg.extract.normalise import normalise_text  # noqa: E402

REPORTS = ("000", "001", "002", "003")


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text as pdfminer_extract

    return pdfminer_extract(io.BytesIO(data))  # pages end in form feeds


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\f".join(page.extract_text() or "" for page in pdf.pages)


def pypdf_text(data: bytes) -> str:
    import pypdf

    return "\f".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def poppler_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf.name, "-"], capture_output=True,
                              text=True, check=True).stdout


def untoc_kg_text(data: bytes) -> str:
    return pdf_text(data, "report.pdf")


READERS: dict[str, Callable[[bytes], str]] = {
    "pdfminer.six extract_text": pdfminer_text,
    "pdfplumber extract_text": pdfplumber_text,
    "pypdf extract_text": pypdf_text,
    "poppler pdftotext": poppler_text,
    "untoc-kg (pdfminer layout + page structure)": untoc_kg_text,
}


def line_score(predicted: str, expected: str) -> Score:
    got, want = Counter(predicted.split("\n")), Counter(expected.split("\n"))
    return Score(sum((got & want).values()), sum(got.values()), sum(want.values()))


def record_score(predicted: dict | None, expected: dict) -> Score:
    card = score_document(predicted, expected)
    total = Score()
    for line in card.lines:
        if line.item == ALL:
            total = total + line.score
    return total


def main() -> None:
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in corpus_files() if p.name[:3] in REPORTS}
    pdfs = {
        (key, columns): make_pdf(report_blocks(text), two_columns=columns == 2)
        for key, text in texts.items() for columns in (1, 2)
    }
    expected = {key: document_to_json(extract_text(text, key)) for key, text in texts.items()}
    table = Table(title="PDF readers on UN-style PDFs made from the corpus (4 reports x 1 and 2 columns)")
    for column in ("reader", "layout", "lines F1", "records F1", "exact", "seconds"):
        table.add_column(column, justify="left" if column in {"reader", "layout"} else "right")
    for name, reader in READERS.items():
        if name.startswith("poppler") and not shutil.which("pdftotext"):
            continue
        for columns in (1, 2):
            lines, recs, exact, seconds = Score(), Score(), 0, 0.0
            for key, text in texts.items():
                start = time.perf_counter()
                raw = reader(pdfs[key, columns])
                seconds += time.perf_counter() - start
                lines = lines + line_score(normalise_text(raw), normalise_text(text))
                try:
                    predicted = document_to_json(extract_text(raw, key))
                except ExtractionError:
                    predicted = None  # scored as all missed
                recs = recs + record_score(predicted, expected[key])
                exact += predicted == expected[key]
            table.add_row(name, f"{columns} column{'s' * (columns > 1)}", f"{lines.f1:.3f}",
                          f"{recs.f1:.3f}", f"{exact}/{len(texts)}", f"{seconds:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
