"""A PDF report -> text in reading order, without the page furniture, read with pdfminer.six.

pdfminer gives each text line with its position and font size; the page structure then tells
what a text stream cannot:
- running headers and page numbers: lines in the top or bottom margin band that recur on other
  pages (digits masked, so "2/9" and "3/9" recur) or are a bare page number;
- footnotes and the job-number/barcode footer: lines in a smaller font than the body below the
  page's footnote separator (a short rule in its lower half) or in its bottom margin band; a
  small-font table in the body stays;
- columns: a run of lines that keep to either side of the page's middle, with lines on both
  sides side by side, is read left column first;
- paragraphs: a vertical gap wider than the paragraph spacing, a change between bold and regular
  (a heading), or a column or page that starts after a short line that ends a sentence,
  separates blocks (a blank line for the normaliser);
- lines: pieces of one printed line that pdfminer split at a wide justified space are joined.
A PDF without a text layer (a scan) is an error, never an empty document.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from statistics import median

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTLine, LTPage, LTRect, LTTextContainer, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from untoc_kg.extract.errors import ExtractionError

MARGIN_BAND = 0.09
"""Share of the page height at the top and at the bottom where running headers, footers and page
numbers live (A4 UN documents keep them within 2.5 cm of the edge)."""
SMALLER_FONT = 0.92
"""A line in a font below this share of the body size is set smaller than the body (footnotes,
footer)."""
MIN_CHARS_PER_PAGE = 20
"""A PDF with fewer characters than this per page on average has no real text layer."""
_MIN_RULE, _MAX_RULE = 0.05, 0.45
"""Widths, as shares of the page width, of a footnote separator rule."""
_GUTTER = 1.5
"""A gap wider than this many font sizes across the page's middle is a gutter between columns."""
PARAGRAPH_GAP = 0.5
"""White space between two lines taller than this share of the body font size separates
paragraphs (lines of a paragraph are set about 0.2 apart, paragraphs 0.6 or more)."""
_SHORT_LINE = 0.8
"""A line ending before this share of its column's width is a paragraph's last line."""
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I)
_SENTENCE_END = re.compile(r"[.:;!?][\"')\]]*$")


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    """Distance from the page's top edge."""
    bottom: float
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]
    footnote_rule: float | None = None
    """Distance from the top of the short rule that separates footnotes from the body, if any."""


def pdf_text(data: bytes, name: str) -> str:
    """The report's text in a PDF: page furniture removed, blocks separated by blank lines."""
    return pdf_text_and_note(data, name)[0]


def pdf_text_and_note(data: bytes, name: str) -> tuple[str, str]:
    """`pdf_text`, and page 1's footnote ("* Previously issued under document symbol ..."),
    which is no part of the text but says what the document was before ("" if none)."""
    pages = read_pages(data, name)
    if sum(len(line.text) for page in pages for line in page.lines) < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise ExtractionError(name, "no text layer: scanned PDF? run OCR first")
    body_size = _body_size(pages)
    recurring = _recurring_margin_lines(pages)
    blocks = _Blocks(paragraph_gap=PARAGRAPH_GAP * body_size)
    note = ""
    for number, page in enumerate(pages):
        kept = [
            line for line in page.lines
            if (number == 0 and _SYMBOL.fullmatch(line.text))  # page 1's header prints the symbol
            or (not _is_margin_furniture(line, page, recurring) and not _is_footnote_or_footer(line, page, body_size))
        ]
        for column in _reading_order(kept, page.width / 2):
            blocks.add_column(column)
        if number == 0:
            note = _first_page_note(page, kept, recurring)
    return blocks.text(), note


_SYMBOL = re.compile(r"[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)*(?:/[A-Za-z0-9.\-]+){2,}")
_FOOTNOTE_MARK = re.compile(r"\*{1,3}(?:\s|$)")
_FOOTER_LINE = re.compile(r"\b[A-Z]{1,2}\.\d{2}-\d{5}\b|\b\d{2}-\d{5}\s*\([A-Z]\)|^\*\d{5,9}\*$|^[\ue000-\uf8ff\s]+$")


def _first_page_note(page: Page, kept: list[Line], recurring: frozenset[str]) -> str:
    """Page 1's footnote ("* Previously issued under document symbol ..."), which says what the
    document was before: its lines, or "" when page 1 has none. The footer (job number,
    barcode) is not part of it."""
    kept_ids = {id(line) for line in kept}
    lines = [
        line.text for line in page.lines
        if id(line) not in kept_ids and not _is_margin_furniture(line, page, recurring)
        and not _FOOTER_LINE.search(line.text)
    ]
    return "\n".join(lines) if lines and _FOOTNOTE_MARK.match(lines[0]) else ""


def read_pages(data: bytes, name: str) -> list[Page]:
    """Every page's text lines, top to bottom. Raises ExtractionError for a corrupt or encrypted PDF."""
    try:
        return [_page(layout) for layout in extract_pages(io.BytesIO(data), laparams=LAParams())]
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ExtractionError(name, "encrypted PDF: cannot read its text") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError,
            IndexError, AssertionError, RecursionError) as error:
        # pdfminer reports damage in many ways; each means the file is not a readable PDF
        raise ExtractionError(name, f"corrupt PDF ({type(error).__name__}: {error})") from None


def _page(layout: LTPage) -> Page:
    lines = []
    for line in _text_lines(layout):
        text = line.get_text().strip()
        if not text:
            continue
        chars = [c for c in line if isinstance(c, LTChar) and not c.get_text().isspace()]
        lines.append(Line(
            text=" ".join(text.split()),
            x0=line.x0, x1=line.x1,
            top=layout.height - line.y1, bottom=layout.height - line.y0,
            size=median(c.size for c in chars) if chars else 0.0,
            bold=sum("bold" in c.fontname.lower() for c in chars) * 2 > len(chars),
        ))
    lines.sort(key=lambda line: (round(line.top, 1), line.x0))
    return Page(
        width=layout.width, height=layout.height,
        lines=tuple(_joined_fragments(lines, layout.width / 2)),
        footnote_rule=_footnote_rule(layout),
    )


