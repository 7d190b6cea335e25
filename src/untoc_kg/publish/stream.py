"""The graph built, validated and loaded partition by partition: records -> spool -> partitions ->
N-Triples (each partition checked by pyshacl) -> external sort -> bulk load -> cross-partition
checks on the store. The same path builds the corpus and a million recommendations: no step holds
more than one partition's triples. Above `PARALLEL_FROM` recommendations the partitions are made in
worker processes.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rdflib import Graph

from untoc_kg.datadir import dumps as dump_files
from untoc_kg.datadir import loading
from untoc_kg.datadir.layout import STORE
from untoc_kg.records import Document
from untoc_kg.shapes import ValidationResult, partitioned, shapes_graph

from .steps import Progress, tool_version


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
            for _ in range(done.records):
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
    records: int = 0
    """Recommendation records (printings) the job read: the unit of the build's progress bar,
    whose total, `Spooled.recommendations`, counts printings too (merged recommendations are
    fewer, so a bar advanced by them never reached its end)."""


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
    records = (
        sum(context.spooled.bucket_sizes[job.index : job.index + job.count])
        if job.kind == "meetings"
        else 0
    )
    return _JobResult(
        target, tuple(results), tuple(found), count, graph_seconds, validation_seconds, records
    )


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


