"""build.json, typed: what a build holds, how it was made, and (for an update) what it changed.

One frozen `Manifest` for both builders: the full build writes one from its inputs, an update
derives one from the build it revised (`revised`). It is also a read-only mapping of its JSON
form, so the readers that look a key up (the server's pages, the tests, the benches) read it as
they read the file (each lookup a fresh copy of plain JSON values).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from untoc_kg.errors import DataDirError

MANIFEST = "build.json"
EPOCH = "1970-01-01T00:00:00+00:00"
"""The time of a manifest that states none (hand-made builds in tests)."""


@dataclass(frozen=True)
class InputFile:
    """A source a build read: its path as given and the SHA-256 of its bytes."""

    file: str
    sha256: str


@dataclass(frozen=True)
class InputFailure:
    """A source a build could not read, and why; the others are still built."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def _frozen(value: Any) -> Any:
    """JSON (dicts and lists) as read-only mappings and tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _thawed(value: Any) -> Any:
    """Read-only values back to JSON."""
    if isinstance(value, Mapping):
        return {k: _thawed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thawed(v) for v in value]
    return value


@dataclass(frozen=True)
class Manifest(Mapping[str, Any]):
    build_id: str
    base_uri: str
    created: datetime
    """When the build dir was made (UTC, to the second): the HTTP Last-Modified of its pages."""
    build_time: datetime
    """The time the graph's provenance records ($SOURCE_DATE_EPOCH for a reproducible build)."""
    tool_version: str
    conforms: bool
    triples: int
    """Triples of the graph (the dumps hold exactly these)."""
    inputs: tuple[InputFile, ...] = ()
    """The documents the graph holds (an update lists every document, not only its own)."""
    failed_inputs: tuple[InputFailure, ...] = ()
    store_triples: int | None = None
    """Triples of the store: the graph plus the dumps' measurements; None until it is loaded."""
    printed_recommendations: int | None = None
    """Recommendation records read, before the printings of one are merged."""
    timings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    dumps: tuple[Mapping[str, Any], ...] = ()
    """`untoc_kg.datadir.dumps.DumpFile.as_json()` of each dump."""
    warnings: tuple[str, ...] = ()
    """The build's report: what the reader should know about its inputs, one line each, naming
    the file ("a.pdf: numbering gap between recommendations 7.1 and 7.3 (missing 7.2)"), and the
    printings whose wording differs."""
    update: Mapping[str, Any] | None = None
    """What an `add` or `remove` changed (activity, previous_build, added, removed, replaced,
    and how its dumps were made); None for a full build."""

    @property
    def documents(self) -> int:
        return len(self.inputs)

    @property
    def previous_build(self) -> str | None:
        return None if self.update is None else self.update.get("previous_build")

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "build_id": self.build_id,
            "base_uri": self.base_uri,
            "created": self.created.astimezone(UTC).isoformat(timespec="seconds"),
            "build_time": self.build_time.isoformat(),
            "tool_version": self.tool_version,
            "conforms": self.conforms,
            "triples": self.triples,
            "inputs": [{"file": i.file, "sha256": i.sha256} for i in self.inputs],
            "failed_inputs": [{"file": str(f.path), "problem": f.problem} for f in self.failed_inputs],
            "timings": dict(self.timings),
            "dumps": [_thawed(d) for d in self.dumps],
            "warnings": list(self.warnings),
        }
        for name in ("store_triples", "printed_recommendations", "update"):
            if (value := getattr(self, name)) is not None:
                found[name] = _thawed(value)
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        return cls(
            build_id=str(data["build_id"]),
            base_uri=str(data["base_uri"]),
            created=_datetime(data.get("created", EPOCH)),
            build_time=_datetime(data.get("build_time", data.get("created", EPOCH))),
            tool_version=str(data.get("tool_version", "")),
            conforms=data.get("conforms") is True,
            triples=int(data.get("triples", 0)),
            inputs=tuple(InputFile(str(i["file"]), str(i["sha256"])) for i in data.get("inputs", ())),
            failed_inputs=tuple(
                InputFailure(Path(str(f["file"])), str(f["problem"])) for f in data.get("failed_inputs", ())
            ),
            store_triples=_optional_int(data.get("store_triples")),
            printed_recommendations=_optional_int(data.get("printed_recommendations")),
            timings=MappingProxyType({k: float(v) for k, v in data.get("timings", {}).items()}),
            dumps=_frozen(list(data.get("dumps", ()))),
            warnings=tuple(str(w) for w in data.get("warnings", ())),
            update=_frozen(data["update"]) if data.get("update") is not None else None,
        )

    def revised(self, **changes: Any) -> Manifest:
        """This manifest with `changes` (an update's manifest starts from its previous build's)."""
        if "timings" in changes:
            changes["timings"] = MappingProxyType(dict(changes["timings"]))
        if "dumps" in changes or "update" in changes:
            changes = {k: (_frozen(v) if k in ("dumps", "update") else v) for k, v in changes.items()}
        return replace(self, **changes)

    # The mapping face: the JSON form, key by key.
    @cached_property
    def _json(self) -> Mapping[str, Any]:
        return _frozen(self.to_json())

    def __getitem__(self, key: str) -> Any:
        return _thawed(self._json[key])  # a copy, as json.load gives: the manifest stays frozen

    def __iter__(self) -> Iterator[str]:
        return iter(self._json)

    def __len__(self) -> int:
        return len(self._json)

    def __hash__(self) -> int:
        return hash(self.build_id)


def _datetime(text: Any) -> datetime:
    value = datetime.fromisoformat(str(text))
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def read_manifest(build_dir: Path) -> Manifest:
    """The manifest of `build_dir`; a `DataDirError` naming the file if it cannot be read."""
    path = Path(build_dir) / MANIFEST
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataDirError(f"{path}: not a readable build manifest ({error})") from error


def write_manifest(build_dir: Path, manifest: Manifest | Mapping[str, Any]) -> None:
    """Write build.json atomically (readers never see half a manifest). A plain mapping is read
    as a manifest first, so what is written is always one `read_manifest` reads back."""
    if not isinstance(manifest, Manifest):
        manifest = Manifest.from_json(manifest)
    target = Path(build_dir) / MANIFEST
    temporary = target.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(temporary, target)
