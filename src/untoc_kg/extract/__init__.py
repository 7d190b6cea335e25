"""Stage: extract. UN working-group reports -> typed records (`untoc_kg.records`).

The public verbs are imported lazily, so `import untoc_kg.extract` stays cheap until one is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from untoc_kg.extract.citations import find_citations
    from untoc_kg.extract.document import extract_document, extract_text
    from untoc_kg.extract.errors import ExtractionError
    from untoc_kg.extract.normalise import normalise_text

__all__ = ["extract_document", "extract_text", "normalise_text", "find_citations", "ExtractionError"]

_HOMES = {
    "extract_document": "untoc_kg.extract.document",
    "extract_text": "untoc_kg.extract.document",
    "normalise_text": "untoc_kg.extract.normalise",
    "find_citations": "untoc_kg.extract.citations",
    "ExtractionError": "untoc_kg.extract.errors",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_HOMES[name]), name)
