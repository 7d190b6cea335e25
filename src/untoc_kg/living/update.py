"""`untoc-kg add` and `remove`: change the published graph and publish the result as a new build.

One way for both: `update(data_dir, added=..., removed=...)`. It reads the published build's
index, works out which units the change touches (`units`), loads the records of only the
documents touching them, computes the `Revision` (`revise`), validates what it describes against
the shapes, and only then copies the published store (an Oxigraph checkpoint: hard links), applies
the revision, records the update (`history`), rewrites the dumps from the store and publishes the
build with `untoc_kg.sparql.store.publish`: readers see the old graph or the new one, never a
mix, and a change that does not validate is never published.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from untoc_kg import search
from untoc_kg.extract.records import Document
from untoc_kg.graph import PREFIXES
from untoc_kg.graph.dataset import dataset_triples
from untoc_kg.graph.reference_data import (
    reference_body_triples,
    reference_treaty_triples,
)
from untoc_kg.graph.uris import Minter
from untoc_kg.graph.vocab import DCAT, DCTERMS, PROV, RDF, VOID
from untoc_kg.ontology import ontology_graph
from untoc_kg.shapes import ValidationResult, validate
from untoc_kg.sparql import dumps as dump_files
from untoc_kg.sparql.store import (
    DUMPS,
    STORE,
    VALIDATION,
    NoPublishedBuild,
    PublishedBuild,
    current_build,
    new_build_dir,
    new_build_id,
    open_read_only,
    publish,
    write_manifest,
)

from . import dumps as living_dumps
from .history import activity_triples, former_copy_triples, update_id
from .records import (
    IndexFile,
    carry_records,
    contribution,
    read_documents,
    read_index,
    records_dir,
    revise_index_copy,
    revised,
)
from .revise import Revision, revise
from .units import AGGREGATES, SYMBOL_UNIT, base_symbol, issue_rank, kind, owner

SPDX_CHECKSUM = URIRef("http://spdx.org/rdf/terms#checksum")
DEFAULT = pyoxigraph.DefaultGraph()
LOCK = ".update.lock"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


class UpdateError(ValueError):
    """The update cannot be made as asked (nothing to remove, an earlier issue, ...)."""


@dataclass(frozen=True)
class UpdateResult:
    build_dir: Path
    manifest: dict
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


@contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """One update of a data dir at a time: two at once would each start from the same published
    build, and the second to publish would drop the first one's change."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with (Path(data_dir) / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def update(
    data_dir: Path,
    added: Sequence[Document] = (),
    removed_symbols: Sequence[str] = (),
    time: datetime | None = None,
    tool_version: str | None = None,
) -> UpdateResult:
    """Add `added` to the published graph of `data_dir` (reissues replace their earlier issue)
    and withdraw the documents issued under `removed_symbols`; publish the result if it
    conforms. With no published build yet, the documents are added to an empty graph."""
    with exclusive(data_dir):
        return _update(Path(data_dir), added, removed_symbols, time, tool_version)


