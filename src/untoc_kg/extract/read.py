"""Reading a source file: bytes -> text, with a clear error for what is not a report.

The format is decided by the content (extract/formats/sniff.py): PDF, Word and HTML go through
their readers in extract/formats/; everything else is read as text.

Decoding is tried as UTF-8 (a byte-order mark is dropped), then as cp1252, the usual encoding of
text saved from Windows tools; the second is reported as a warning because a wrong guess would
silently change characters. Everything here is linear in the size of the input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from untoc_kg.extract.errors import ExtractionError
from untoc_kg.extract.formats.sniff import Format, sniff_format

_CONTROL_BYTES = frozenset(range(0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}
_MAX_CONTROL_SHARE = 0.05
"""More than this share of control bytes (other than tab, newline, form feed, carriage return)
means the file is binary, whatever it decodes as."""


@dataclass(frozen=True)
class SourceText:
    name: str
    """The file name as given."""
    text: str
    sha256: str
    """Checksum of the file's bytes."""
    warnings: tuple[str, ...] = ()
    notes: str = ""
    """Text the format keeps apart from the report's text (a PDF's page-1 footnote)."""


def read_report(path: Path) -> SourceText:
    """Read one report file. Raises ExtractionError naming the file for a missing, empty, binary
    or undecodable file."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ExtractionError(name, "no such file") from None
    except IsADirectoryError:
        raise ExtractionError(name, "is a directory, not a report file") from None
    except OSError as error:
        raise ExtractionError(name, f"cannot be read ({error.strerror or error})") from None
    if sniff_format(data, name) is Format.PDF and data.strip():
        from untoc_kg.extract.formats.pdf import pdf_text_and_note

        text, note = pdf_text_and_note(data, name)
        return SourceText(name=name, text=text, sha256=hashlib.sha256(data).hexdigest(), notes=note)
    text, warnings = _report_text(data, name)
    return SourceText(name=name, text=text, sha256=hashlib.sha256(data).hexdigest(), warnings=warnings)


def _report_text(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """The text of a report in whatever format its content shows (PDF, Word, HTML or text)."""
    if not data.strip():
        raise ExtractionError(name, "empty file (no text to extract)")
    found = sniff_format(data, name)
    if found is Format.PDF:
        from untoc_kg.extract.formats.pdf import pdf_text  # the PDF and Word readers load slowly

        return pdf_text(data, name), ()
    if found is Format.DOCX:
        from untoc_kg.extract.formats.docx import docx_text

        return docx_text(data, name), ()
    if found is Format.HTML:
        from untoc_kg.extract.formats.html import html_text

        markup, warnings = decode_report(data, name)
        return html_text(markup, name), warnings
    return decode_report(data, name)


def decode_report(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Bytes -> text and the warnings about how they were read."""
    if not data.strip():
        raise ExtractionError(name, "empty file (no text to extract)")
    if b"\x00" in data or _control_share(data) > _MAX_CONTROL_SHARE:
        raise ExtractionError(name, "binary file, not text (a report must be plain text)")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ExtractionError(
            name, f"not UTF-8 or cp1252 text (undecodable byte at offset {error.start})"
        ) from None
    return text, ("read as cp1252: the file is not UTF-8",)


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    return sum(1 for byte in sample if byte in _CONTROL_BYTES) / len(sample)
