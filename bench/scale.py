"""Scale (issue 6): build, validate, store and serve N synthetic recommendations, each measure
with its ratio to a baseline measured in the same run.

    nice -n 10 python bench/scale.py [--sizes 1000 10000 100000] [--whole-max 10000]
                                     [--requests 200] [--keep DIR]

Per N (bench/gen.py documents):

- build: `pipeline.build_documents` (the streamed, partition-validated path `untoc-kg build`
  runs), in a child process: wall time, peak memory (high-water of the summed PSS of the child
  and of its own children, e.g. workers and `sort`), triples, store size, validation time (pyshacl on partitions + SPARQL
  on the store). Baseline: pyoxigraph `bulk_load` of the same N-Triples dump into a new store
  (time, peak memory, size), and whole-graph pyshacl on the same graph where N <= --whole-max.
- serving: the three named queries' p50 over HTTP, and dereferencing (a recommendation, article,
  State and meeting, as Turtle and HTML: requests/s and p99), against Oxigraph's own server
  (`oxigraph serve-read-only` on the same store; DESCRIBE for dereferencing); and the
  recommendations citing an article, paged by `?after=` (first page vs. a page 20 deep).

Goals (issue 6): 1M built in <= 15 min with <= 4 GB; dereferencing p99 <= 50 ms; named queries
within 2x of Oxigraph's server; a deep page costs what the first does.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import types
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import serve  # bench/serve.py: servers and HTTP clients


class _PatientClient(httpx.Client):
    """bench/serve.py's clients, with a timeout fit for a large graph's heavy named queries."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("timeout", 600)
        super().__init__(*args, **kwargs)


serve.httpx = types.SimpleNamespace(
    Client=_PatientClient, URL=httpx.URL, TransportError=httpx.TransportError, get=httpx.get
)

from untoc_kg.datadir import current_build, open_store

BASE = "https://w3id.org/untoc-kg/id/"
MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    started = time.monotonic()
    {body}
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(own.ru_maxrss, children.ru_maxrss)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({{"seconds": time.monotonic() - started, "cpu_seconds": cpu,
                      "peak_mb": peak / 1024, **result}}))
    """
)


def tree_memory_mb(root: int) -> float:
    """Memory of `root` and all its descendants now, in MB: the sum of their proportional set
    sizes (PSS, from /proc/<pid>/smaps_rollup), so that pages a forked worker still shares with
    its parent count once, not once per process as summed RSS would."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [p for p, parent in parents.items() if parent == pid and p not in tree]
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
        except (OSError, StopIteration, IndexError, ValueError):
            continue
    return total / 1024


def child(body: str) -> dict:
    """Run `body` (which sets `result`, a dict) in a fresh Python: its time, and its peak memory:
    the high-water of the summed PSS of it and its children (worker processes, `sort`),
    sampled every 0.2 s, or the largest single process's RSS high-water if higher."""
    program = MEASURE.format(body=textwrap.indent(textwrap.dedent(body), "").strip())
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=HERE.parent)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_memory_mb(process.pid))
        time.sleep(0.2)
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(err[-3000:])
    found = json.loads(out.strip().splitlines()[-1])
    found["peak_mb"] = max(peak, found["peak_mb"])
    return found


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def build(n: int, data_dir: Path) -> dict:
    return child(f"""
sys.path.insert(0, "bench")
from pathlib import Path
from datetime import datetime, timezone
from gen import synthetic_documents
from untoc_kg import publish as pipeline
r = pipeline.build_documents(synthetic_documents({n}), Path({str(data_dir)!r}), {BASE!r},
                             build_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
result = {{"conforms": r.validation.conforms, "triples": r.manifest["triples"],
          "timings": r.manifest["timings"], "problems": len(r.validation.problems)}}
""")


def bulk_load(ntriples: Path, store: Path) -> dict:
    return child(f"""
import pyoxigraph
s = pyoxigraph.Store({str(store)!r})
s.bulk_load(path={str(ntriples)!r}, format=pyoxigraph.RdfFormat.N_TRIPLES)
s.flush(); s.optimize()
result = {{"triples": len(s)}}
""")


def whole_pyshacl(ntriples: Path) -> dict:
    return child(f"""
from rdflib import Graph
from untoc_kg.shapes import validate
g = Graph().parse({str(ntriples)!r}, format="nt")
parsed = time.monotonic()
v = validate(g)
result = {{"conforms": v.conforms, "validate_seconds": time.monotonic() - parsed}}
""")


def paging(ours: str, store) -> tuple[float, float]:
    """p50 ms of the first page of the recommendations citing the most cited article, and of
    the page 20 pages deep (reached by following `?after=`)."""
    query = ("SELECT ?a (COUNT(?r) AS ?n) WHERE { ?r <https://w3id.org/untoc-kg/ontology#cites> ?a } "
             "GROUP BY ?a ORDER BY DESC(?n) LIMIT 1")
    article = next(iter(store.query(query)))["a"].value
    url = ours + httpx.URL(article).raw_path.decode("ascii")
    deep = url
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        for _ in range(20):
            page = client.get(deep, headers={"accept": "text/html"}).text
            link = re.search(r'href="(\?after=[^"]*)"', page)
            if link is None:
                break
            deep = url + html.unescape(link.group(1))
    first = serve.requested([(url, {})], {"accept": "text/html"}, 40, 1)
    last = serve.requested([(deep, {})], {"accept": "text/html"}, 40, 1)
    return first.p50_ms, last.p50_ms


