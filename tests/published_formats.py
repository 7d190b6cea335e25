"""Reports as the UN publishes them, made from a report's text with real tools: a PDF laid out
like a UN document (reportlab), a web page with a site around the report (HTML), and a Word file
with auto-numbered paragraphs (python-docx). Used by tests/test_formats.py and
bench/pdf_readers.py.

Each maker takes the report's normalised text (one block per line) and adds the furniture a
reader must drop: running header with the symbol, page numbers, job-number footer and barcode,
a footnote, navigation, cookie banner... Where that furniture contains a document symbol, it is
one the report does not cite, so a reader that keeps it changes the records.
"""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path

FURNITURE_SYMBOL = "CTOC/COP/WG.7/2099/99"
"""A symbol that only the furniture carries (running header, footnote, site navigation)."""
JOB_NUMBER = "V.13-87865 (E)"
BARCODE = "*1387865*"

_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
_LETTERED = re.compile(r"^\(([a-z])\)\s+(.*)$")
_HEADING = re.compile(r"^(?:(?:[IVX]{1,6}|[A-H])\.\s+\S|Recommendations? \d+$|Annex\b)")


def report_blocks(text: str) -> list[str]:
    from untoc_kg.extract.normalise import normalise_text

    return [line for line in normalise_text(text).split("\n") if line.strip()]


# ---------------------------------------------------------------- PDF (reportlab)


def make_pdf(
    blocks: list[str],
    two_columns: bool = False,
    space_before: tuple[int, float] | None = None,
    pages: list[int] | None = None,
) -> bytes:
    """An A4 UN-style PDF: page 1 with a footnote, the job number and the barcode; later pages
    with the symbol as running header (left on even pages, right on odd) and page numbers;
    optionally the body from page 2 on in two columns. `space_before` = (block index, points):
    white space put before that block (to move it to a page's foot); `pages`, when given, is
    filled with the page each block was set on."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph, Spacer

    width, height = A4
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=7,
                          alignment=TA_JUSTIFY)
    heading = ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", spaceBefore=6,
                             alignment=0)

    def first_page(canvas, doc):
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.line(2.5 * cm, 3.6 * cm, 7.5 * cm, 3.6 * cm)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2.5 * cm, 3.2 * cm, f"* Symbols of related papers: {FURNITURE_SYMBOL}.")
        canvas.drawString(2.5 * cm, 1.6 * cm, JOB_NUMBER)
        canvas.setFont("Courier", 9)
        canvas.drawString(2.5 * cm, 1.1 * cm, BARCODE)
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(width - 2.5 * cm, 1.6 * cm, str(doc.page))
        canvas.restoreState()

    def later_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 8)
        left = doc.page % 2 == 0
        draw = canvas.drawString if left else canvas.drawRightString
        draw(2.5 * cm if left else width - 2.5 * cm, height - 1.5 * cm, FURNITURE_SYMBOL)
        canvas.setLineWidth(0.5)
        canvas.line(2.5 * cm, height - 1.7 * cm, width - 2.5 * cm, height - 1.7 * cm)
        canvas.setFont("Helvetica", 8)
        draw(2.5 * cm if left else width - 2.5 * cm, 1.4 * cm, str(doc.page))
        canvas.restoreState()

    inner = width - 5 * cm
    first_frame = Frame(2.5 * cm, 4.2 * cm, inner, height - 6.7 * cm, id="first")
    if two_columns:
        gutter = 0.8 * cm
        column = (inner - gutter) / 2
        later_frames = [
            Frame(2.5 * cm, 2.5 * cm, column, height - 5 * cm, id="left"),
            Frame(2.5 * cm + column + gutter, 2.5 * cm, column, height - 5 * cm, id="right"),
        ]
    else:
        later_frames = [Frame(2.5 * cm, 2.5 * cm, inner, height - 5 * cm, id="body")]
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, title="report")
    doc.addPageTemplates([
        PageTemplate(id="first", frames=[first_frame], onPage=first_page),
        PageTemplate(id="later", frames=later_frames, onPage=later_page),
    ])
    story = [NextPageTemplate("later")]
    paragraphs = [Paragraph(escape(b, quote=False), heading if _HEADING.match(b) else body) for b in blocks]
    for index, paragraph in enumerate(paragraphs):
        if space_before is not None and index == space_before[0]:
            story.append(Spacer(1, space_before[1]))
        story.append(paragraph)
    if pages is not None:
        placed = {id(p): i for i, p in enumerate(paragraphs)}
        pages[:] = [0] * len(paragraphs)

        def after_flowable(flowable) -> None:
            if id(flowable) in placed:
                pages[placed[id(flowable)]] = doc.page

        doc.afterFlowable = after_flowable
    doc.build(story)
    return out.getvalue()


def make_scanned_pdf() -> bytes:
    """A PDF whose pages are only images (a scan without OCR)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 850), 255)
    draw = ImageDraw.Draw(image)
    for row in range(60, 800, 18):
        draw.rectangle((50, row, 550, row + 8), fill=40)  # lines of "text" as pixels
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(2):
        pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return out.getvalue()