def _footnote_rule(layout: LTPage) -> float | None:
    """The highest short horizontal rule in the lower half of the page (the footnote separator
    starts at the left margin and is much shorter than a line of text)."""
    tops = [
        layout.height - shape.y1
        for shape in layout
        if isinstance(shape, (LTLine, LTRect))
        and shape.height < 2
        and _MIN_RULE * layout.width < shape.width < _MAX_RULE * layout.width
        and shape.y1 < layout.height / 2
    ]
    return min(tops) if tops else None


def _joined_fragments(lines: list[Line], middle: float) -> list[Line]:
    """Pieces of one printed line that pdfminer split at a wide justified space, joined again;
    pieces on either side of the page's middle with a gutter-wide gap stay apart (two columns)."""
    joined: list[Line] = []
    for line in lines:
        last = joined[-1] if joined else None
        same_baseline = last is not None and abs(line.bottom - last.bottom) < 0.3 * max(line.size, 1.0)
        gutter = last is not None and last.x1 <= middle <= line.x0 and line.x0 - last.x1 > _GUTTER * line.size
        if same_baseline and not gutter and line.x0 >= last.x1:
            joined[-1] = replace(
                last, text=f"{last.text} {line.text}", x1=line.x1,
                top=min(last.top, line.top), bottom=max(last.bottom, line.bottom),
            )
        else:
            joined.append(line)
    return joined


def _text_lines(container):
    for element in container:
        if isinstance(element, LTTextLineHorizontal):
            yield element
        elif isinstance(element, LTTextContainer) or hasattr(element, "__iter__"):
            yield from _text_lines(element)


def _body_size(pages: list[Page]) -> float:
    """The font size most characters are set in."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _in_margin(line: Line, page: Page) -> bool:
    band = MARGIN_BAND * page.height
    return line.bottom <= band or line.top >= page.height - band


def _masked(text: str) -> str:
    return _DIGITS.sub("#", text.casefold())


def _recurring_margin_lines(pages: list[Page]) -> frozenset[str]:
    """Masked texts of margin lines found on at least two pages (a running header or footer)."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_masked(line.text) for line in page.lines if _in_margin(line, page)})
    return frozenset(text for text, count in seen.items() if count >= 2)


def _is_margin_furniture(line: Line, page: Page, recurring: frozenset[str]) -> bool:
    return _in_margin(line, page) and (
        _masked(line.text) in recurring or bool(_PAGE_NUMBER.match(line.text))
    )


def _is_footnote_or_footer(line: Line, page: Page, body_size: float) -> bool:
    """Smaller than the body and either below the footnote separator or in the bottom margin."""
    if line.size >= SMALLER_FONT * body_size:
        return False
    if page.footnote_rule is not None and line.top >= page.footnote_rule:
        return True
    return line.top >= page.height * (1 - MARGIN_BAND)


def _reading_order(lines: list[Line], middle: float) -> list[list[Line]]:
    """The page's lines as columns in reading order: full-width runs as they come, and each run of
    side-by-side half-width lines as its left column then its right column."""
    columns: list[list[Line]] = []
    run: list[Line] = []
    for line in lines:
        if line.x0 < middle < line.x1:
            columns.extend(_split_run(run, middle))
            run = []
            if columns and columns[-1] and columns[-1][-1].x0 < middle < columns[-1][-1].x1:
                columns[-1].append(line)
            else:
                columns.append([line])
        else:
            run.append(line)
    columns.extend(_split_run(run, middle))
    return columns


def _split_run(run: list[Line], middle: float) -> list[list[Line]]:
    left = [line for line in run if line.x1 <= middle]
    right = [line for line in run if line.x0 >= middle]
    side_by_side = len(left) >= 2 and len(right) >= 2 and any(
        l.top < r.bottom and r.top < l.bottom for l in left for r in right[:3]
    )
    if side_by_side:
        return [left, right]
    return [run] if run else []


class _Blocks:
    """Lines gathered into blocks (paragraphs) as columns are read in order."""

    def __init__(self, paragraph_gap: float) -> None:
        self.paragraph_gap = paragraph_gap
        self.blocks: list[list[Line]] = [[]]
        self.last_column_width = 0.0

    def add_column(self, column: list[Line]) -> None:
        """A wide gap within the column, or a column that follows a paragraph's last line,
        starts a new block."""
        for line in column:
            previous = self.blocks[-1][-1] if self.blocks[-1] else None
            if previous is None:
                pass
            elif line.bold != previous.bold:  # a heading begins or ends
                self.blocks.append([])
            elif line.top > previous.top:
                if line.top - previous.bottom > self.paragraph_gap:
                    self.blocks.append([])
            elif _ends_paragraph(previous, self.last_column_width):  # a new column or page
                self.blocks.append([])
            self.blocks[-1].append(line)
        self.last_column_width = max(l.x1 for l in column) - min(l.x0 for l in column)

    def text(self) -> str:
        return "\n\n".join("\n".join(line.text for line in block) for block in self.blocks if block)


def _ends_paragraph(line: Line, column_width: float) -> bool:
    """The last line of a column ends a paragraph when it ends a sentence well short of a full
    line (a full line ending in a full stop may go on in the next column)."""
    return bool(_SENTENCE_END.search(line.text)) and (line.x1 - line.x0) < _SHORT_LINE * column_width
