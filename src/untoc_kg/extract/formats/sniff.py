"""Which format a report file is in, decided by its content (magic bytes and markup), not its name."""

from __future__ import annotations

import io
import re
import zipfile
from enum import Enum
from pathlib import PurePath

from untoc_kg.extract.errors import ExtractionError


class Format(Enum):
    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"
    TEXT = "text"
    """Plain text or markdown."""


_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WINDOW = 1024
"""Readers accept the header anywhere in the first kilobyte (some writers prepend junk)."""
_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_PART = "word/document.xml"
_HTML_START = re.compile(rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_TAG = re.compile(
    rb"<(?:p|div|span|a|h[1-6]|li|ul|ol|table|tr|td|br|body|head|section|article|main|nav)\b[^>]*>",
    re.I,
)
_HTML_TAG_SAMPLE = 65536
_MIN_HTML_TAGS = 10
"""A text with this many HTML tags in its first 64 KiB is a web page saved without a doctype;
markdown with an odd inline tag stays text."""

_EXPECTED_MAGIC = {".pdf": Format.PDF, ".docx": Format.DOCX}


def sniff_format(data: bytes, name: str) -> Format:
    """The format of a report's bytes. Raises ExtractionError for a zip archive that is not a Word
    document, and for a file whose name promises a PDF or Word file its content is not."""
    head = data[:_PDF_MAGIC_WINDOW]
    if _PDF_MAGIC in head:
        return Format.PDF
    if data.startswith(_ZIP_MAGIC):
        if _is_docx(data):
            return Format.DOCX
        if PurePath(name).suffix.lower() == ".docx":
            raise ExtractionError(name, "corrupt Word (.docx) file: not a readable Word document")
        raise ExtractionError(name, "a zip archive, not a report (no word/document.xml)")
    promised = _EXPECTED_MAGIC.get(PurePath(name).suffix.lower())
    if promised is Format.PDF:
        raise ExtractionError(name, "corrupt PDF: named .pdf but has no %PDF- header")
    if promised is Format.DOCX:
        raise ExtractionError(name, "corrupt Word (.docx) file: not a zip archive")
    if _looks_like_html(data):
        return Format.HTML
    return Format.TEXT


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _DOCX_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _looks_like_html(data: bytes) -> bool:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_START.match(start[:4096]):
        return True
    return len(_HTML_TAG.findall(data[:_HTML_TAG_SAMPLE])) >= _MIN_HTML_TAGS
