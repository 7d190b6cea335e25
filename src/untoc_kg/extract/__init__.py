"""Stage: extract. UN working-group reports -> typed records (`untoc_kg.records`).

Imported eagerly: the records live outside this package, so a stage that only needs them never
loads spaCy through here.
"""

from .citations import CitationContext, find_citations, scan_citations
from .document import extract_document, extract_text
from .errors import ExtractionError
from .normalise import normalise_text

__all__ = [
    "CitationContext", "ExtractionError", "extract_document", "extract_text", "find_citations",
    "normalise_text", "scan_citations",
]
