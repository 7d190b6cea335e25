"""Query evaluation in worker processes, with a time limit that really stops the evaluation.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed, so each query runs
in one of a few long-lived worker processes (each keeps the published store open read-only).
When a query overruns its time, its worker is killed (SIGKILL: nothing in a read-only reader can
be left half done) and a fresh one takes its place. The server's event loop only ever waits on
pipes, so a heavy query never holds up a light one running in another worker.

Workers also run under an address-space limit, so a query that would need all the machine's
memory fails alone instead of taking the server with it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph

from untoc_kg.server.results import (
    ResultKind,
    WrittenResult,
    format_for,
    offers,
    write_boolean,
    write_graph,
    write_solutions,
)
from untoc_kg.sparql.prologue import explain
from untoc_kg.sparql.remote import RemoteEndpoint
from untoc_kg.datadir import open_store

LOG = logging.getLogger(__name__)
WORKER_COMMAND = "from untoc_kg.server.query_worker import main; main()"
"""A worker is a fresh interpreter running only this module: unlike multiprocessing's spawn, it
never re-imports the server's main script, whatever that script is."""
RESPAWN_RETRY_SECONDS = 1.0
PARENT_CHECK_SECONDS = 0.5
READY = "ready"
"""A worker's first message: its imports are done, so the first query it gets is not slowed by
an interpreter starting (a light query would otherwise wait a second behind a respawn)."""
STORES_KEPT_OPEN = 2
"""The current build's store and the one before it (queries still running on it finish)."""


@dataclass(frozen=True)
class QueryTask:
    """One query to evaluate, as sent to a worker."""

    store_path: str
    query: str
    default_graphs: tuple[str, ...] | None
    """The protocol's default-graph-uri values; None: the query's own dataset."""
    named_graphs: tuple[str, ...] | None
    media_types: Mapping[ResultKind, str | None]
    """The negotiated media type for each kind of result (None: the client accepts none)."""
    max_rows: int
    base_iri: str | None = None
    """Against which relative IRIs in the query resolve (the endpoint's URL, as the protocol
    suggests)."""
    remote: RemoteEndpoint | None = None
    """Evaluate on this remote SPARQL store instead of the store at `store_path`."""
    prefixes: Mapping[str, str] | None = None
    """Predeclared prefixes: a query may use them without PREFIX lines (its own still win)."""


@dataclass(frozen=True)
class QueryFailure:
    """A query that could not be answered, with the HTTP status and a message for people."""

    status: int
    message: str


class QueryTimeout(Exception):
    """The query ran past its time limit and its evaluation was stopped."""


class WorkersBusy(Exception):
    """No worker became free within the time limit."""


def evaluate(store: pyoxigraph.Store, task: QueryTask) -> WrittenResult | QueryFailure:
    """Run `task` on `store` and write the answer in its negotiated format."""
    dataset: dict[str, object] = {}
    if task.default_graphs is not None or task.named_graphs is not None:
        # The protocol's dataset replaces the query's FROM / FROM NAMED entirely (SPARQL 1.1
        # Protocol 2.1.4): what it does not name is empty.
        dataset["default_graph"] = [pyoxigraph.NamedNode(g) for g in task.default_graphs or ()]
        dataset["named_graphs"] = [pyoxigraph.NamedNode(g) for g in task.named_graphs or ()]
    try:
        answer = store.query(
            task.query, base_iri=task.base_iri, prefixes=dict(task.prefixes or {}), **dataset
        )
        if isinstance(answer, pyoxigraph.QueryBoolean):
            kind = ResultKind.BOOLEAN
        elif isinstance(answer, pyoxigraph.QuerySolutions):
            kind = ResultKind.SOLUTIONS
        else:
            kind = ResultKind.GRAPH
        media_type = task.media_types.get(kind)
        if media_type is None:
            return QueryFailure(406, f"this is a {kind.value} query; {_offered(kind)}")
        fmt = format_for(kind, media_type)
        if kind is ResultKind.BOOLEAN:
            return write_boolean(answer, fmt)  # type: ignore[arg-type]
        if kind is ResultKind.SOLUTIONS:
            return write_solutions(answer, fmt, task.max_rows)  # type: ignore[arg-type]
        return write_graph(answer, fmt, task.max_rows)  # type: ignore[arg-type]
    except SyntaxError as error:
        reason = explain(str(error), task.query, task.prefixes or {})
        return QueryFailure(400, f"the query is not valid SPARQL 1.1: {reason}")
    except Exception as error:  # pyoxigraph's evaluation errors have no common base class
        return QueryFailure(500, f"the query could not be evaluated: {error}")


def _offered(kind: ResultKind) -> str:
    return "the Accept header allows none of: " + ", ".join(offers(kind))


