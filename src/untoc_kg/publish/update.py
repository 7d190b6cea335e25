"""`untoc-kg add` and `remove`: change the published graph and publish the result as a new build.

One way for both: `update(data_dir, added=..., removed_symbols=...)`, in named steps:

1. `read_change`: the published build's index says which units the change touches (`units`);
   only the records of the documents touching them are read;
2. `revise` (`revise.py`): the subjects to replace and the triples replacing them;
3. `record_activity` (`history.py`): the update as a PROV activity, the dataset renewed;
4. `validate_revision`: the shapes, on what the update describes, with its neighbours;
5. `copy_and_apply` (`apply.py`): a copy of the published store (an Oxigraph checkpoint: hard
   links) with the revision applied;
6. `finish_dumps`: the dumps patched or cut from the store, measured into it;
7. `carry_records`: the records and the index of the new build;
8. publish, by `Writer.make_current`: readers see the old graph or the new one, never a mix.

The whole update holds the data dir's write lock (`untoc_kg.datadir.writer`), and a change that
does not validate is never published.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from untoc_kg import search
from untoc_kg.datadir import dumps as dump_files
from untoc_kg.datadir.layout import (
    STORE,
    VALIDATION,
    PublishedBuild,
    builds_dir,
    new_build_dir,
    new_build_id,
    open_store,
    read_build,
)
from untoc_kg.datadir.manifest import InputFile, Manifest, write_manifest
from untoc_kg.datadir.records import (
    Index,
    IndexFile,
    carry_records,
    contribution,
    read_documents,
    read_index,
    records_dir,
    revise_index_copy,
    revised,
)
from untoc_kg.datadir.writer import Start, Writer, writing
from untoc_kg.errors import UpdateError
from untoc_kg.graph.units import SYMBOL_UNIT, base_symbol, issue_rank
from untoc_kg.graph.uris import Minter
from untoc_kg.records import Document
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.shapes import ValidationResult
from untoc_kg.terms import quads

from .apply import apply_revision, dataset_description, generated_by, types_of, validate_revision, write_dumps
from .build import build_documents
from .history import activity_triples, former_copy_triples, update_id
from .revise import Revision, revise
from .steps import Clock, Progress, build_time_from_env, tool_version, write_validation

__all__ = ["UpdateResult", "update", "UpdateError"]


@dataclass(frozen=True)
class UpdateResult:
    build_dir: Path
    manifest: Manifest
    validation: ValidationResult
    published: PublishedBuild | None
    """None when the change did not conform: `current` was left as it was."""
    activity: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    replaced: dict[str, str] = field(default_factory=dict)
    """Checksum of a replaced issue -> checksum of the issue replacing it."""
    skipped: tuple[str, ...] = ()
    """Files given that the graph already holds (same checksum)."""

    @property
    def ok(self) -> bool:
        return self.published is not None


def symbol_documents(index: IndexFile, symbol: str) -> tuple[str, ...]:
    """Checksums of the current documents issued under `symbol` exactly."""
    return tuple(
        sha
        for sha in sorted(index.shas([SYMBOL_UNIT + base_symbol(symbol)]))
        if index.corpus.documents[sha].symbol == symbol
    )


def reissues(index: IndexFile, added: Sequence[Document]) -> dict[str, str]:
    """Which current documents the new ones replace: an issue of the same document (same symbol
    once "/Rev.n" and "/Corr.n" are set aside) with a lower revision and correction. A document
    with exactly the same symbol is another copy of the same issue, not a replacement."""
    replaced: dict[str, str] = {}
    for document in added:
        if not document.symbol:
            continue
        for sha in sorted(index.shas([SYMBOL_UNIT + base_symbol(document.symbol)])):
            old = index.corpus.documents[sha].symbol or ""
            if sha == document.sha256 or old == document.symbol:
                continue
            if issue_rank(old) >= issue_rank(document.symbol):
                raise UpdateError(
                    f"{document.source}: {document.symbol} is not a later issue than {old} "
                    f"({index.corpus.documents[sha].source}), which the graph already holds"
                )
            replaced[sha] = document.sha256
    return replaced


@dataclass(frozen=True)
class Change:
    """What an update changes, read from the published build's index and records."""

    added: tuple[Document, ...]
    removed: tuple[Document, ...]
    """The records of the documents withdrawn (named, or replaced by a later issue)."""
    replaced: dict[str, str]
    skipped: tuple[str, ...]
    added_parts: tuple[Index, ...]
    removed_parts: tuple[Index, ...]
    units: frozenset[str]
    old_corpus: Index
    new_corpus: Index
    context: tuple[Document, ...]
    """Every other document touching the changed units."""

    @property
    def removing(self) -> frozenset[str]:
        return frozenset(d.sha256 for d in self.removed)


