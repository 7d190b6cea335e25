"""Load: 60 s of mixed dereferencing (HTML, Turtle, JSON-LD, N-Triples, RDF/XML), pages, VoID,
dumps and SPARQL queries from many concurrent clients against `untoc-kg serve` over the bundled
corpus, run as a separate process on 127.0.0.1 as a user runs it. No request fails, and the
server's memory (its query workers included) is flat: after the warm-up it stays within a small
margin to the end.

The client is a bounded asyncio loop (CLIENTS tasks, one keep-alive connection each, each
sending its next request when the last is answered), so the load is as high as the server can
take and no higher. `pytest -s` prints the table for the closing note: requests, errors, p50 and
p99 by kind, requests/s, and the server's resident memory over time."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from serve_process import children, rss_bytes, serving
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.sparql.named_queries import bound_text, named_queries
from untoc_kg.datadir import current_build, open_store

SECONDS = 60.0
CLIENTS = 32
MEMORY_SAMPLE_SECONDS = 5.0
MIB = 1024 * 1024
GROWTH_ALLOWED = 24 * MIB
"""Flat, with room for allocator noise: a per-request leak over the run's tens of thousands of
requests would be far more (1 KiB each is tens of MiB)."""
CLIENT_TIMEOUT = 60.0
"""Above the server's 30 s query limit: a slow answer is the server's to report, as 504."""
ONTOLOGY = "https://w3id.org/untoc-kg/ontology#"
DEREFERENCED = ["Recommendation", "Meeting", "State", "Article", "Organization", "Report", "WorkingGroup"]
FORMATS = {  # Accept header -> the content type the answer must have
    "text/html": "text/html",
    "text/turtle": "text/turtle",
    "application/ld+json": "application/ld+json",
    "application/n-triples": "application/n-triples",
    "application/rdf+xml": "application/rdf+xml",
}
"""Five representations of each of several hundred resources: more than the server's cache of
rendered representations holds, so it evicts during the run (its bound is part of what is
tested)."""
JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    accept: str
    expect: str
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None


def resource_paths(data_dir: Path) -> list[str]:
    """The local path of every resource of the DEREFERENCED classes in the served build."""
    store = open_store(current_build(data_dir).store_path)
    classes = " ".join(f"<{ONTOLOGY}{c}>" for c in DEREFERENCED)
    query = f"SELECT DISTINCT ?s {{ VALUES ?c {{ {classes} }} ?s a ?c }} ORDER BY ?s"
    paths = ["/untoc-kg/id/" + row["s"].value.removeprefix(DEFAULT_BASE_URI) for row in store.query(query)]
    del store
    return paths


def query_requests(states: list[str]) -> list[Request]:
    """Every named query (GET and POST), and state-attendance for some States: what the query
    page and SPARQL clients send."""
    requests = []
    for name, query in named_queries().items():
        text = bound_text(query)
        requests.append(Request(f"query {name}", "GET", "/sparql", JSON, JSON, params={"query": text}))
        requests.append(Request(f"query {name}", "POST", "/sparql", JSON, JSON, data={"query": text}))
    attendance = named_queries()["state-attendance"]
    for state in states[:16]:
        text = bound_text(attendance, {"state": state})
        requests.append(Request("query state-attendance", "GET", "/sparql", JSON, JSON, params={"query": text}))
    requests.append(Request("query DESCRIBE", "GET", "/sparql", "text/turtle", "text/turtle",
                            params={"query": f"DESCRIBE <{DEFAULT_BASE_URI}state/ITA>"}))
    return requests


def request_mix(data_dir: Path) -> tuple[list[Request], list[Request]]:
    """(dereferencing and pages, queries): the client draws from each in turn."""
    paths = resource_paths(data_dir)
    pages = [Request(f"dereference {accept}", "GET", path, accept, expected)
             for path in paths for accept, expected in FORMATS.items()]
    pages += [
        Request("page", "GET", "/", "text/html", "text/html"),
        Request("page", "GET", "/query", "text/html", "text/html"),
        Request("page", "GET", "/dumps/", "text/html", "text/html"),
        Request("VoID", "GET", "/.well-known/void", "text/turtle", "text/turtle"),
        Request("dump", "GET", "/dumps/untoc-kg.ttl.gz", "*/*", "application/gzip"),
    ]
    states = [p.rsplit("/", 1)[-1] for p in paths if "/state/" in p]
    return pages, query_requests(states)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(map(len, self.latencies.values())) + len(self.errors)


async def send(client: httpx.AsyncClient, request: Request, tally: Tally) -> None:
    started = time.monotonic()
    try:
        response = await client.request(
            request.method, request.path, params=request.params or None, data=request.data,
            headers={"accept": request.accept},
        )
        body = await response.aread()
    except httpx.HTTPError as error:
        tally.errors.append(f"{request.kind} {request.path}: {type(error).__name__} {error}")
        return
    elapsed = time.monotonic() - started
    content_type = response.headers.get("content-type", "")
    if response.status_code != 200 or not content_type.startswith(request.expect) or not body:
        tally.errors.append(f"{request.kind} {request.path}: {response.status_code} {content_type} "
                            f"{body[:200]!r}")
        return
    tally.latencies.setdefault(request.kind, []).append(elapsed)


async def client_loop(base: str, index: int, pages: list[Request], queries: list[Request],
                      until: float, tally: Tally) -> None:
    """One client: two dereferences or pages, then a query, and again, until `until`."""
    draw = random.Random(index)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=base, timeout=CLIENT_TIMEOUT, limits=limits, follow_redirects=True  # the 303s
    ) as client:
        step = 0
        while time.monotonic() < until:
            mix = queries if step % 3 == 2 else pages
            await send(client, draw.choice(mix), tally)
            step += 1


async def sample_memory(pid: int, until: float, samples: list[tuple[float, int]]) -> None:
    started = time.monotonic()
    while time.monotonic() < until:
        await asyncio.sleep(MEMORY_SAMPLE_SECONDS)
        samples.append((time.monotonic() - started, server_rss(pid)))


def server_rss(pid: int) -> int:
    return rss_bytes([pid, *children(pid)])


async def warm_up(base: str, requests: list[Request]) -> Tally:
    """Every request of the mix once (8 at a time): the server's caches, workers and allocator
    reach their working size before memory is measured."""
    tally = Tally()
    gate = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT, follow_redirects=True) as client:

        async def one(request: Request) -> None:
            async with gate:
                await send(client, request, tally)

        await asyncio.gather(*(one(r) for r in requests))
    return tally


async def load(base: str, pid: int, pages: list[Request], queries: list[Request]) -> tuple[Tally, list]:
    tally, samples = Tally(), []
    until = time.monotonic() + SECONDS
    await asyncio.gather(
        sample_memory(pid, until, samples),
        *(client_loop(base, i, pages, queries, until, tally) for i in range(CLIENTS)),
    )
    return tally, samples


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(tally: Tally, seconds: float, memory: list[tuple[str, int]]) -> None:
    every: list[float] = [t for ts in tally.latencies.values() for t in ts]
    print(f"\nload: {CLIENTS} clients, {seconds:.0f} s, {tally.requests} requests "
          f"({tally.requests / seconds:.0f}/s), {len(tally.errors)} errors, "
          f"p50 {statistics.median(every) * 1000:.0f} ms, p99 {percentile(every, 0.99) * 1000:.0f} ms")
    print("| kind | requests | p50 ms | p99 ms |\n|---|---|---|---|")
    for kind, times in sorted(tally.latencies.items()):
        print(f"| {kind} | {len(times)} | {statistics.median(times) * 1000:.0f} | "
              f"{percentile(times, 0.99) * 1000:.0f} |")
    print("server RSS with its query workers: "
          + ", ".join(f"{when} {rss / MIB:.0f} MiB" for when, rss in memory))


@pytest.fixture(scope="module")
def data_dir(corpus_build) -> Path:
    assert corpus_build.ok
    return corpus_build.build_dir.parent.parent


@pytest.mark.slow
def test_sixty_seconds_of_mixed_load_no_errors_memory_flat(data_dir: Path) -> None:
    pages, queries = request_mix(data_dir)
    assert len(pages) > 2048 and len(queries) > 20  # see FORMATS
    with serving(data_dir) as (base, server):
        started_rss = server_rss(server.pid)
        warm = asyncio.run(warm_up(base, pages + queries))
        assert warm.errors == [], warm.errors[:5]
        warm_rss = server_rss(server.pid)
        started = time.monotonic()
        tally, samples = asyncio.run(load(base, server.pid, pages, queries))
        seconds = time.monotonic() - started
        end_rss = server_rss(server.pid)
        assert server.poll() is None, "the server died under load"
    memory = [("started", started_rss), ("warmed up", warm_rss),
              *((f"{t:.0f} s", rss) for t, rss in samples), ("end", end_rss)]
    report(tally, seconds, memory)
    assert tally.errors == [], f"{len(tally.errors)} errors, first: {tally.errors[:5]}"
    assert tally.requests > 10 * CLIENTS
    kinds = set(tally.latencies)
    assert any(k.startswith("query") for k in kinds) and any(k.startswith("dereference") for k in kinds)
    peak = max(rss for _, rss in samples + [(0, end_rss)])
    assert peak - warm_rss < GROWTH_ALLOWED, [(w, r // MIB) for w, r in memory]
