"""The build: extract -> graph -> shapes -> store, and the dumps.

The only module besides the CLI that imports several stages. Each step is a function of its
inputs; `build` runs them in order into a NEW build dir and publishes it only when the graph
conforms to the shapes, so a failed build never replaces the served one. The graph is never
held whole: it is built, validated and loaded partition by partition (`stream_graph`), so the
same path builds the corpus and a million recommendations.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph, URIRef

from untoc_kg.extract.records import Document
from untoc_kg import search
from untoc_kg.living.records import RecordKeeper
from untoc_kg.shapes import ValidationResult, partitioned, shapes_graph
from untoc_kg.sparql import dumps as dump_files
from untoc_kg.sparql import loading
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
    failed = {f.path for f in failures}
    inputs = [
        {"file": str(p), "sha256": sha256_of(p)} for p in paths if p not in failed and p.exists()
    ]
    return build_documents(
        documents, data_dir, base_uri, build_time=build_time, progress=progress, shapes=shapes,
        inputs=inputs, failures=failures, created=created, build_dir=build_dir,
    )


WORK = "work"
"""Scratch dir of a build dir (spool, unsorted triples, the store being loaded); removed at the
end, so a failed build leaves no store and no dumps."""


@dataclass(frozen=True)
class StreamedGraph:
    """The graph built, validated and loaded partition by partition (see `stream_graph`)."""

    ntriples: Path
    """The sorted, de-duplicated N-Triples dump (in the work dir)."""
    store: Path
    """The loaded store (in the work dir), without the dumps' measurements yet."""
    triples: int
    recommendations: int
    validation: ValidationResult
    differences: tuple[str, ...]
    warnings: tuple[str, ...]
    timings: dict[str, float]
    """Seconds spent per step, for the manifest and bench/scale.py."""


def _natural(text: str) -> tuple:
    """"…/2/10" after "…/2/9": the order `merge_recommendations` gives (numbers as numbers)."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def stream_graph(
    documents: Iterable[Document],
    work: Path,
    base_uri: str,
    build_time: datetime,
    shapes: Graph | None = None,
    progress: Progress | None = None,
) -> StreamedGraph:
    """Records -> graph -> validation -> store as a stream: the documents are read once into a
    spool (`untoc_kg.graph.partitions`); each partition of the graph is turned into N-Triples
    and checked by pyshacl against the local shapes; the lines are sorted on disk and
    bulk-loaded; what crosses partitions is checked by SPARQL on the store
    (`untoc_kg.shapes.partitioned`). No step holds more than one partition's triples."""
    from untoc_kg.graph.partitions import jobs, spool
    from untoc_kg.ontology import ontology_graph

    progress = progress or Progress()
    timings: dict[str, float] = {}
    started = time.monotonic()
    progress.step("Reading the records")
    spooled = spool(documents, work / "spool")
    timings["spool"] = time.monotonic() - started
    split = partitioned.split(shapes if shapes is not None else shapes_graph())
    context = _JobContext(
        spooled, base_uri, build_time, tool_version(), split.local,
        partitioned.class_hierarchy(ontology_graph()), work / "parts",
    )
    context.parts.mkdir()
    results: list[partitioned.PartitionResult] = []
    found = []
    parts: list[Path] = []
    graph_seconds = validation_seconds = 0.0
    with progress.track("Building and validating the graph", spooled.recommendations) as advance:
        for done in _run_jobs(context, jobs(spooled)):
            parts.append(done.ntriples)
            results.extend(done.results)
            found.extend(done.differences)
            graph_seconds += done.graph_seconds
            validation_seconds += done.validation_seconds
            for _ in range(done.recommendations):
                advance()
    shutil.rmtree(work / "spool", ignore_errors=True)
    timings["graph"] = graph_seconds
    timings["validation (partitions)"] = validation_seconds
    timings["graph and validation (wall)"] = time.monotonic() - started - timings["spool"]
    progress.step("Sorting the triples")
    began = time.monotonic()
    ntriples = work / dump_files.NTRIPLES
    triples = loading.sort_ntriples(parts, ntriples, work)
    shutil.rmtree(context.parts, ignore_errors=True)
    timings["sort"] = time.monotonic() - began
    progress.step(f"Loading {triples} triples into the store")
    began = time.monotonic()
    store = loading.bulk_load(work / STORE, ntriples)
    timings["load"] = time.monotonic() - began
    progress.step("Checking what crosses partitions, on the store")
    began = time.monotonic()
    rows = [(check, loading.select(store, check.query, ("this", "value"))) for check in split.checks]
    del store  # closes it: the build moves or removes its directory next
    timings["validation (store)"] = time.monotonic() - began
    validation = partitioned.combine(results, rows)
    return StreamedGraph(
        ntriples=ntriples,
        store=work / STORE,
        triples=triples,
        recommendations=spooled.recommendations,
        validation=validation,
        differences=tuple(str(d) for d in sorted(found, key=lambda d: (_natural(d.recommendation), d.second.document, d.second.source))),
        warnings=spooled.warnings,
        timings=timings,
    )


PARALLEL_FROM = 20_000
"""Recommendations from which the second pass runs in worker processes (below, their start-up
costs more than they save)."""


@dataclass(frozen=True)
class _JobContext:
    """What every job of the second pass reads (sent once to each worker process)."""

    spooled: Any
    base_uri: str
    build_time: datetime
    version: str
    local_shapes: Graph
    hierarchy: Graph
    parts: Path
    """Where each job writes its N-Triples."""


@dataclass(frozen=True)
class _JobResult:
    ntriples: Path
    results: tuple[partitioned.PartitionResult, ...]
    differences: tuple[Any, ...]
    recommendations: int
    graph_seconds: float
    validation_seconds: float