def update(
    data_dir: Path,
    added: Sequence[Document] = (),
    removed_symbols: Sequence[str] = (),
    time: datetime | None = None,
    tool_version: str | None = None,
    progress: Progress | None = None,
) -> UpdateResult:
    """Add `added` to the published graph of `data_dir` (reissues replace their earlier issue)
    and withdraw the documents issued under `removed_symbols`; publish the result if it
    conforms. With no published build yet, the documents are added to an empty graph."""
    progress = progress or Progress()
    command = "remove" if removed_symbols and not added else "add"
    with writing(data_dir, command, Start.LOCK, progress.waiting) as writer:
        return _update(writer, added, removed_symbols, time, tool_version, progress)


def _update(
    writer: Writer,
    added: Sequence[Document],
    removed_symbols: Sequence[str],
    time: datetime | None,
    version: str | None,
    progress: Progress,
) -> UpdateResult:
    clock = Clock()
    time = time or build_time_from_env()
    version = version or tool_version()
    current = _published_or_empty(writer, time, progress)
    mint = Minter(current.manifest.base_uri)
    progress.step("Reading the change")
    change = read_change(current.path, mint, added, removed_symbols)
    clock.lap("read index and records")
    build_dir = new_build_dir(writer.data_dir, new_build_id(datetime.now(UTC)))
    revision, example = revise_change(mint, change, current, build_dir, clock, progress)
    reader = open_store(current.store_path)  # the published store, read-only
    activity, record, dataset = record_activity(mint, reader, change, revision, time, version, example)
    validation = validate_change(reader, mint, revision, record, dataset, build_dir, progress)
    clock.lap("validate")
    manifest = _manifest(current, build_dir, change, activity, time, version, validation.conforms)
    outcome = dict(
        activity=str(activity), added=tuple(d.sha256 for d in change.added),
        removed=tuple(sorted(change.removing)), replaced=change.replaced, skipped=change.skipped,
    )
    if not validation.conforms:
        write_manifest(build_dir, manifest)
        return UpdateResult(build_dir, manifest, validation, None, **outcome)
    manifest = copy_and_apply(reader, current, build_dir, mint, revision, record, dataset, manifest, clock, progress)
    carry_records(current.path, build_dir, set(change.old_corpus.documents) - change.removing, change.added)
    clock.lap("records")
    update_record = {
        **manifest.update, "documents_read": len(change.context), "subjects_replaced": len(revision.replaced)
    }
    manifest = manifest.revised(timings=clock.laps, update=update_record)
    write_manifest(build_dir, manifest)
    progress.step("Publishing")
    return UpdateResult(build_dir, manifest, validation, writer.make_current(build_dir), **outcome)


def revise_change(
    mint: Minter, change: Change, current: PublishedBuild, build_dir: Path, clock: Clock,
    progress: Progress,
) -> tuple[Revision, str | None]:
    """Step 2: the revision, and the new build's index (a revised copy of the published one);
    returns the revision and the recommendation the dataset names as its example."""
    progress.step("Revising the graph")
    revision = revise(
        mint, change.units, (*change.context, *change.removed), (*change.context, *change.added),
        change.old_corpus.facts, change.new_corpus.facts,
    )
    clock.lap("revise")
    with revise_index_copy(
        current.path, build_dir, change.new_corpus, change.added_parts, change.removed_parts
    ) as new_index:
        example = new_index.example()
    clock.lap("index")
    return revision, example


def validate_change(
    reader: pyoxigraph.Store, mint: Minter, revision: Revision, record: set, dataset: set,
    build_dir: Path, progress: Progress,
) -> ValidationResult:
    """Step 4: the shapes on what the update describes, seen with the update before it; the
    report written into the new build."""
    progress.step("Validating the change")
    validation = validate_revision(revision, record, dataset, mint, types_of(reader, generated_by(reader)))
    (build_dir / VALIDATION).mkdir(exist_ok=True)
    write_validation(validation, build_dir / VALIDATION)
    return validation


def _published_or_empty(writer: Writer, time: datetime, progress: Progress) -> PublishedBuild:
    """The build the update revises: the published one, else a published build of no documents
    (a first `add` into an empty data dir), made under the same lock."""
    if writer.started_from is not None:
        return read_build(builds_dir(writer.data_dir) / writer.started_from)
    result = build_documents(
        [], writer.data_dir, DEFAULT_BASE_URI, time, progress, writer=writer, allow_empty=True
    )
    if result.published is None:
        raise UpdateError(
            f"cannot start an empty graph in {writer.data_dir}: {result.validation.report_text}"
        )
    return result.published


