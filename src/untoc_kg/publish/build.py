"""The full build: extract -> graph -> shapes -> store, and the dumps, into a NEW build dir.

`build(paths, data_dir, base_uri)` holds the data dir's write lock from start to end
(`untoc_kg.datadir.writer`) and publishes the build only when the graph conforms to the shapes
and `current` is still what it was when the command began, so a failed build never replaces the
served one and a build never silently undoes an `add` that published while it waited. A build
that read no document publishes nothing (`NothingToPublish`). The graph is never held whole: it
is built, validated and loaded partition by partition (`stream.stream_graph`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, URIRef

from untoc_kg import search
from untoc_kg.datadir import dumps as dump_files
from untoc_kg.datadir import loading
from untoc_kg.datadir.layout import (
    DUMPS,
    STORE,
    VALIDATION,
    PublishedBuild,
    builds_dir,
    current_id,
    new_build_dir,
    new_build_id,
    open_store,
    read_build,
)
from untoc_kg.datadir.manifest import InputFailure, InputFile, Manifest, write_manifest
from untoc_kg.datadir.records import RecordKeeper
from untoc_kg.datadir.writer import Start, Writer, writing
from untoc_kg.errors import NothingToPublish
from untoc_kg.graph import Minter
from untoc_kg.records import Document
from untoc_kg.shapes import ValidationResult
from untoc_kg.vocab import PREFIXES

from .steps import Progress, build_time_from_env, finish_store, sha256_of, tool_version, write_validation
from .stream import WORK, StreamedGraph, stream_graph

__all__ = ["BuildResult", "InputFailure", "build", "build_documents", "extract_all", "WORK"]


@dataclass(frozen=True)
class BuildResult:
    build_dir: Path
    manifest: Manifest
    validation: ValidationResult
    published: PublishedBuild | None
    """None when the graph did not conform: `current` was left as it was."""
    failures: tuple[InputFailure, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    replaced: str | None = None
    """The build that was current before (None: there was none)."""
    dropped: tuple[str, ...] = ()
    """Documents (as their build named them) the replaced build served and this one does not."""

    @property
    def ok(self) -> bool:
        return self.published is not None and not self.failures


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


def build(
    paths: Iterable[Path],
    data_dir: Path,
    base_uri: str,
    build_time: datetime | None = None,
    progress: Progress | None = None,
    shapes: Graph | None = None,
) -> BuildResult:
    """Build `paths` into a new build dir of `data_dir`; publish it if it conforms to the
    project's shapes (or to `shapes`, e.g. a publisher's stricter ones). `NothingToPublish` when
    no document could be read; `PublishConflict` when another command published meanwhile."""
    paths = [Path(p) for p in paths]
    progress = progress or Progress()
    with writing(data_dir, "build", Start.COMMAND, progress.waiting) as writer:
        documents, failures = extract_all(paths, progress)
        if not documents:
            raise NothingToPublish(_nothing_read(data_dir, paths, failures))
        failed = {f.path for f in failures}
        inputs = tuple(
            InputFile(str(p), sha256_of(p)) for p in paths if p not in failed and p.exists()
        )
        return build_documents(
            documents, data_dir, base_uri, build_time=build_time, progress=progress,
            shapes=shapes, inputs=inputs, failures=failures, writer=writer,
        )


def _nothing_read(data_dir: Path, paths: Sequence[Path], failures: Sequence[InputFailure]) -> str:
    kept = current_id(data_dir)
    what = f"{len(failures)} of {len(paths)} inputs could not be read" if paths else "no input was given"
    left = f"current is still {kept}" if kept else "there is still no published build"
    lines = "".join(f"\n  {failure}" for failure in failures)
    return f"nothing published: no document was read ({what}); {left}{lines}"


def build_documents(
    documents: Iterable[Document],
    data_dir: Path,
    base_uri: str,
    build_time: datetime | None = None,
    progress: Progress | None = None,
    shapes: Graph | None = None,
    inputs: Sequence[InputFile] = (),
    failures: tuple[InputFailure, ...] = (),
    writer: Writer | None = None,
    allow_empty: bool = False,
) -> BuildResult:
    """Build records (extracted, or synthetic: bench/gen.py) into a new build dir of `data_dir`
    and publish it if it conforms. The documents may be a lazy iterator: they are read once.
    Called without the `writer` of a command already holding the data dir, it takes the lock.
    An empty graph is published only when `allow_empty` (the first `add` into an empty dir)."""
    progress = progress or Progress()
    if writer is None:
        with writing(data_dir, "build", Start.COMMAND, progress.waiting) as held:
            return build_documents(
                documents, data_dir, base_uri, build_time, progress, shapes, inputs, failures,
                held, allow_empty,
            )
    build_time = build_time or build_time_from_env()
    created = datetime.now(UTC)
    build_dir = new_build_dir(data_dir, new_build_id(created))
    work = build_dir / WORK
    work.mkdir()
    # The records are kept (builds/<id>/records) so that `untoc-kg add` can merge new documents
    # with them without extracting these again.
    keeper = RecordKeeper(build_dir, base_uri)
    streamed = stream_graph(keeper.keep(documents), work, base_uri, build_time, shapes, progress)
    kept = keeper.finish()
    if not kept.documents and not allow_empty:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise NothingToPublish(_nothing_read(data_dir, (), failures))
    write_validation(streamed.validation, build_dir / VALIDATION)
    warnings = build_warnings(streamed)
    manifest = Manifest(
        build_id=build_dir.name,
        base_uri=base_uri,
        created=created.replace(microsecond=0),
        build_time=build_time,
        tool_version=tool_version(),
        conforms=streamed.validation.conforms,
        triples=streamed.triples,
        # given by `build` (the paths as named); from the records for documents made elsewhere
        inputs=tuple(inputs) or tuple(InputFile(e.source, sha) for sha, e in sorted(kept.documents.items())),
        failed_inputs=tuple(failures),
        printed_recommendations=streamed.recommendations,  # records, before merging printings
        timings={k: round(v, 3) for k, v in streamed.timings.items()},
        warnings=warnings,
    )
    result = BuildResult(build_dir, manifest, streamed.validation, None, failures, warnings)
    if not streamed.validation.conforms:
        shutil.rmtree(work, ignore_errors=True)
        write_manifest(build_dir, manifest)
        return result
    manifest = _write_dumps(streamed, build_dir, manifest, progress)
    progress.step("Indexing for search")
    search.build_index(open_store(build_dir / STORE), build_dir, base_uri)
    replaced, dropped = _replacing(data_dir, writer.started_from, set(kept.documents))
    write_manifest(build_dir, manifest)
    published = writer.make_current(build_dir)
    return BuildResult(
        build_dir, manifest, streamed.validation, published, failures, warnings, replaced, dropped
    )


def build_warnings(streamed: StreamedGraph) -> tuple[str, ...]:
    """The lines of the build's report: each document's warnings (numbering gaps, repeats, labels
    without text, ...), then the printings whose wording differs."""
    return streamed.warnings + tuple(f"wording differs: {d}" for d in streamed.differences)


def _write_dumps(
    streamed: StreamedGraph, build_dir: Path, manifest: Manifest, progress: Progress
) -> Manifest:
    """The four dumps from the sorted N-Triples, their measurements into the store, and the store
    into the build dir; the manifest with the dumps and the store's size."""
    progress.step("Writing the dumps")
    dumps = build_dir / DUMPS
    os.replace(streamed.ntriples, dumps / dump_files.NTRIPLES)
    loading.turtle_from_ntriples(
        dumps / dump_files.NTRIPLES, dumps / dump_files.TURTLE, dict(PREFIXES)
    )
    written = dump_files.finish_dumps(dumps, manifest.base_uri)
    dataset = URIRef(Minter(manifest.base_uri).dataset())
    measured = dump_files.measurement_graph(dataset, written)
    progress.step("Adding the dumps' sizes to the store")
    store_triples = finish_store(streamed.store, measured)
    os.replace(streamed.store, build_dir / STORE)
    shutil.rmtree(build_dir / WORK, ignore_errors=True)
    return manifest.revised(store_triples=store_triples, dumps=[d.as_json() for d in written])


def _replacing(
    data_dir: Path, current: str | None, documents: set[str]
) -> tuple[str | None, tuple[str, ...]]:
    """The build this one replaces, and the documents it served that this one does not."""
    if current is None:
        return None, ()
    try:
        served = read_build(builds_dir(data_dir) / current).manifest
    except (OSError, ValueError):
        return current, ()
    return current, tuple(sorted(i.file for i in served.inputs if i.sha256 not in documents))
