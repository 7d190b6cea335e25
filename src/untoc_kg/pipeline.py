"""The build: extract -> graph -> shapes -> store, and the dumps.

The only module besides the CLI that imports several stages. Each step is a function of its
inputs; `build` runs them in order into a NEW build dir and publishes it only when the graph
conforms to the shapes, so a failed build never replaces the served one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from untoc_kg.extract.records import Document
from untoc_kg.shapes import ValidationResult, validate
from untoc_kg.sparql import dumps as dump_files
from untoc_kg.sparql.store import (
    DUMPS,
    STORE,
    VALIDATION,
    PublishedBuild,
    new_build_dir,
    new_build_id,
    publish,
    write_manifest,
)


@dataclass(frozen=True)
class InputFailure:
    """A source that could not be read; the others are still built."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class BuildResult:
    build_dir: Path
    manifest: dict
    validation: ValidationResult
    published: PublishedBuild | None
    """None when the graph did not conform: `current` was left as it was."""
    failures: tuple[InputFailure, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.published is not None and not self.failures


class Progress:
    """What the build reports while it runs; the CLI passes a rich-backed one, tests a silent one."""

    def step(self, description: str) -> None:
        """A new step starts."""

    @contextmanager
    def track(self, description: str, total: int) -> Iterator[Callable[[], None]]:
        """A step with `total` units of work; call the yielded function once per unit."""
        yield lambda: None


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


def extract_all(
    paths: Sequence[Path], progress: Progress | None = None
) -> tuple[tuple[Document, ...], tuple[InputFailure, ...]]:
    """Extract every source; one that fails is reported and does not stop the others."""
    progress = progress or Progress()
    from untoc_kg.extract import extract_document

    documents: list[Document] = []
    failures: list[InputFailure] = []
    with progress.track("Extracting", len(paths)) as advance:
        for path in paths:
            try:
                documents.append(extract_document(Path(path)))
            # Any error in one input (unreadable, undecodable, not a report) is that input's
            # problem: it is named in the report and the rest of the corpus is still built.
            except Exception as error:  # noqa: BLE001
                failures.append(
                    InputFailure(Path(path), f"{type(error).__name__}: {error}")
                )
            advance()
    return tuple(documents), tuple(failures)


def make_graph(
    documents: Sequence[Document], base_uri: str, build_time: datetime
) -> tuple[Graph, tuple[str, ...]]:
    """Records -> one RDF graph (data, ontology, dataset metadata, and the description of the
    dumps without sizes: see `untoc_kg.sparql.dumps`), and the wording differences found
    between printings of one recommendation."""
    from untoc_kg.graph import build_graph

    result = build_graph(
        documents, base_uri=base_uri, build_time=build_time, tool_version=tool_version()
    )
    graph = result.graph
    dataset = dump_files.find_dataset(graph)
    if dataset is not None:
        graph += dump_files.distribution_graph(dataset, base_uri)
    return graph, tuple(str(d) for d in result.differences)


def write_validation(result: ValidationResult, folder: Path) -> None:
    (folder / "report.txt").write_text(result.report_text, encoding="utf-8")
    result.report_graph.serialize(
        destination=str(folder / "report.ttl"), format="turtle"
    )


def load_store(store_path: Path, ntriples: Path, extra: Graph | None = None) -> int:
    """Bulk-load the N-Triples dump (and `extra`) into a new on-disk store, all in the default
    graph; returns the number of triples in it. The store is closed on return."""
    store = pyoxigraph.Store(str(store_path))
    store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    if extra is not None and len(extra):
        store.bulk_load(
            extra.serialize(format="nt", encoding="utf-8"),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
        )
    store.flush()
    store.optimize()
    count = len(store)
    del store  # releases the RocksDB lock so readers can open it read-only
    return count


def build(
    paths: Iterable[Path],
    data_dir: Path,
    base_uri: str,
    build_time: datetime | None = None,
    progress: Progress | None = None,
    shapes: Graph | None = None,
) -> BuildResult:
    """Build `paths` into a new build dir of `data_dir`; publish it if it conforms to the
    project's shapes (or to `shapes`, e.g. a publisher's stricter ones)."""
    paths = [Path(p) for p in paths]
    progress = progress or Progress()
    build_time = build_time or build_time_from_env()
    created = datetime.now(UTC)
    build_dir = new_build_dir(data_dir, new_build_id(created))

    documents, failures = extract_all(paths, progress)
    progress.step("Building the graph")
    graph, differences = make_graph(documents, base_uri, build_time)
    progress.step(f"Validating {len(graph)} triples against the shapes")
    validation = validate(graph, shapes)
    write_validation(validation, build_dir / VALIDATION)

    failed = {f.path for f in failures}
    manifest: dict = {
        "build_id": build_dir.name,
        "base_uri": base_uri,
        "created": created.isoformat(timespec="seconds"),
        "build_time": build_time.isoformat(),
        "tool_version": tool_version(),
        "inputs": [
            {"file": str(p), "sha256": sha256_of(p)}
            for p in paths
            if p not in failed and p.exists()
        ],
        "failed_inputs": [
            {"file": str(f.path), "problem": f.problem} for f in failures
        ],
        "conforms": validation.conforms,
        "triples": len(graph),
        "dumps": [],
    }
    warnings = tuple(f"{d.source}: {w}" for d in documents for w in d.warnings) + tuple(
        f"wording differs: {d}" for d in differences
    )
    if not validation.conforms:
        write_manifest(build_dir, manifest)
        return BuildResult(build_dir, manifest, validation, None, failures, warnings)

    progress.step("Writing the dumps")
    written = dump_files.write_dumps(graph, build_dir / DUMPS, base_uri)
    dataset = dump_files.find_dataset(graph)
    measured = (
        dump_files.measurement_graph(dataset, written) if dataset is not None else None
    )
    progress.step("Loading the store")
    manifest["store_triples"] = load_store(
        build_dir / STORE, build_dir / DUMPS / dump_files.NTRIPLES, measured
    )
    manifest["dumps"] = [d.as_json() for d in written]
    write_manifest(build_dir, manifest)
    published = publish(data_dir, build_dir)
    return BuildResult(build_dir, manifest, validation, published, failures, warnings)
