"""`untoc-kg load --to URL`: the published graph pushed into a SPARQL 1.1 store, in batches,
resumable, then checked.

How it goes in: the Graph Store HTTP Protocol (the target graph replaced by an empty one with
PUT, then each batch POSTed as N-Triples), or SPARQL Update (`CLEAR SILENT GRAPH`, then `INSERT
DATA` per batch) where that is all the store speaks. `auto` tries the first and falls back to the
second when the URL does not take a PUT.

What is pushed is what the embedded server serves: the default graph of the build's store, read
in its index order (fixed, so batch k of a build is the same triples on every run). That is the
N-Triples dump plus the records of the dumps themselves (size, SHA-256), which the build writes
into the store after the dumps and which no dump can contain. Every request is its own document,
and each gets fresh blank nodes, so the triples of one blank node must travel together: triples
without blank nodes go first, in store order, then the rest, grouped by the blank nodes they
share, a group never split.

Resuming: after each batch the progress file (beside the build, `loads/<target>.json`) records
the batches done. A run killed between a batch landing and its record being written would post
that batch twice, harmless for plain triples (a graph is a set) but not for blank nodes (fresh
ones each time), so a resumed run first counts the graph: it must hold the triples of the
recorded batches, or those plus the next batch (which then counts as done).

The check afterwards: the graph's triple count (a COUNT query) equals the build's, and an export
of the graph (a Graph Store GET, or a CONSTRUCT where only SPARQL Update was used) has the same
order-independent hash as the build's store: the sum of the SHA-256 of every triple's N-Triples
form, its literals in the canonical form of their value (`graph_hash.canonical`: Oxigraph itself,
embedded or server, stores "5"^^xsd:positiveInteger as "5"^^xsd:integer; Virtuoso rewrites
dateTimes and language tags), blank nodes without their labels (a store names them its own way:
for them the check is of count and shape). Chosen over asking for each batch's triples (`VALUES`
rows joined against the graph, or `ASK`): Virtuoso 7.2 mis-evaluates `VALUES` rows holding
several language-tagged literals (they never match) and a long `ASK` goes past its query
compiler's limits, while an export is one streamed request every store answers. A sum of hashes
needs no sort of the graph, in memory or on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import httpx
import pyoxigraph
from pyoxigraph import Triple

from untoc_kg.sparql.batches import batches, blank_nodes, ntriples, published_triples
from untoc_kg.sparql.graph_hash import graph_hash
from untoc_kg.sparql.client import SPARQL_JSON, SparqlClient, describe_failure, http_client, public_url
from untoc_kg.datadir.layout import PublishedBuild
from untoc_kg.errors import LoadError

DEFAULT_BATCH_SIZE = 50_000
LOADS = "loads"
TIMEOUT_SECONDS = 300.0


class Protocol(str, Enum):
    AUTO = "auto"
    GRAPH_STORE = "gsp"
    UPDATE = "update"




@dataclass(frozen=True)
class Target:
    """Where the graph goes."""

    url: str
    """The Graph Store Protocol endpoint, or the SPARQL Update endpoint."""
    query_url: str
    """The SPARQL query endpoint, for the count and the check."""
    graph: str | None = None
    """The graph to replace (None: the store's default graph)."""
    protocol: Protocol = Protocol.AUTO


@dataclass
class LoadReport:
    build_id: str
    target: Target
    protocol: Protocol
    triples: int
    batches: int
    batches_resumed: int
    load_seconds: float
    verify_seconds: float
    progress_file: Path

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.load_seconds if self.load_seconds > 0 else float("inf")


@dataclass
class LoadRecord:
    """What a load has done so far, as recorded in its progress file."""

    build_id: str
    url: str
    graph: str | None
    batch_size: int
    protocol: str
    batches_done: int = 0
    triples_done: int = 0
    verified: bool = False
    load_seconds: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        data = {k: v for k, v in self.__dict__.items() if k != "extra"}
        temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)  # a kill leaves the old record or the new one, never half

    @classmethod
    def read(cls, path: Path) -> LoadRecord | None:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (FileNotFoundError, TypeError, ValueError):
            return None


def progress_path(build: PublishedBuild, target: Target) -> Path:
    """`builds/<id>/loads/<hash of URL and graph>.json`: one record per build and target."""
    url = public_url(target.url)  # a password never goes to disk
    key = hashlib.sha256(f"{url}\n{target.graph or ''}".encode()).hexdigest()
    return build.path / LOADS / f"{key[:16]}.json"


# -- the store -------------------------------------------------------------------------------