def _serve(tasks: Connection, answers: Connection, memory_bytes: int | None) -> None:
    """A worker's life: answer tasks until the server closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server shuts its workers down itself
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    stores: dict[str, pyoxigraph.Store] = {}
    while True:
        try:
            task: QueryTask = tasks.recv()
        except (EOFError, OSError):
            return
        try:
            store = stores.get(task.store_path)
            if store is None:
                store = (
                    task.remote.open(streaming=True)
                    if task.remote
                    else open_store(Path(task.store_path))
                )
                stores[task.store_path] = store
                for stale in list(stores)[:-STORES_KEPT_OPEN]:
                    del stores[stale]
            outcome: WrittenResult | QueryFailure = evaluate(store, task)
        except OSError as error:
            outcome = QueryFailure(503, f"the published store could not be opened: {error}")
        except MemoryError:
            outcome = QueryFailure(503, "the query needed more memory than a query may use")
        answers.send(outcome)


def _exit_with_parent(parent: int) -> None:
    """End the worker when its server is gone (kill -9 included): a query nobody waits for must
    not burn CPU for hours. pyoxigraph releases the GIL while it evaluates, so this runs."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def main() -> None:
    """Entry point of a worker process: tasks on stdin, answers on stdout."""
    memory_bytes = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    tasks = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print must never land in the answer pipe
    answers.send(READY)
    _serve(tasks, answers, memory_bytes or None)


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    tasks: Connection
    answers: Connection


class WorkerPool:
    """A fixed number of query worker processes, shared by all requests of one server."""

    def __init__(self, size: int, memory_bytes: int | None = None) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size = size
        self.memory_bytes = memory_bytes
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._starting: asyncio.Lock | None = None
        self._replacing: set[asyncio.Task[None]] = set()

    def _spawn(self) -> _Worker:
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER_COMMAND, str(self.memory_bytes or 0)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert process.stdin is not None and process.stdout is not None
        worker = _Worker(
            process,
            tasks=Connection(os.dup(process.stdin.fileno()), readable=False),
            answers=Connection(os.dup(process.stdout.fileno()), writable=False),
        )
        process.stdin.close()
        process.stdout.close()
        self._all.add(worker)
        try:
            ready = worker.answers.recv()  # blocks this thread (never the event loop) until ready
        except EOFError:
            ready = None
        if ready != READY:
            self._end(worker)
            raise OSError(f"a query worker failed to start (exit status {process.returncode})")
        return worker

    async def start(self) -> None:
        """Start the workers (idempotent); called by the app's lifespan or by the first query."""
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._idle is not None:
                return
            idle: asyncio.Queue[_Worker] = asyncio.Queue()
            for _ in range(self.size):
                idle.put_nowait(await asyncio.to_thread(self._spawn))
            self._idle = idle

    async def run(self, task: QueryTask, timeout: float) -> WrittenResult | QueryFailure:
        """Evaluate `task` in a free worker within `timeout` seconds, waiting for one included.

        Raises WorkersBusy when no worker frees up in time, QueryTimeout when the evaluation
        overruns (its worker is killed and replaced)."""
        await self.start()
        idle = self._idle
        assert idle is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(idle.get(), timeout)
        except TimeoutError:
            raise WorkersBusy() from None
        healthy = False
        try:
            worker.tasks.send(task)
            if not await _readable(worker.answers, deadline - loop.time()):
                raise QueryTimeout()
            # The worker writes its whole answer at once; reading it may take a moment for a big
            # one, so it is read off the event loop.
            outcome = await asyncio.to_thread(worker.answers.recv)
            healthy = True
            return outcome
        except (EOFError, OSError):
            return QueryFailure(
                503, "the query worker stopped (the query may have needed too much memory)"
            )
        finally:
            # A worker is reused only after a complete exchange; any other way out (timeout,
            # crash, the request being cancelled) may leave an answer in its pipe.
            if healthy:
                idle.put_nowait(worker)
            else:
                self._replace(worker, idle)

    def _replace(self, worker: _Worker, idle: asyncio.Queue[_Worker]) -> None:
        task = asyncio.get_running_loop().create_task(self._respawn(worker, idle))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _respawn(self, worker: _Worker, idle: asyncio.Queue[_Worker]) -> None:
        await asyncio.to_thread(self._end, worker)
        while self._idle is idle:  # until the pool is closed
            try:
                idle.put_nowait(await asyncio.to_thread(self._spawn))
                return
            except OSError as error:  # out of processes or memory: keep trying, the pool heals
                LOG.error("could not start a query worker (%s); retrying", error)
                await asyncio.sleep(RESPAWN_RETRY_SECONDS)

    def _end(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.process.kill()
        worker.process.wait(timeout=10)
        worker.tasks.close()
        worker.answers.close()

    async def close(self) -> None:
        """Stop every worker; queries still running get an error."""
        self._idle = None
        for task in list(self._replacing):
            await task
        for worker in list(self._all):
            await asyncio.to_thread(self._end, worker)

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (for tests and diagnostics)."""
        return [w.process.pid for w in self._all]


async def _readable(connection: Connection, timeout: float) -> bool:
    """Wait until the worker has answered (True) or `timeout` seconds pass (False)."""
    if timeout <= 0:
        return connection.poll(0)
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    descriptor = connection.fileno()
    loop.add_reader(descriptor, lambda: ready.done() or ready.set_result(None))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(descriptor)


def default_worker_count() -> int:
    """Two at least, so a light query is answered while a heavy one runs."""
    return max(2, min(4, os.cpu_count() or 2))