def read_change(
    build_dir: Path, mint: Minter, added: Sequence[Document], removed_symbols: Sequence[str]
) -> Change:
    """Step 1: what the update adds, replaces and withdraws, and every document touching it."""
    folder = records_dir(build_dir)
    with read_index(build_dir) as index:
        corpus = index.corpus
        skipped = tuple(d.source for d in added if d.sha256 in corpus.documents)
        fresh = _unique([d for d in added if d.sha256 not in corpus.documents])
        replaced = reissues(index, fresh)
        removing = set(replaced)
        for symbol in removed_symbols:
            found = symbol_documents(index, symbol)
            if not found:
                raise UpdateError(f"no document issued as {symbol} in the published graph ({build_dir})")
            removing.update(found)
        if not fresh and not removing:
            raise UpdateError("nothing to change: every file given is in the graph already")
        removed = read_documents(folder, removing)
        added_parts = tuple(contribution(mint, d) for d in fresh)
        removed_parts = tuple(contribution(mint, d) for d in removed)
        units = frozenset(u for part in added_parts + removed_parts for u in part.units)
        # The corpus-wide part of the new index; its units and recommendations are revised in the
        # new build's copy of the index file (`revise_index_copy`), row by row.
        new_corpus = revised(corpus, added_parts, removed_parts)
        context = read_documents(folder, index.shas(units) - removing)
    return Change(
        fresh, removed, replaced, skipped, added_parts, removed_parts, units, corpus, new_corpus,
        context,
    )


def record_activity(
    mint: Minter,
    reader: pyoxigraph.Store,
    change: Change,
    revision: Revision,
    time: datetime,
    version: str,
    example: str | None,
) -> tuple[URIRef, set, set]:
    """Step 3: the update as a PROV activity (and what replaced or withdrawn copies leave
    behind), and the dataset's description after it."""
    previous = generated_by(reader)
    activity = mint.build(update_id(time, [d.sha256 for d in change.added], change.removing))
    withdrawn = {s for s in revision.withdrawn if mint.kind(str(s)) != "copy"}
    record = set(activity_triples(
        mint, activity, time, version, change.added, change.removed, change.replaced, withdrawn,
        previous,
    ))
    for document in change.removed:
        record |= set(former_copy_triples(
            mint, document, activity, time, change.replaced.get(document.sha256)
        ))
    dataset = dataset_description(mint, reader, activity, time, version, example)
    return activity, record, dataset


def _manifest(
    current: PublishedBuild,
    build_dir: Path,
    change: Change,
    activity: URIRef,
    time: datetime,
    version: str,
    conforms: bool,
) -> Manifest:
    """The new build's manifest: the published one's, revised by the change."""
    return current.manifest.revised(
        build_id=build_dir.name,
        created=datetime.now(UTC).replace(microsecond=0),
        build_time=time,
        tool_version=version,
        inputs=tuple(InputFile(e.source, sha) for sha, e in sorted(change.new_corpus.documents.items())),
        failed_inputs=(),
        conforms=conforms,
        warnings=tuple(f"{d.source}: {w}" for d in change.added for w in d.warnings),
        update={
            "activity": str(activity),
            "previous_build": current.build_id,
            "added": [{"file": d.source, "sha256": d.sha256} for d in change.added],
            "removed": [
                {"file": d.source, "sha256": d.sha256, "symbol": d.symbol} for d in change.removed
            ],
            "replaced": change.replaced,
        },
    )


def copy_and_apply(
    reader: pyoxigraph.Store,
    current: PublishedBuild,
    build_dir: Path,
    mint: Minter,
    revision: Revision,
    record: set,
    dataset: set,
    manifest: Manifest,
    clock: Clock,
    progress: Progress,
) -> Manifest:
    """Steps 5 and 6: the published store copied and revised, the dumps written and measured
    into it; the manifest with the new counts and dumps."""
    progress.step("Applying the change to a copy of the store")
    store_path = build_dir / STORE
    reader.backup(str(store_path))
    store = pyoxigraph.Store(str(store_path))
    clock.lap("copy the store")
    removed_quads, added_triples, grown = apply_revision(store, mint, revision, record, dataset)
    clock.lap("apply")
    # Counted, not `len(store)`, which reads the whole store: what the published store held, less
    # what was removed, plus what was new. The patched dump must hold exactly as many triples.
    published = current.manifest.store_triples
    count = (-1 if published is None else published) + grown
    progress.step("Writing the dumps")
    written, patched = write_dumps(
        store, current.path, build_dir, manifest.base_uri, removed_quads, added_triples, count
    )
    clock.lap("dumps")
    count = count if patched else len(store)
    measured = quads(dump_files.measurement_graph(mint.dataset(), written))
    store.extend(measured)
    store.flush()
    progress.step("Updating the search index")
    changed = {q.subject.value for q in removed_quads} | {str(t[0]) for t in added_triples}
    search.update_index(store, current.path, build_dir, manifest.base_uri, changed)
    clock.lap("search index")
    del store  # releases the RocksDB lock so readers can open it read-only
    how = "previous dump's pieces patched" if patched else "dumped from the store"
    return manifest.revised(
        triples=count,
        store_triples=count + len(set(measured)),
        dumps=[d.as_json() for d in written],
        update={**manifest.update, "ntriples": how},
    )


def _unique(documents: Iterable[Document]) -> tuple[Document, ...]:
    seen: dict[str, Document] = {}
    for document in documents:
        seen.setdefault(document.sha256, document)
    return tuple(seen.values())
