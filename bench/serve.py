"""Named queries and dereferencing over HTTP: our server against Oxigraph's own server and
pyoxigraph in-process (the floor), on the same store, in one run.

    python bench/serve.py [--data-dir DIR] [--requests 300] [--clients 2] [--query FILE.rq ...]

DIR is a data dir with a published build (default: the bundled corpus, built into a temporary
dir). The queries are three named queries of `untoc_kg.sparql.named_queries` (their plain text,
parameters unbound), or the --query files. Every server runs in its own process on 127.0.0.1;
the same client (keep-alive connections, one thread per client) drives both. Prints one table:
requests/s, p50 and p99 latency per query and target, and the ratio of our p50 and throughput
to Oxigraph's server's. Goal: within 1.3x of Oxigraph's server.

Dereferencing: one recommendation, article, State and meeting, fetched in turn as Turtle and as
HTML from our server; the baseline is Oxigraph's server answering `DESCRIBE <iri>` as Turtle
(the same store, one resource per request), the floor `DESCRIBE` in-process. Goal: >= 1,000
requests/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph

from untoc_kg.datadir import current_build, open_store

ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"


@dataclass(frozen=True)
class Measured:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout} s")


def start_ours(data_dir: Path, port: int, query_timeout: float | None = None) -> subprocess.Popen:
    """Our endpoint exactly as `untoc-kg serve [--query-timeout S]` runs it."""
    options = ["--query-timeout", str(query_timeout)] if query_timeout else []
    return subprocess.Popen(
        [sys.executable, "-m", "untoc_kg.cli", "serve", "--store", str(data_dir), "--log-level", "warning",
         "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
    )


def start_oxigraph(store_path: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        ["oxigraph", "serve-read-only", "--location", str(store_path), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def accept_for(query: str) -> str:
    from untoc_kg.sparql.query_screening import ResultKind, screen

    return GRAPH_ACCEPT if screen(query).kind is ResultKind.GRAPH else ACCEPT


def over_http(url: str, query: str, requests: int, clients: int) -> Measured:
    return requested([(url, {"query": query})], {"accept": accept_for(query)}, requests, clients)


def requested(
    targets: list[tuple[str, dict[str, str]]], headers: dict[str, str], requests: int, clients: int
) -> Measured:
    """GET the targets (url, query parameters) in turn, `requests` times in all."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client(count: int) -> None:
        mine = []
        with httpx.Client(timeout=60, follow_redirects=True) as session:
            for i in range(count):
                url, params = targets[i % len(targets)]
                started = time.perf_counter()
                response = session.get(url, params=params, headers=headers)
                response.raise_for_status()
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    # Warm up: caches, worker stores, connections.
    with httpx.Client(follow_redirects=True) as session:
        for url, params in targets * 2:
            session.get(url, params=params, headers=headers).raise_for_status()
    threads = [threading.Thread(target=client, args=(requests // clients,)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.perf_counter() - started)


def in_process(store: pyoxigraph.Store, query: str | list[str], requests: int) -> Measured:
    """Evaluate and serialise, as the servers must, without HTTP: the floor."""
    texts = [query] if isinstance(query, str) else query

    def once(text: str) -> bytes:
        answer = store.query(text)
        if accept_for(text) == GRAPH_ACCEPT:
            return pyoxigraph.serialize(answer, format=pyoxigraph.RdfFormat.N_TRIPLES)
        return answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON)

    for text in texts * 2:
        once(text)
    latencies = []
    started = time.perf_counter()
    for i in range(requests):
        begin = time.perf_counter()
        once(texts[i % len(texts)])
        latencies.append(time.perf_counter() - begin)
    return summary(latencies, time.perf_counter() - started)


def summary(latencies: list[float], seconds: float) -> Measured:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Measured(len(ordered) / seconds, statistics.median(ordered) * 1000, p99 * 1000)


def queries(files: list[Path]) -> dict[str, str]:
    if files:
        return {f.stem: f.read_text(encoding="utf-8") for f in files}
    from untoc_kg.sparql.named_queries import named_queries

    found = {name: q.text for name, q in named_queries().items()}
    if len(found) < 3:
        raise SystemExit(f"bench needs three named queries, found {len(found)}; pass --query")
    return dict(list(found.items())[:3])


SAMPLE_CLASSES = ("Recommendation", "Article", "State", "Meeting")


def sample_resources(store: pyoxigraph.Store) -> list[str]:
    """One IRI of each kind a user dereferences most."""
    found = []
    for name in SAMPLE_CLASSES:
        query = f"SELECT ?r WHERE {{ ?r a <https://w3id.org/untoc-kg/ontology#{name}> }} ORDER BY ?r LIMIT 1"
        found += [solution["r"].value for solution in store.query(query)]
    return found


def dereferencing(
    store: pyoxigraph.Store, ours: str, theirs: str, requests: int, clients: int
) -> list[tuple[str, Measured, Measured, Measured]]:
    """Rows for the table: our server's URIs in Turtle and HTML against Oxigraph's DESCRIBE."""
    iris = sample_resources(store)
    describes = [f"DESCRIBE <{iri}>" for iri in iris]
    floor = in_process(store, describes, requests)
    oxigraph = requested([(theirs, {"query": q}) for q in describes], {"accept": "text/turtle"}, requests, clients)
    paths = [(ours + httpx.URL(iri).raw_path.decode("ascii"), {}) for iri in iris]
    return [
        (f"dereference ({label})", floor, oxigraph, requested(paths, {"accept": accept}, requests, clients))
        for label, accept in (("Turtle", "text/turtle"), ("HTML", "text/html"))
    ]


def build_corpus() -> Path:
    from untoc_kg import publish as pipeline
    from untoc_kg.corpus import corpus_files

    data_dir = Path(tempfile.mkdtemp(prefix="untoc-bench-"))
    result = pipeline.build(corpus_files(), data_dir, "https://w3id.org/untoc-kg/id/")
    if result.published is None:
        raise SystemExit("the corpus build did not validate; nothing to serve")
    return data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--query", type=Path, action="append", default=[])
    args = parser.parse_args()

    data_dir = args.data_dir or build_corpus()
    store_path = current_build(data_dir).store_path
    texts = queries(args.query)
    ours_port, oxigraph_port = free_port(), free_port()
    servers = [start_ours(data_dir, ours_port), start_oxigraph(store_path, oxigraph_port)]
    ours, theirs = f"http://127.0.0.1:{ours_port}/sparql", f"http://127.0.0.1:{oxigraph_port}/query"
    try:
        wait_until_up(ours, servers[0])
        wait_until_up(theirs, servers[1])
        store = open_store(store_path)
        rows = []
        for name, text in texts.items():
            floor = in_process(store, text, args.requests)
            oxigraph = over_http(theirs, text, args.requests, args.clients)
            endpoint = over_http(ours, text, args.requests, args.clients)
            rows.append((name, floor, oxigraph, endpoint))
        rows += dereferencing(store, f"http://127.0.0.1:{ours_port}", theirs, args.requests, args.clients)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)

    print(f"\n{args.requests} requests per query and target, {args.clients} clients, {os.cpu_count()} cores")
    header = f"{'query':<28} {'target':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p50 / oxigraph':>15} {'req/s / oxigraph':>17}"
    print(header)
    print("-" * len(header))
    for name, floor, oxigraph, endpoint in rows:
        for label, measured in (("pyoxigraph in-process", floor), ("oxigraph server", oxigraph), ("untoc-kg", endpoint)):
            print(
                f"{name[:28]:<28} {label:<22} {measured.requests_per_second:>8.0f} "
                f"{measured.p50_ms:>8.2f} {measured.p99_ms:>8.2f} "
                f"{measured.p50_ms / oxigraph.p50_ms:>14.2f}x "
                f"{measured.requests_per_second / oxigraph.requests_per_second:>16.2f}x"
            )


if __name__ == "__main__":
    main()