def _update(
    data_dir: Path,
    added: Sequence[Document],
    removed_symbols: Sequence[str],
    time: datetime | None,
    tool_version: str | None,
) -> UpdateResult:
    from untoc_kg import pipeline

    clock = Clock()
    data_dir = Path(data_dir)
    time = time or pipeline.build_time_from_env()
    tool_version = tool_version or pipeline.tool_version()
    try:
        current = current_build(data_dir)
    except NoPublishedBuild:
        current = _empty_build(data_dir, time)
    base_uri = str(current.manifest["base_uri"])
    mint = Minter(base_uri)
    folder = records_dir(current.path)
    with read_index(current.path) as index:
        corpus = index.corpus

        skipped = tuple(d.source for d in added if d.sha256 in corpus.documents)
        added = _unique([d for d in added if d.sha256 not in corpus.documents])
        replaced = reissues(index, added)
        removing = set(replaced)
        for symbol in removed_symbols:
            found = symbol_documents(index, symbol)
            if not found:
                raise UpdateError(
                    f"no document issued as {symbol} in the published graph ({current.path})"
                )
            removing.update(found)
        if not added and not removing:
            raise UpdateError("nothing to change: every file given is in the graph already")
        removed = read_documents(folder, removing)

        # Only the records of documents that touch what changes are read.
        added_parts = [contribution(mint, d) for d in added]
        removed_parts = [contribution(mint, d) for d in removed]
        units = {u for part in added_parts + removed_parts for u in part.units}
        # The corpus-wide part of the new index; its units and recommendations are revised in the
        # new build's copy of the index file (`revise_index_copy`), row by row.
        new_corpus = revised(corpus, added_parts, removed_parts)
        context = read_documents(folder, index.shas(units) - removing)
    clock.lap("read index and records")
    revision = revise(
        mint, units, (*context, *removed), (*context, *added), corpus, new_corpus
    )
    clock.lap("revise")
    build_dir = new_build_dir(data_dir, new_build_id(datetime.now(UTC)))
    with revise_index_copy(
        current.path, build_dir, new_corpus, added_parts, removed_parts
    ) as new_index:
        example = new_index.example()
    clock.lap("index")

    reader = open_read_only(current.store_path)  # the published store, read-only
    previous = _generated_by(reader)
    activity = mint.build(update_id(time, [d.sha256 for d in added], removing))
    withdrawn = {s for s in revision.withdrawn if kind(mint, str(s)) != "copy"}
    record = set(
        activity_triples(
            mint,
            activity,
            time,
            tool_version,
            added,
            removed,
            replaced,
            withdrawn,
            previous,
        )
    )
    for document in removed:
        record |= set(
            former_copy_triples(
                mint, document, activity, time, replaced.get(document.sha256)
            )
        )
    dataset = _dataset_triples(mint, reader, activity, time, tool_version, example)

    validation = _validate(revision, record, dataset, mint, _types(reader, previous))
    clock.lap("validate")
    (build_dir / VALIDATION).mkdir(exist_ok=True)
    pipeline.write_validation(validation, build_dir / VALIDATION)
    manifest = {
        **dict(current.manifest),
        "build_id": build_dir.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_time": time.isoformat(),
        "tool_version": tool_version,
        "inputs": [
            {"file": entry.source, "sha256": sha}
            for sha, entry in sorted(new_corpus.documents.items())
        ],
        "failed_inputs": [],
        "conforms": validation.conforms,
        "update": {
            "activity": str(activity),
            "previous_build": current.build_id,
            "added": [{"file": d.source, "sha256": d.sha256} for d in added],
            "removed": [
                {"file": d.source, "sha256": d.sha256, "symbol": d.symbol}
                for d in removed
            ],
            "replaced": replaced,
        },
    }
    result = {
        "activity": str(activity),
        "added": tuple(d.sha256 for d in added),
        "removed": tuple(sorted(removing)),
        "replaced": replaced,
        "skipped": skipped,
    }
    if not validation.conforms:
        write_manifest(build_dir, manifest)
        return UpdateResult(build_dir, manifest, validation, None, **result)

    store_path = build_dir / STORE
    reader.backup(str(store_path))
    store = pyoxigraph.Store(str(store_path))
    clock.lap("copy the store")
    removed_quads, added_triples, change = _apply(
        store, mint, revision, record, dataset
    )
    clock.lap("apply")
    # Counted, not `len(store)`, which reads the whole store: what the published store held, less
    # what was removed, plus what was new. The patched dump must hold exactly as many triples.
    count = int(current.manifest.get("store_triples", -1)) + change
    written, patched = _write_dumps(
        store, current.path, build_dir, base_uri, removed_quads, added_triples, count
    )
    manifest["update"]["ntriples"] = (
        "previous dump's pieces patched" if patched else "dumped from the store"
    )
    clock.lap("dumps")
    count = count if patched else len(store)
    manifest["triples"] = count
    measured = _quads(dump_files.measurement_graph(mint.dataset(), written))
    store.extend(measured)
    store.flush()
    changed = {q.subject.value for q in removed_quads} | {str(t[0]) for t in added_triples}
    search.update_index(store, current.path, build_dir, base_uri, changed)
    manifest["store_triples"] = count + len(set(measured))
    manifest["dumps"] = [d.as_json() for d in written]
    del store  # releases the RocksDB lock so readers can open it read-only
    carry_records(current.path, build_dir, set(corpus.documents) - removing, added)
    clock.lap("records")
    manifest["timings"] = clock.laps
    manifest["update"]["documents_read"] = len(context)
    manifest["update"]["subjects_replaced"] = len(revision.replaced)
    write_manifest(build_dir, manifest)
    published = publish(data_dir, build_dir)
    return UpdateResult(build_dir, manifest, validation, published, **result)


