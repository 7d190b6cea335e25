"""A Word (.docx) report -> text, one block per paragraph, read with python-docx.

Word draws the numbers of auto-numbered paragraphs ("5.", "(a)") from the paragraph's numbering
properties; they are not in the paragraph's text, and the extractor needs them, so they are
reconstructed here: each list (w:num) counts per level, a level's counter restarts when a
shallower level advances, and the level's format (decimal, letters, roman) and label pattern
("%1.", "(%2)") come from the numbering definitions. Table rows become one block each.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

import docx
import docx.opc.exceptions
from docx.oxml.ns import qn
from lxml import etree

from untoc_kg.extract.errors import ExtractionError

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class _Level:
    number_format: str
    label: str
    start: int


MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""A Word report unpacks to a few MB; a file claiming more is a zip bomb, refused before any of
it is unpacked (zipfile never inflates a member beyond the size the archive states)."""


def docx_text(data: bytes, name: str) -> str:
    if _unpacked_bytes(data) > MAX_UNPACKED_BYTES:
        raise ExtractionError(name, f"corrupt Word (.docx) file (unpacks to more than "
                                    f"{MAX_UNPACKED_BYTES // 2**20} MB: a zip bomb?)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (docx.opc.exceptions.PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError, zlib.error, EOFError) as error:
        # zlib.error and EOFError: a member whose compressed bytes are damaged or cut short
        raise ExtractionError(name, f"corrupt Word (.docx) file ({error or type(error).__name__})") from None
    levels = _numbering_levels(document)
    styles = _style_numbering(document)
    counters: dict[str, dict[int, int]] = {}
    blocks: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            label = _label(element, levels, styles, counters)
            blocks.append(label + _paragraph_text(element))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = (_paragraph_text(p) for p in row.iter(qn("w:p")))
                blocks.append(" ".join(c for c in cells if c.strip()))
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise ExtractionError(name, "Word document without text")
    return text


def _unpacked_bytes(data: bytes) -> int:
    """What the archive says its members unpack to; 0 if it is no zip (python-docx says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return 0


def _paragraph_text(paragraph: etree._Element) -> str:
    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        parts.append((node.text or "") if node.tag == qn("w:t") else " ")
    return "".join(parts)


def _numbering_levels(document: docx.document.Document) -> dict[tuple[str, int], _Level]:
    """(numId, level) -> the level's definition, with each list's start overrides applied."""
    try:
        numbering = document.part.numbering_part.element
    except (NotImplementedError, KeyError):
        return {}
    abstract = {
        a.get(qn("w:abstractNumId")): {
            int(lvl.get(qn("w:ilvl"))): _level(lvl) for lvl in a.iterchildren(qn("w:lvl"))
        }
        for a in numbering.iterchildren(qn("w:abstractNum"))
    }
    levels: dict[tuple[str, int], _Level] = {}
    for num in numbering.iterchildren(qn("w:num")):
        num_id = num.get(qn("w:numId"))
        abstract_id = _val(num.find(qn("w:abstractNumId")))
        for ilvl, level in abstract.get(abstract_id, {}).items():
            levels[(num_id, ilvl)] = level
        for override in num.iterchildren(qn("w:lvlOverride")):
            ilvl = int(override.get(qn("w:ilvl")))
            start = _val(override.find(qn("w:startOverride")))
            base = levels.get((num_id, ilvl))
            if base is not None and start is not None:
                levels[(num_id, ilvl)] = _Level(base.number_format, base.label, int(start))
    return levels


def _level(lvl: etree._Element) -> _Level:
    return _Level(
        number_format=_val(lvl.find(qn("w:numFmt"))) or "decimal",
        label=_val(lvl.find(qn("w:lvlText"))) or "",
        start=int(_val(lvl.find(qn("w:start"))) or 1),
    )


def _style_numbering(document: docx.document.Document) -> dict[str, tuple[str, int]]:
    """Style id -> (numId, level) for styles that number their paragraphs ("List Number")."""
    found = {}
    for style in document.styles.element.iterchildren(qn("w:style")):
        num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
            found[style.get(qn("w:styleId"))] = (
                _val(num_pr.find(qn("w:numId"))),
                int(_val(num_pr.find(qn("w:ilvl"))) or 0),
            )
    return found


def _label(
    paragraph: etree._Element,
    levels: dict[tuple[str, int], _Level],
    styles: dict[str, tuple[str, int]],
    counters: dict[str, dict[int, int]],
) -> str:
    """The paragraph's drawn number ("5. ", "(a) "), advancing its list's counters; "" if none."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        return ""
    num_pr = properties.find(qn("w:numPr"))
    style = _val(properties.find(qn("w:pStyle")))
    num_id, ilvl = styles.get(style, (None, 0)) if style else (None, 0)
    if num_pr is not None:
        num_id = _val(num_pr.find(qn("w:numId"))) or num_id
        ilvl = int(_val(num_pr.find(qn("w:ilvl"))) or ilvl)
    level = levels.get((num_id, ilvl)) if num_id and num_id != "0" else None
    if level is None:
        return ""
    counts = counters.setdefault(num_id, {})
    counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else level.start
    for deeper in [k for k in counts if k > ilvl]:
        del counts[deeper]
    if level.number_format in {"bullet", "none"}:
        return ""
    label = level.label
    for shallower in range(ilvl + 1):
        shallow_level = levels.get((num_id, shallower))
        value = counts.get(shallower, shallow_level.start if shallow_level else 1)
        shown = _format(value, shallow_level.number_format if shallow_level else "decimal")
        label = label.replace(f"%{shallower + 1}", shown)
    return f"{label} " if label else ""


def _format(value: int, number_format: str) -> str:
    if number_format == "lowerLetter":
        return _letters(value)
    if number_format == "upperLetter":
        return _letters(value).upper()
    if number_format == "lowerRoman":
        return _roman(value)
    if number_format == "upperRoman":
        return _roman(value).upper()
    return str(value)


def _letters(value: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa..."""
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    out = []
    for amount, symbol in _ROMAN:
        count, value = divmod(value, amount)
        out.append(symbol * count)
    return "".join(out)


def _val(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(qn("w:val"))