# ---------------------------------------------------------------- HTML


def make_html(blocks: list[str]) -> str:
    """A web page: site header with navigation, cookie banner, breadcrumbs, the report in <main>
    (runs of consecutive numbered paragraphs as <ol start=N>), a sidebar, a footer, scripts."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Report | UNODC</title>',
        "<style>body { font-family: sans-serif } .cookie-banner { position: fixed }</style>",
        '<script>window.dataLayer = [{"page": "1. Report"}];</script></head><body>',
        '<div class="cookie-banner" id="cookie-consent"><p>We use cookies. 1. Accept all cookies.</p>'
        "<button>Accept</button></div>",
        '<header class="site-header"><a href="/">United Nations Office on Drugs and Crime</a>'
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/docs">Documents</a></li>'
        f'<li><a href="/d">{FURNITURE_SYMBOL}</a></li></ul></nav></header>',
        '<nav class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/wg">Working groups</a></nav>',
        "<main><article>",
    ]
    index = 0
    while index < len(blocks):
        match = _NUMBERED.match(blocks[index])
        if not match:
            tag = "h2" if _HEADING.match(blocks[index]) else "p"
            parts.append(f"<{tag}>{escape(blocks[index])}</{tag}>")
            index += 1
            continue
        number = int(match.group(1))
        parts.append(f'<ol start="{number}">')
        while index < len(blocks) and (m := _NUMBERED.match(blocks[index])) and int(m.group(1)) == number:
            parts.append(f"<li>{escape(m.group(2))}</li>")
            number += 1
            index += 1
        parts.append("</ol>")
    parts += [
        "</article></main>",
        f'<aside><h3>Related documents</h3><ul><li>{FURNITURE_SYMBOL}</li></ul></aside>',
        '<footer class="site-footer"><p>© United Nations. 2. Terms of use.</p>'
        "<p>Vienna International Centre, Wagramer Strasse 5</p></footer>",
        "<script>console.log('analytics');</script>",
        "</body></html>",
    ]
    return "\n".join(parts)


# ---------------------------------------------------------------- DOCX (python-docx)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ABSTRACT_ID = "90"


def make_docx(blocks: list[str]) -> bytes:
    """A Word file whose numbered paragraphs ("5.") and sub-items ("(a)") are Word auto-numbering
    (the labels are not in the text); each restart of the numbering is a new list."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{_ABSTRACT_ID}">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
        "</w:abstractNum>"
    ))
    next_num = [900]

    def new_list(level: int, start: int) -> str:
        next_num[0] += 1
        numbering.append(parse_xml(
            f'<w:num xmlns:w="{_W}" w:numId="{next_num[0]}"><w:abstractNumId w:val="{_ABSTRACT_ID}"/>'
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        ))
        return str(next_num[0])

    list_id: str | None = None
    expected_number, expected_letter = None, None
    for block in blocks:
        numbered, lettered = _NUMBERED.match(block), _LETTERED.match(block)
        if numbered:
            number = int(numbered.group(1))
            if number != expected_number or list_id is None:
                list_id = new_list(0, number)
            _numbered_paragraph(document, numbered.group(2), list_id, 0)
            expected_number, expected_letter = number + 1, "a"
        elif lettered:
            letter = lettered.group(1)
            if letter != expected_letter or list_id is None:
                list_id = new_list(1, ord(letter) - ord("a") + 1)
            _numbered_paragraph(document, lettered.group(2), list_id, 1)
            expected_letter = chr(ord(letter) + 1)
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(block).bold = bool(_HEADING.match(block))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _numbered_paragraph(document, text: str, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def write(path: Path, content: bytes | str) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path
