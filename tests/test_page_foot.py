"""A recommendation heading at the foot of a page, its text on the next (issue 13).

A UN-style PDF of a corpus report is laid out (reportlab, tests/published_formats.py) with white
space before "Recommendation 4" so that the heading is the last line of page 1, above the
footnote, the job-number footer and the barcode, and its text opens page 2 under the running
header. Every recommendation must be kept, each with its own label and text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from published_formats import make_pdf, report_blocks, write
from untoc_kg.extract import extract_document, extract_text

CORPUS = Path(__file__).parent.parent / "src" / "untoc_kg" / "corpus" / "003_c1765e406b4dbe95.txt"
HEADING = "Recommendation 4"


def _heading_at_page_foot(blocks: list[str]) -> tuple[bytes, list[int]]:
    """The PDF with the most white space before the heading that keeps it on page 1."""
    index = blocks.index(HEADING)
    low, high = 0.0, 800.0
    best: tuple[bytes, list[int]] | None = None
    for _ in range(14):
        middle = (low + high) / 2
        pages: list[int] = []
        pdf = make_pdf(blocks, space_before=(index, middle), pages=pages)
        if pages[index] == 1:
            low, best = middle, (pdf, pages)
        else:
            high = middle
    assert best is not None, "the heading never fits on page 1"
    return best


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> tuple[Path, list[int], list[str]]:
    blocks = report_blocks(CORPUS.read_text(encoding="utf-8"))
    pdf, pages = _heading_at_page_foot(blocks)
    path = write(tmp_path_factory.mktemp("foot") / "003_foot.pdf", pdf)
    return path, pages, blocks


def test_the_layout_puts_the_heading_at_the_foot_and_its_text_on_the_next_page(laid_out) -> None:
    _, pages, blocks = laid_out
    index = blocks.index(HEADING)
    assert pages[index] == 1
    assert pages[index + 1] == 2


def test_every_recommendation_is_kept_with_its_label(laid_out) -> None:
    path, _, blocks = laid_out
    from_pdf = extract_document(path)
    from_text = extract_text(CORPUS.read_text(encoding="utf-8"), CORPUS.name)
    assert [(r.label, r.text) for r in from_pdf.recommendations] == [
        (r.label, r.text) for r in from_text.recommendations
    ]
    fourth = next(r for r in from_pdf.recommendations if r.label == HEADING)
    assert fourth.text == blocks[blocks.index(HEADING) + 1]
    assert not [w for w in from_pdf.warnings if "numbering" in w or "no text" in w]


# -- the same page break as `pdftotext -layout` prints it --------------------------------------

PAGE_FOOTERS = {
    "footnote, job number and dates, digit barcode": (
        "\n\n\n * Symbols of related papers: CTOC/COP/WG.7/2099/99.\n\n"
        "V.20-04871 (E)    220920    230920\n\n*2004871*\n"
    ),
    "indented job number, barcode in a symbol font": (
        "\n\n\n                  V.20-04871 (E)\n\n\n\uf02a\uf032\uf030\uf030\uf034\uf038\uf037\uf031\uf02a\n"
    ),
}


def _layout_text(footer: str) -> str:
    """The corpus report hard-wrapped as a PDF prints it, page 1 ending with the heading above
    `footer`, page 2 opening with the running header, a later page break inside the list."""
    import textwrap

    blocks = report_blocks(CORPUS.read_text(encoding="utf-8"))
    index = blocks.index(HEADING)

    def wrapped(part: list[str]) -> str:
        return "\n\n".join("\n".join(textwrap.wrap(b, 90)) for b in part)

    rest = wrapped(blocks[index + 1:]).replace(
        "Recommendation 9", "2\n\fCTOC/COP/WG.7/2020/3\n\nRecommendation 9"
    )
    return wrapped(blocks[:index + 1]) + footer + "\fCTOC/COP/WG.7/2020/3\n\n" + rest


@pytest.mark.parametrize("footer", list(PAGE_FOOTERS.values()), ids=list(PAGE_FOOTERS))
def test_heading_at_page_foot_in_layout_text(footer: str) -> None:
    from_layout = extract_text(_layout_text(footer), "layout.txt")
    from_text = extract_text(CORPUS.read_text(encoding="utf-8"), CORPUS.name)
    assert [(r.label, r.text) for r in from_layout.recommendations] == [
        (r.label, r.text) for r in from_text.recommendations
    ]
    assert from_layout.warnings == ()


def test_a_dropped_heading_is_never_silent() -> None:
    """Were a heading lost, the gap in the numbering is named (with the file where it is shown:
    tests/test_build_report.py)."""
    text = _layout_text(PAGE_FOOTERS["indented job number, barcode in a symbol font"])
    broken = extract_text(text.replace("Recommendation 6\n", "Recommendation 6 was\n", 1), "broken.txt")
    assert "Recommendation 6" not in [r.label for r in broken.recommendations]
    assert any(w.startswith("numbering gap") and "missing 6" in w for w in broken.warnings)
