"""What both builders (a full build and an update) do the same way: report progress, stamp the
build (time, version), write the validation report, finish the store, time the steps."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic

import pyoxigraph
from rdflib import Graph

from untoc_kg.shapes import ValidationResult


class Progress:
    """What a command reports while it runs, step by step; the CLI passes a rich-backed one, tests a
    silent one, or one that pauses at a chosen step (tests/test_concurrent_writes.py)."""

    def step(self, description: str) -> None:
        """A new step starts."""

    @contextmanager
    def track(self, description: str, total: int) -> Iterator[Callable[[], None]]:
        """A step with `total` units of work; call the yielded function once per unit."""
        yield lambda: None

    def waiting(self, message: str) -> None:
        """Another command writes the data dir: this one waits for its lock."""
        self.step(message)


def tool_version() -> str:
    from untoc_kg import __version__

    return __version__


def build_time_from_env() -> datetime:
    """$SOURCE_DATE_EPOCH if set (reproducible builds), else now. The build time is recorded in
    the graph's provenance, so two builds give byte-identical dumps only with the same time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_validation(result: ValidationResult, folder: Path) -> None:
    (folder / "report.txt").write_text(result.report_text, encoding="utf-8")
    result.report_graph.serialize(
        destination=str(folder / "report.ttl"), format="turtle"
    )


def finish_store(store_path: Path, extra: Graph) -> int:
    """Add `extra` to a bulk-loaded store, compact it; returns its number of triples. The store
    is closed on return."""
    store = pyoxigraph.Store(str(store_path))
    if len(extra):
        store.bulk_load(
            extra.serialize(format="nt", encoding="utf-8"),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
        )
    store.flush()
    store.optimize()
    count = len(store)
    del store  # releases the RocksDB lock so readers can open it read-only
    return count


class Clock:
    """Seconds per step, for build.json and the benches."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = monotonic()

    def lap(self, step: str) -> None:
        now = monotonic()
        self.laps[step] = round(now - self._last, 3)
        self._last = now
