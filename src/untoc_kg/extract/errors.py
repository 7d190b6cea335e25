"""The one error the extract stage raises for input it cannot read as a report (defined with
the others in `untoc_kg.errors`)."""

from untoc_kg.errors import ExtractionError

__all__ = ["ExtractionError"]