class TargetGraph:
    """The graph a load writes, in the target store; every failure becomes a LoadError naming the
    URL."""

    def __init__(self, target: Target, client: httpx.Client) -> None:
        self.target = target
        self.sparql = SparqlClient(client, LoadError)

    @property
    def _graph_params(self) -> dict[str, str]:
        graph = self.target.graph
        return {"graph": graph} if graph else {"default": ""}

    def _update(self, text: str) -> httpx.Response:
        return self.sparql.update(self.target.url, text)

    def _graph_clause(self) -> str:
        return f"GRAPH <{self.target.graph}>" if self.target.graph else "DEFAULT"

    def clear(self, protocol: Protocol) -> Protocol:
        """Empty the target graph; with `auto`, find which protocol the URL speaks."""
        gsp_answer = None
        if protocol in (Protocol.AUTO, Protocol.GRAPH_STORE):
            gsp_answer = self.sparql.send(
                "PUT",
                self.target.url,
                params=self._graph_params,
                content=b"",
                headers={"Content-Type": "application/n-triples"},
            )
            if gsp_answer.status_code < 300:
                return Protocol.GRAPH_STORE
            if protocol is Protocol.GRAPH_STORE:
                self.sparql.ok(gsp_answer)
        answer = self._update(f"CLEAR SILENT {self._graph_clause()}")
        if answer.status_code < 300:
            return Protocol.UPDATE
        if gsp_answer is not None:
            raise LoadError(
                f"{public_url(self.target.url)} takes neither the Graph Store Protocol "
                f"({describe_failure(self.target.url, gsp_answer)}) nor SPARQL Update "
                f"({describe_failure(self.target.url, answer)})"
            )
        self.sparql.ok(answer)
        return Protocol.UPDATE

    def insert(self, protocol: Protocol, triples: list[Triple]) -> None:
        body = ntriples(triples)
        if protocol is Protocol.GRAPH_STORE:
            self.sparql.ok(
                self.sparql.send(
                    "POST",
                    self.target.url,
                    params=self._graph_params,
                    content=body,
                    headers={"Content-Type": "application/n-triples"},
                )
            )
            return
        triples_text = body.decode("utf-8")
        if self.target.graph:
            triples_text = f"GRAPH <{self.target.graph}> {{ {triples_text} }}"
        # Blank nodes: a template instead of INSERT DATA, which Virtuoso 7.2 refuses them in
        # ("not allowed in a constant clause"); one solution, so one blank node per label.
        has_blank = any(blank_nodes(t) for t in triples)
        text = (
            f"INSERT {{ {triples_text} }} WHERE {{}}"
            if has_blank
            else f"INSERT DATA {{ {triples_text} }}"
        )
        self.sparql.ok(self._update(text))

    def select_number(self, query: str) -> int:
        """The one number a `SELECT (COUNT(*) AS ?n)` query answers."""
        response = self.sparql.ok(self._query(query))
        for row in _solutions(response):
            return int(row["n"].value)
        raise LoadError(f"{public_url(self.target.query_url)} gave no count for: {query[:200]}")

    def _query(self, query: str) -> httpx.Response:
        dataset = [("default-graph-uri", self.target.graph)] if self.target.graph else []
        return self.sparql.query(self.target.query_url, query, dataset, SPARQL_JSON)

    def export(self, protocol: Protocol, file: Path) -> pyoxigraph.RdfFormat:
        """Write the whole graph to `file`: a Graph Store GET, else a CONSTRUCT."""
        if protocol is Protocol.GRAPH_STORE:
            url = str(httpx.URL(self.target.url).copy_merge_params(self._graph_params))
            request: dict[str, object] = {"method": "GET"}
        else:
            form = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}
            if self.target.graph:
                form["default-graph-uri"] = self.target.graph
            url, request = self.target.query_url, {"method": "POST", "data": form}
        headers = {"Accept": "application/n-triples, text/turtle;q=0.5"}
        try:
            streamed = self.sparql.http.stream(
                url=url, headers=headers, **request  # type: ignore[arg-type]
            )
            with streamed as response:
                if response.status_code >= 300:
                    response.read()
                    self.sparql.ok(response)
                with file.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                media_type = response.headers.get("content-type", "").split(";")[0].strip()
        except httpx.HTTPError as error:
            raise LoadError(describe_failure(url, error)) from error
        return (
            pyoxigraph.RdfFormat.TURTLE
            if media_type == "text/turtle"
            else pyoxigraph.RdfFormat.N_TRIPLES
        )

    def count(self) -> int:
        return self.select_number("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def _solutions(response: httpx.Response) -> pyoxigraph.QuerySolutions:
    answer = pyoxigraph.parse_query_results(
        response.content, format=pyoxigraph.QueryResultsFormat.JSON
    )
    assert isinstance(answer, pyoxigraph.QuerySolutions)
    return answer


# -- the check -------------------------------------------------------------------------------

def verify(store: TargetGraph, protocol: Protocol, build: PublishedBuild, folder: Path) -> None:
    """Raise LoadError unless the graph holds exactly the build's triples: same count, and the
    same order-free hash of an export (to a file beside the progress record, then removed)."""
    expected_count, expected_hash = graph_hash(published_triples(build))
    held = store.count()
    if held != expected_count:
        raise LoadError(
            f"{public_url(store.target.query_url)} holds {held} triples in "
            f"{store.target.graph or 'its default graph'}, the published graph has "
            f"{expected_count}"
        )
    export = folder / f".export-{os.getpid()}.nt"
    try:
        fmt = store.export(protocol, export)
        count, exported_hash = graph_hash(
            quad.triple for quad in pyoxigraph.parse(path=str(export), format=fmt)
        )
    finally:
        export.unlink(missing_ok=True)
    if count != expected_count:
        raise LoadError(
            f"the export of {store.target.graph or 'the default graph'} gave {count} triples, "
            f"the store counts {held}: does the store cap its answers?"
        )
    if exported_hash != expected_hash:
        raise LoadError(
            f"{public_url(store.target.url)}: the graph has as many triples as the published "
            "graph but not the same ones (the store changed some: compare an export with the "
            "N-Triples dump)"
        )


# -- the load --------------------------------------------------------------------------------


def load(
    build: PublishedBuild,
    target: Target,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restart: bool = False,
    client: httpx.Client | None = None,
    echo: Callable[[str], None] = lambda line: None,
    after_batch: Callable[[int], None] = lambda index: None,
) -> LoadReport:
    """Push `build`'s graph into `target`, resuming a load of the same build and target that
    stopped, then check it. `after_batch(k)` runs once batch k is recorded (tests stop there)."""
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    path = progress_path(build, target)
    own_client = client is None
    client = client or http_client(target.url, target.query_url, timeout=TIMEOUT_SECONDS, connect=10.0)
    try:
        store = TargetGraph(target, client)
        progress = None if restart else LoadRecord.read(path)
        if progress is not None and (
            progress.build_id != build.build_id
            or progress.batch_size != batch_size
            or progress.url != public_url(target.url)
            or progress.graph != target.graph
        ):
            echo(f"{path}: a load of other batches; starting again")
            progress = None
        if progress is not None and progress.verified:
            echo(f"already loaded and checked ({path}); --restart loads again")
            return _report(build, target, progress, 0, 0.0, path)
        all_batches = batches(published_triples(build), batch_size)
        resumed = 0
        started = time.monotonic()
        if progress is None:
            protocol = store.clear(target.protocol)
            progress = LoadRecord(
                build.build_id, public_url(target.url), target.graph, batch_size, protocol.value
            )
            progress.save(path)
            echo(
                f"cleared {target.graph or 'the default graph'} at {public_url(target.url)} "
                f"({protocol.value})"
            )
        else:
            protocol = Protocol(progress.protocol)
            _reconcile(store, progress, all_batches, path, echo)
            resumed = progress.batches_done
        for index, batch in enumerate(all_batches, start=progress.batches_done):
            store.insert(protocol, batch)
            progress.batches_done = index + 1
            progress.triples_done += len(batch)
            progress.load_seconds += time.monotonic() - started
            started = time.monotonic()
            progress.save(path)
            echo(f"batch {index + 1}: {progress.triples_done} triples")
            after_batch(index)
        progress.load_seconds += time.monotonic() - started
        verify_started = time.monotonic()
        verify(store, protocol, build, path.parent)
        verify_seconds = time.monotonic() - verify_started
        progress.verified = True
        progress.save(path)
        return _report(build, target, progress, resumed, verify_seconds, path)
    finally:
        if own_client:
            client.close()


def _reconcile(
    store: TargetGraph,
    progress: LoadRecord,
    remaining: Iterator[list[Triple]],
    path: Path,
    echo: Callable[[str], None],
) -> None:
    """Skip the batches recorded as done; count the graph to learn whether the batch after them
    landed before the last run stopped."""
    for _ in range(progress.batches_done):
        next(remaining)
    held = store.count()
    if held == progress.triples_done:
        echo(f"resuming after batch {progress.batches_done} ({held} triples in the graph)")
        return
    following = next(remaining, None)
    if following is not None and held == progress.triples_done + len(following):
        progress.batches_done += 1
        progress.triples_done += len(following)
        progress.save(path)
        echo(f"batch {progress.batches_done} had landed; resuming after it")
        return
    raise LoadError(
        f"{public_url(store.target.query_url)} holds {held} triples in "
        f"{store.target.graph or 'its default graph'}, but {progress.batches_done} batches "
        f"({progress.triples_done} triples) were loaded: the graph changed since; "
        "load again with --restart"
    )


def _report(
    build: PublishedBuild,
    target: Target,
    progress: LoadRecord,
    resumed: int,
    verify_seconds: float,
    path: Path,
) -> LoadReport:
    return LoadReport(
        build.build_id,
        target,
        Protocol(progress.protocol),
        progress.triples_done,
        progress.batches_done,
        resumed,
        progress.load_seconds,
        verify_seconds,
        path,
    )
