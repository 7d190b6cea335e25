"""Stage: shapes. The SHACL gate: a graph that does not conform to shapes.ttl is never published.

`validate` (`gate.py`) runs the shapes with pyshacl on a whole graph; `partitioned` splits them
into what one partition can check and what is checked on the store, for the streamed build.
"""

from . import partitioned
from .gate import Problem, ValidationResult, shapes_graph, shapes_text, validate

__all__ = ["Problem", "ValidationResult", "partitioned", "shapes_graph", "shapes_text", "validate"]
