"""kill -9 of a build while it writes its store, and of the server while it answers: afterwards
`current` still points at the last good build, its store opens cleanly, and a restarted server
serves it; a killed server leaves no query worker running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from serve_process import alive, children, end_group, serving
from untoc_kg import publish as pipeline
from untoc_kg.publish.stream import WORK
from untoc_kg.corpus import corpus_files
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.datadir.layout import BUILDS, CURRENT, STORE, current_build, open_store

COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) { " + " ".join(
    f"VALUES ?x{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(12)) + " }"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with one good build (two reports of the corpus)."""
    folder = tmp_path_factory.mktemp("crash")
    result = pipeline.build(corpus_files()[:2], folder, DEFAULT_BASE_URI)
    assert result.published is not None
    return folder


def served_count(base: str) -> int:
    answer = httpx.get(base + "/sparql", params={"query": COUNT},
                       headers={"accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_a_build_killed_while_writing_its_store_leaves_the_last_good_one(data_dir: Path) -> None:
    good = current_build(data_dir)
    before = {p.name for p in (data_dir / BUILDS).iterdir()}
    build = subprocess.Popen(
        [sys.executable, "-m", "untoc_kg.cli", "build", "--out", str(data_dir), "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    killed_in = None
    try:
        while time.monotonic() < deadline and build.poll() is None:
            new = [p for p in (data_dir / BUILDS).iterdir() if p.name not in before]
            # the store is bulk-loaded in the build's scratch dir, then moved into place
            if new and ((new[0] / WORK / STORE).is_dir() or (new[0] / STORE).is_dir()):
                time.sleep(0.005)  # into the bulk load
                os.kill(build.pid, signal.SIGKILL)
                killed_in = new[0]
                break
            time.sleep(0.002)
    finally:
        build.kill()
        build.wait()
    assert killed_in is not None and build.returncode == -signal.SIGKILL, "the build ended before its store was written"
    store_dir = next(p for p in [killed_in / WORK / STORE, killed_in / STORE] if p.exists())
    print(f"\nbuild killed with its store ({store_dir.relative_to(killed_in)}) holding "
          f"{len(list(store_dir.iterdir()))} files")

    assert os.readlink(data_dir / CURRENT) == f"{BUILDS}/{good.build_id}"
    after = current_build(data_dir)
    assert after.build_id == good.build_id
    store = open_store(after.store_path)
    assert len(store) == good.manifest["store_triples"]
    del store
    with serving(data_dir) as (base, _):
        assert served_count(base) == good.manifest["store_triples"]
    # the next build goes through, and publishes over the debris
    again = pipeline.build(corpus_files()[:1], data_dir, DEFAULT_BASE_URI)
    assert again.published is not None and current_build(data_dir).build_id == again.manifest["build_id"]


def test_a_server_killed_mid_request_restarts_on_the_last_good_graph(data_dir: Path) -> None:
    good = current_build(data_dir)
    with serving(data_dir) as (base, server):
        expected = served_count(base)
        assert expected == good.manifest["store_triples"]
        workers = children(server.pid)
        assert workers, "the server runs its queries in worker processes"
        outcome: dict[str, object] = {}

        def heavy() -> None:
            try:
                outcome["status"] = httpx.get(base + "/sparql", params={"query": HEAVY}, timeout=30).status_code
            except httpx.TransportError as error:
                outcome["error"] = type(error).__name__

        threads = [threading.Thread(target=heavy)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        for thread in threads:
            thread.join(timeout=30)
        assert "error" in outcome, outcome  # cut, not answered
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        orphans = [pid for pid in workers if alive(pid)]
        for pid in orphans:  # ours: end them before failing
            os.kill(pid, signal.SIGKILL)
        assert not orphans, "query workers outlived their server (one was burning CPU on the heavy query)"

    assert current_build(data_dir).build_id == good.build_id
    with serving(data_dir) as (base, _):
        assert served_count(base) == expected
        void = httpx.get(base + "/.well-known/void", headers={"accept": "application/n-triples"}, timeout=30)
        assert f'"{good.build_id}"' in void.text