def _job_result(context: _JobContext, job: Any) -> _JobResult:
    """One job: its partitions as N-Triples lines (one file per job), each checked by pyshacl."""
    from untoc_kg.graph import Minter
    from untoc_kg.graph.partitions import run

    results, found = [], []
    graph_seconds = validation_seconds = 0.0
    count = 0
    target = context.parts / f"{job.kind}-{job.index}.nt"
    with target.open("wb") as lines:
        began = time.monotonic()
        for part in run(context.spooled, job, Minter(context.base_uri), context.build_time, context.version):
            graph = Graph()
            for triple in part.triples:
                graph.add(triple)
            if part.name == "global" and (dataset := dump_files.find_dataset(graph)) is not None:
                graph += dump_files.distribution_graph(dataset, context.base_uri)
            lines.write(graph.serialize(format="nt", encoding="utf-8"))
            graph += context.hierarchy  # validation only: class targets follow rdfs:subClassOf
            checked = time.monotonic()
            results.append(partitioned.validate_partition(graph, context.local_shapes))
            graph_seconds += checked - began
            began = time.monotonic()
            validation_seconds += began - checked
            found.extend(part.differences)
            count += part.recommendations
    return _JobResult(target, tuple(results), tuple(found), count, graph_seconds, validation_seconds)


_WORKER_CONTEXT: _JobContext | None = None
"""Set once in each worker process by `_start_worker`: the pool's way to give every process the
context without sending it with every job. Never set in the building process itself."""


def _start_worker(context: _JobContext) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context


def _worker_job(job: Any) -> _JobResult:
    assert _WORKER_CONTEXT is not None
    return _job_result(_WORKER_CONTEXT, job)


def _run_jobs(context: _JobContext, jobs: Sequence[Any]) -> Iterator[_JobResult]:
    """The jobs in this process for a small graph, else in one worker process per core. Forked,
    not spawned: spawning re-imports the caller's main module, which a script without a
    `__main__` guard does not survive; the workers only run jobs (no I/O a parent's thread could
    hold a lock on), and the suite's builds, which run beside server threads, stay in-process."""
    workers = min(len(jobs), os.cpu_count() or 1)
    if context.spooled.recommendations < PARALLEL_FROM or workers < 2:
        for job in jobs:
            yield _job_result(context, job)
        return
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=_start_worker, initargs=(context,), maxtasksperchild=20
    )
    try:
        yield from pool.imap_unordered(_worker_job, jobs)
    finally:
        pool.terminate()
        pool.join()


def build_documents(
    documents: Iterable[Document],
    data_dir: Path,
    base_uri: str,
    build_time: datetime | None = None,
    progress: Progress | None = None,
    shapes: Graph | None = None,
    inputs: Sequence[dict] = (),
    failures: tuple[InputFailure, ...] = (),
    created: datetime | None = None,
    build_dir: Path | None = None,
) -> BuildResult:
    """Build records (extracted, or synthetic: bench/gen.py) into a new build dir of `data_dir`
    and publish it if it conforms. The documents may be a lazy iterator: they are read once."""
    from untoc_kg.graph import PREFIXES, Minter

    progress = progress or Progress()
    build_time = build_time or build_time_from_env()
    created = created or datetime.now(UTC)
    build_dir = build_dir or new_build_dir(data_dir, new_build_id(created))
    work = build_dir / WORK
    work.mkdir()
    # The records are kept (builds/<id>/records) so that `untoc-kg add` can merge new documents
    # with them without extracting these again.
    keeper = RecordKeeper(build_dir, base_uri)
    streamed = stream_graph(keeper.keep(documents), work, base_uri, build_time, shapes, progress)
    keeper.finish()
    validation = streamed.validation
    write_validation(validation, build_dir / VALIDATION)

    manifest: dict = {
        "build_id": build_dir.name,
        "base_uri": base_uri,
        "created": created.isoformat(timespec="seconds"),
        "build_time": build_time.isoformat(),
        "tool_version": tool_version(),
        "inputs": list(inputs),
        "failed_inputs": [
            {"file": str(f.path), "problem": f.problem} for f in failures
        ],
        "conforms": validation.conforms,
        "triples": streamed.triples,
        "printed_recommendations": streamed.recommendations,  # records, before merging printings
        "timings": {k: round(v, 3) for k, v in streamed.timings.items()},
        "dumps": [],
    }
    warnings = streamed.warnings + tuple(f"wording differs: {d}" for d in streamed.differences)
    if not validation.conforms:
        shutil.rmtree(work, ignore_errors=True)
        write_manifest(build_dir, manifest)
        return BuildResult(build_dir, manifest, validation, None, failures, warnings)

    progress.step("Writing the dumps")
    dumps = build_dir / DUMPS
    os.replace(streamed.ntriples, dumps / dump_files.NTRIPLES)
    loading.turtle_from_ntriples(
        dumps / dump_files.NTRIPLES, dumps / dump_files.TURTLE,
        {prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    )
    written = dump_files.finish_dumps(dumps, base_uri)
    dataset = URIRef(Minter(base_uri).dataset())
    measured = dump_files.measurement_graph(dataset, written)
    progress.step("Adding the dumps' sizes to the store")
    manifest["store_triples"] = finish_store(streamed.store, measured)
    os.replace(streamed.store, build_dir / STORE)
    shutil.rmtree(work, ignore_errors=True)
    progress.step("Indexing for search")
    search.build_index(pyoxigraph.Store.read_only(str(build_dir / STORE)), build_dir, base_uri)
    manifest["dumps"] = [d.as_json() for d in written]
    write_manifest(build_dir, manifest)
    published = publish(data_dir, build_dir)
    return BuildResult(build_dir, manifest, validation, published, failures, warnings)
