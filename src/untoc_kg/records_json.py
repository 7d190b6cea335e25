"""Records <-> JSON, losslessly: `document_from_json(document_to_json(d)) == d`.

The gold-annotation shape (`gold_json`) keeps only what is scored; this one keeps every field, so
a build can keep the records of each of its documents and a later `untoc-kg add` can merge new
documents with them without extracting the old ones again. Generic over the record dataclasses:
the type hints of `untoc_kg.records` say how to read each field back.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any

from untoc_kg import records
from untoc_kg.records import Document

FORMAT = 1
"""Bumped when the JSON shape changes; a build's records of another format are not read."""


def to_json(value: Any) -> Any:
    """A record (or any value inside one) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value


def document_to_json(document: Document) -> dict[str, Any]:
    return {"format": FORMAT, "document": to_json(document)}


def document_from_json(data: dict[str, Any]) -> Document:
    if data.get("format") != FORMAT:
        raise ValueError(f"records of format {data.get('format')!r}, expected {FORMAT}")
    return from_json(Document, data["document"])


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def from_json(kind: Any, value: Any) -> Any:
    """`value` read back as `kind` (a type hint of the records module)."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return from_json(options[0], value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(from_json(item, v) for v in value)
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{k: from_json(hints[k], v) for k, v in value.items()})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is date:
        return date.fromisoformat(value)
    return value