def serving(data_dir: Path, requests: int, query_requests: int, query_timeout: float | None = None) -> dict:
    store_path = current_build(data_dir).store_path
    ours_port, their_port = serve.free_port(), serve.free_port()
    servers = [serve.start_ours(data_dir, ours_port, query_timeout), serve.start_oxigraph(store_path, their_port)]
    ours, theirs = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{their_port}/query"
    found: dict = {"queries": {}}
    try:
        serve.wait_until_up(ours + "/sparql", servers[0], timeout=300)
        serve.wait_until_up(theirs, servers[1], timeout=300)
        store = open_store(store_path)
        for name, text in serve.queries([]).items():
            mine = serve.over_http(ours + "/sparql", text, query_requests, 2)
            base = serve.over_http(theirs, text, query_requests, 2)
            found["queries"][name] = (mine.p50_ms, base.p50_ms)
        rows = serve.dereferencing(store, ours, theirs, requests, 2)
        found["dereference"] = {label: (m.requests_per_second, m.p99_ms, ox.requests_per_second, ox.p99_ms)
                                for label, _, ox, m in rows}
        found["paging"] = paging(ours, store)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    return found


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}x" if base else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--whole-max", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200, help="per dereferencing target")
    parser.add_argument("--query-requests", type=int, default=20, help="per named query and server")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--query-timeout", type=float, help="our endpoint's query time limit "
                        "(`untoc-kg serve --query-timeout`; Oxigraph's server has none)")
    parser.add_argument("--keep", type=Path, help="keep the data dirs under this dir")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="untoc-scale-"))
    lines = []
    for n in args.sizes:
        data_dir = root / f"n{n}"
        shutil.rmtree(data_dir, ignore_errors=True)
        built = build(n, data_dir)
        published = current_build(data_dir)
        ntriples = published.dumps_path / "untoc-kg.nt"
        base_store = root / f"bulk-{n}"
        shutil.rmtree(base_store, ignore_errors=True)
        loaded = bulk_load(ntriples, base_store)
        whole = whole_pyshacl(ntriples) if n <= args.whole_max else None
        validation = built["timings"]["validation (partitions)"] + built["timings"]["validation (store)"]
        row = {
            "N": n, "triples": built["triples"], "conforms": built["conforms"],
            "build s": (built["seconds"], loaded["seconds"]),
            "build cpu s": (built["cpu_seconds"], loaded["cpu_seconds"]),
            "peak MB": (built["peak_mb"], loaded["peak_mb"]),
            "store MB": (size_mb(published.store_path), size_mb(base_store)),
            "validation s": (validation, whole["validate_seconds"] if whole else None),
            "validation peak MB (whole pyshacl)": whole["peak_mb"] if whole else None,
            "timings": built["timings"],
        }
        shutil.rmtree(base_store, ignore_errors=True)
        if not args.no_serve:
            row.update(serving(data_dir, args.requests, args.query_requests, args.query_timeout))
        lines.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    print()
    print("ratios: build, peak, store to pyoxigraph bulk_load of the same N-Triples; validation to "
          "whole-graph pyshacl; queries and dereferencing to Oxigraph's server; deep page to first page")
    header = (f"{'N':>8} {'triples':>10} {'build s':>16} {'build cpu s':>16} {'peak MB':>15} {'store MB':>14} "
              f"{'validation s':>17} {'query p50 ms':>30} {'deref req/s (p99 ms)':>34} {'page 20 ms':>16}")
    print(header)
    print("-" * len(header))
    for r in lines:
        queries = " ".join(f"{m:.1f}({ratio(m, b)})" for m, b in r.get("queries", {}).values())
        deref = " ".join(f"{rps:.0f}({ratio(rps, orps)}) p99 {p99:.0f}"
                         for rps, p99, orps, _ in r.get("dereference", {}).values())
        first, deep = r.get("paging", (0.0, 0.0))
        print(
            f"{r['N']:>8} {r['triples']:>10} "
            f"{r['build s'][0]:>7.1f} ({ratio(*r['build s']):>6}) "
            f"{r['build cpu s'][0]:>7.1f} ({ratio(*r['build cpu s']):>6}) "
            f"{r['peak MB'][0]:>6.0f} ({ratio(*r['peak MB']):>6}) "
            f"{r['store MB'][0]:>6.0f} ({ratio(*r['store MB']):>5}) "
            f"{r['validation s'][0]:>7.1f} ({ratio(*r['validation s']):>6}) "
            f"{queries:>30} {deref:>34} {deep:>7.1f} ({ratio(deep, first)})"
        )
    print()
    for r in lines:
        print(f"N={r['N']}: build steps (s) {r['timings']}; conforms {r['conforms']}; "
              f"whole-graph pyshacl peak {r['validation peak MB (whole pyshacl)']} MB")


if __name__ == "__main__":
    main()
