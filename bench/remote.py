"""Beyond one machine, measured: `untoc-kg load --to` into Oxigraph's server and Virtuoso (load
time, triples/s, the check's time), then dereferencing served from each (`serve
--sparql-endpoint`) against the embedded store.

    python bench/remote.py [--data-dir DIR] [--resources 200] [--batch-size 50000]

DIR is a data dir with a published build (default: the bundled corpus, built into a temporary
dir). The stores are started as the tests start them (`tests/triple_stores.py`: temporary
folders, free ports on 127.0.0.1), and each server is `untoc-kg serve` in its own process.
Dereferencing: `--resources` URIs of the build (every kind,
sampled evenly from the sorted list), half fetched once as Turtle, the other half once as HTML,
from our server (so every answer is rendered, none comes from a cache), one client,
keep-alive. Prints one table: p50 and p99 per store and format, with the ratio to the embedded
store's.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pyoxigraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from serve_process import free_port, wait_until_up
from triple_stores import missing, oxigraph_server, virtuoso_server

from untoc_kg.sparql import push
from untoc_kg.datadir import current_build, open_store

FORMATS = {"turtle": "text/turtle", "html": "text/html"}


@contextmanager
def serving(data_dir: Path, *options: str) -> Iterator[str]:
    """`untoc-kg serve` in its own process (the client's GIL stays out of its latencies)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "untoc_kg.cli", "serve", "--store", str(data_dir), "--log-level", "warning",
         "--port", str(port), *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def corpus_data_dir(folder: Path) -> Path:
    from untoc_kg import publish as pipeline
    from untoc_kg.corpus import corpus_files
    from untoc_kg.settings import DEFAULT_BASE_URI

    pipeline.build(corpus_files(), folder, DEFAULT_BASE_URI)
    return folder


def sample_paths(data_dir: Path, count: int) -> list[str]:
    build = current_build(data_dir)
    base = str(build.manifest["base_uri"])
    store = open_store(build.store_path)
    subjects = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
            if isinstance(q.subject, pyoxigraph.NamedNode) and q.subject.value.startswith(base)
        }
    )
    step = max(1, len(subjects) // count)
    return [iri.removeprefix("https://w3id.org") for iri in subjects[::step][:count]]


def latencies(site: str, paths: list[str], media_type: str) -> list[float]:
    took = []
    with httpx.Client(base_url=site, timeout=60, follow_redirects=True) as client:
        for path in paths:
            started = time.perf_counter()
            answer = client.get(path, headers={"Accept": media_type})
            took.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
    return took


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=push.DEFAULT_BATCH_SIZE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        data_dir = args.data_dir or corpus_data_dir(Path(tmp) / "corpus")
        build = current_build(data_dir)
        paths = sample_paths(data_dir, args.resources)
        print(f"build {build.build_id}: {build.manifest.get('triples')} triples; "
              f"{len(paths)} resources, each fetched once\n")
        sites = {"embedded": stack.enter_context(serving(data_dir))}
        loads = {}
        for name, program, start in (
            ("oxigraph-server", "oxigraph", oxigraph_server),
            ("virtuoso", "virtuoso-t", virtuoso_server),
        ):
            if missing(program):
                print(f"{name}: skipped ({missing(program)})")
                continue
            store = stack.enter_context(start(Path(tmp) / name))
            report = push.load(
                build,
                push.Target(store.graph_store_url, store.query_url, store.graph),
                batch_size=args.batch_size,
                restart=True,
            )
            loads[name] = report
            graph = ["--graph", store.graph] if store.graph else []
            sites[name] = stack.enter_context(
                serving(data_dir, "--sparql-endpoint", store.query_url, *graph)
            )
        print("| store | triples | load s | triples/s | check s |")
        print("|---|---:|---:|---:|---:|")
        for name, r in loads.items():
            print(f"| {name} | {r.triples:,} | {r.load_seconds:.2f} | "
                  f"{r.triples_per_second:,.0f} | {r.verify_seconds:.2f} |")
        print()
        print("| served from | format | p50 ms | p99 ms | p50 x embedded | p99 x embedded |")
        print("|---|---|---:|---:|---:|---:|")
        baseline: dict[str, tuple[float, float]] = {}
        for name, site in sites.items():
            for index, (label, media_type) in enumerate(FORMATS.items()):
                # Each format on its own half of the sample: no answer a store gave for one
                # format is reused for the other.
                took = latencies(site, paths[index :: len(FORMATS)], media_type)
                p50, p99 = p(took, 50), p(took, 99)
                baseline.setdefault(label, (p50, p99))
                b50, b99 = baseline[label]
                print(f"| {name} | {label} | {p50:.1f} | {p99:.1f} | "
                      f"{p50 / b50:.1f} | {p99 / b99:.1f} |")


if __name__ == "__main__":
    main()