class Clock:
    """Seconds per step of one update, for build.json and bench/add.py."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = monotonic()

    def lap(self, step: str) -> None:
        now = monotonic()
        self.laps[step] = round(now - self._last, 3)
        self._last = now


def _unique(documents: Iterable[Document]) -> tuple[Document, ...]:
    seen: dict[str, Document] = {}
    for document in documents:
        seen.setdefault(document.sha256, document)
    return tuple(seen.values())


def _empty_build(data_dir: Path, time: datetime) -> PublishedBuild:
    """A published build of no documents, for a first `add` into an empty data dir."""
    from untoc_kg import pipeline
    from untoc_kg.settings import DEFAULT_BASE_URI

    result = pipeline.build(
        [], data_dir, os.environ.get("UNTOC_KG_BASE_URI", DEFAULT_BASE_URI), time
    )
    if result.published is None:
        raise UpdateError(
            f"cannot start an empty graph in {data_dir}: {result.validation.report_text}"
        )
    return result.published


def _generated_by(store: pyoxigraph.Store) -> URIRef | None:
    dataset = _store_dataset(store)
    if dataset is None:
        return None
    for quad in store.quads_for_pattern(
        dataset, _node(PROV.wasGeneratedBy), None, DEFAULT
    ):
        return URIRef(quad.object.value)
    return None


def _store_dataset(store: pyoxigraph.Store) -> pyoxigraph.NamedNode | None:
    found = sorted(
        q.subject.value
        for q in store.quads_for_pattern(
            None, _node(RDF.type), _node(DCAT.Dataset), DEFAULT
        )
    )
    return pyoxigraph.NamedNode(found[0]) if found else None


def _dataset_triples(
    mint: Minter,
    store: pyoxigraph.Store,
    activity: URIRef,
    time: datetime,
    tool_version: str,
    example: str | None,
) -> set:
    """The dataset's description after the update: modified now, generated by the update, the
    first recommendation (`example`) as its example; first issued when it was."""
    triples = set(
        dataset_triples(
            mint, activity, time, tool_version, URIRef(example) if example else None
        )
    )
    issued = next(
        iter(
            store.quads_for_pattern(
                _node(mint.dataset()), _node(DCTERMS.issued), None, DEFAULT
            )
        ),
        None,
    )
    if issued is not None:
        triples = {t for t in triples if t[1] != DCTERMS.issued}
        triples.add((mint.dataset(), DCTERMS.issued, _rdflib(issued.object)))
    return triples


DATASET_PREDICATES = (
    DCTERMS.issued,
    DCTERMS.modified,
    PROV.wasGeneratedBy,
    VOID.exampleResource,
)


def _types(store: pyoxigraph.Store, node: URIRef | None) -> set:
    """What the published store says `node` is (the update before this one, for validation)."""
    if node is None:
        return set()
    return {
        (node, RDF.type, URIRef(q.object.value))
        for q in store.quads_for_pattern(_node(node), _node(RDF.type), None, DEFAULT)
    }


def _validate(
    revision: Revision, record: set, dataset: set, mint: Minter, around: set
) -> ValidationResult:
    """The shapes, on the resources the update describes, seen with their neighbours."""
    graph = ontology_graph()
    for triple in (
        *around,
        *revision.context,
        *revision.triples,
        *record,
        *dataset,
        *reference_treaty_triples(mint),
        *reference_body_triples(mint),
    ):
        graph.add(triple)
    focus = revision.focus | {s for s, _, _ in record} | {s for s, _, _ in dataset}
    return validate(graph, focus_nodes=sorted(focus))


def _apply(
    store: pyoxigraph.Store, mint: Minter, revision: Revision, record: set, dataset: set
) -> tuple[list[pyoxigraph.Quad], list, int]:
    """Replace the revised subjects, add the update's record, renew the dataset's dates, drop the
    dumps' old measurements, and collect keyed subjects nothing points to any more. Returns the
    quads removed, the triples added, and by how many triples the store grew."""
    dataset_node = _node(mint.dataset())
    dropped: list[pyoxigraph.Quad] = []
    for subject in revision.replaced:
        dropped.extend(store.quads_for_pattern(_node(subject), None, None, DEFAULT))
    for predicate in DATASET_PREDICATES:
        dropped.extend(
            store.quads_for_pattern(dataset_node, _node(predicate), None, DEFAULT)
        )
    for distribution in store.quads_for_pattern(
        dataset_node, _node(DCAT.distribution), None, DEFAULT
    ):
        dropped.extend(
            store.quads_for_pattern(
                distribution.object, _node(DCAT.byteSize), None, DEFAULT
            )
        )
        for checksum in store.quads_for_pattern(
            distribution.object, _node(SPDX_CHECKSUM), None, DEFAULT
        ):
            dropped.append(checksum)
            dropped.extend(
                store.quads_for_pattern(checksum.object, None, None, DEFAULT)
            )
    dropped = list(dict.fromkeys(dropped))  # a quad found twice is removed once
    for quad in dropped:
        store.remove(quad)
    added = [*revision.triples, *record, *dataset]
    new = [q for q in dict.fromkeys(_quads(added)) if q not in store]
    store.extend(new)
    collected = _collect(
        store,
        mint,
        {q.object for q in dropped if isinstance(q.object, pyoxigraph.NamedNode)},
    )
    return dropped + collected, added, len(new) - len(dropped) - len(collected)


def _collect(
    store: pyoxigraph.Store, mint: Minter, candidates: set
) -> list[pyoxigraph.Quad]:
    """Drop keyed subjects (a cited paragraph, an addressee, a body) that nothing points to any
    more: a build of the same documents would not mint them. Reference data always stays."""
    reference = {
        _node(s)
        for s, _, _ in (*reference_treaty_triples(mint), *reference_body_triples(mint))
    }
    todo = set(candidates)
    removed: list[pyoxigraph.Quad] = []
    while todo:
        node = todo.pop()
        iri = node.value
        if (
            node in reference
            or owner(mint, iri) is not None
            or kind(mint, iri) in (None, *AGGREGATES)
        ):
            continue
        if any(True for _ in store.quads_for_pattern(None, None, node, DEFAULT)):
            continue
        for quad in list(store.quads_for_pattern(node, None, None, DEFAULT)):
            store.remove(quad)
            removed.append(quad)
            if isinstance(quad.object, pyoxigraph.NamedNode):
                todo.add(quad.object)
    return removed


def _write_dumps(
    store: pyoxigraph.Store,
    previous_build: Path,
    build_dir: Path,
    base_uri: str,
    removed: Sequence[pyoxigraph.Quad],
    added: Sequence,
    count: int,
) -> tuple[tuple, bool]:
    """The four dumps: the previous build's dump pieces patched (`untoc_kg.living.dumps`), or,
    should the patched dump not hold the `count` triples the store holds (no measurements at
    this point), cut afresh from the store. Returns the dumps and whether they were patched.
    A removed triple is matched as rdflib and as Oxigraph write it (they escape control
    characters differently); an added one is written as the build writes it (rdflib)."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in removed]
    gone = set(
        pyoxigraph.serialize(
            triples, format=pyoxigraph.RdfFormat.N_TRIPLES
        ).splitlines()
    )
    gone |= set(
        _rdflib_ntriples(
            (_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object))
            for q in removed
        ).splitlines()
    )
    gone |= set(_rdflib_ntriples(_as_printed(removed)).splitlines())
    come = set(_rdflib_ntriples(added).splitlines())
    gone.discard(b"")
    come.discard(b"")
    patched = (
        living_dumps.patch(previous_build, build_dir, gone, come, prefixes) == count
    )
    if not patched:
        raw, ordered = build_dir / "unsorted.nt", build_dir / "sorted.nt"
        store.dump(str(raw), format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=DEFAULT)
        _sort(raw, ordered, build_dir)
        living_dumps.cut_store_dump(ordered, build_dir, prefixes)
        raw.unlink()
        ordered.unlink()
    return living_dumps.assemble(build_dir, build_dir / DUMPS, base_uri), patched


