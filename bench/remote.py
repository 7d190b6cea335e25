"""Beyond one machine, measured: `untoc-kg load --to` into Oxigraph's server and Virtuoso (load
time, triples/s, the check's time), then dereferencing served from each (`serve
--sparql-endpoint`) against the embedded store.

    python bench/remote.py [--data-dir DIR] [--resources 200] [--batch-size 50000]

DIR is a data dir with a published build (default: the bundled corpus, built into a temporary
dir). The stores are started as the tests start them (`tests/triple_stores.py`: temporary
folders, free ports on 127.0.0.1). Dereferencing: `--resources` URIs of the build (every kind,
sampled evenly from the sorted list), each fetched once as Turtle and once as HTML from our
server (so every answer is rendered, none comes from the server's cache), one client,
keep-alive. Prints one table: p50 and p99 per store and format, with the ratio to the embedded
store's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pyoxigraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from live import running
from triple_stores import missing, oxigraph_server, virtuoso_server

from untoc_kg.server import ServerSettings, create_app
from untoc_kg.sparql import push
from untoc_kg.sparql.remote import RemoteEndpoint
from untoc_kg.sparql.store import current_build, open_read_only

FORMATS = {"turtle": "text/turtle", "html": "text/html"}


def corpus_data_dir(folder: Path) -> Path:
    from untoc_kg import pipeline
    from untoc_kg.corpus import corpus_files
    from untoc_kg.settings import DEFAULT_BASE_URI

    pipeline.build(corpus_files(), folder, DEFAULT_BASE_URI)
    return folder


def sample_paths(data_dir: Path, count: int) -> list[str]:
    build = current_build(data_dir)
    base = str(build.manifest["base_uri"])
    store = open_read_only(build.store_path)
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
    with httpx.Client(base_url=site, timeout=60) as client:
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
              f"{len(paths)} resources, each once per format\n")
        sites = {"embedded": stack.enter_context(running(create_app(data_dir)))}
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
            remote = RemoteEndpoint(store.query_url, store.graph)
            sites[name] = stack.enter_context(
                running(create_app(data_dir, settings=ServerSettings(remote=remote)))
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
            for label, media_type in FORMATS.items():
                took = latencies(site, paths, media_type)
                p50, p99 = p(took, 50), p(took, 99)
                baseline.setdefault(label, (p50, p99))
                b50, b99 = baseline[label]
                print(f"| {name} | {label} | {p50:.1f} | {p99:.1f} | "
                      f"{p50 / b50:.1f} | {p99 / b99:.1f} |")


if __name__ == "__main__":
    main()