INTEGER_TYPES = tuple(
    URIRef(XSD_INTEGER.removesuffix("integer") + name)
    for name in ("positiveInteger", "nonNegativeInteger")
)
"""Oxigraph stores these as xsd:integer; the dump prints what the graph said."""


def _as_printed(removed: Sequence[pyoxigraph.Quad]) -> Iterator:
    """The removed integers as the dump may print them: with the derived type the graph gave."""
    for quad in removed:
        if (
            isinstance(quad.object, pyoxigraph.Literal)
            and quad.object.datatype.value == XSD_INTEGER
        ):
            for datatype in INTEGER_TYPES:
                yield (
                    _rdflib(quad.subject),
                    _rdflib(quad.predicate),
                    Literal(quad.object.value, datatype=datatype),
                )


def _sort(source: Path, target: Path, scratch: Path) -> None:
    """Lines sorted byte-wise (UTF-8 byte order is code point order: Python's order) and unique."""
    subprocess.run(
        ["sort", "-u", "-T", str(scratch), "-o", str(target), str(source)],
        env={**os.environ, "LC_ALL": "C"},
        check=True,
    )


def _rdflib_ntriples(triples: Iterable) -> bytes:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="nt", encoding="utf-8")


def _node(term: Node) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(str(term))


def _term(term: Node):
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(
                str(term), datatype=pyoxigraph.NamedNode(str(term.datatype))
            )
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"no blank nodes in the graph: {term!r}")


def _rdflib(term) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _quads(triples: Iterable) -> list[pyoxigraph.Quad]:
    return [
        pyoxigraph.Quad(_term(s), _term(p), _term(o), DEFAULT) for s, p, o in triples
    ]
