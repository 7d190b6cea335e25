"""Clients read (SPARQL, VoID, dereferencing in HTML and Turtle) while `untoc-kg build` publishes a
new graph, then while a rebuild fails validation: no request fails, every answer comes from one
build (its body and its headers name the same one), no client goes back to the old graph once it
has seen the new one, and the failed build leaves the served graph as it was."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from untoc_kg import publish as pipeline
from untoc_kg.corpus import corpus_files
from untoc_kg.server import create_app
from untoc_kg.server.app import ServerSettings
from untoc_kg.server.limits import QueryLimits
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.datadir.layout import PublishedBuild, builds_dir, current_build, open_store, read_build

CLIENTS = 4
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
STRICT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix untoc: <https://w3id.org/untoc-kg/ontology#> .
<urn:publisher:every-recommendation-approved> a sh:NodeShape ;
    sh:targetClass untoc:Recommendation ;
    sh:property [ sh:path untoc:approvedByThePublisher ; sh:minCount 1 ] .
"""
"""A publisher's stricter shapes (the `shapes` hook of `pipeline.build`), which no built graph
meets: the build must fail validation and publish nothing."""
FAILING_BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from rdflib import Graph
    from untoc_kg import publish as pipeline
    from untoc_kg.corpus import corpus_files
    from untoc_kg.settings import DEFAULT_BASE_URI
    shapes = Graph().parse(data=sys.stdin.read(), format="turtle")
    result = pipeline.build(corpus_files(), Path(sys.argv[1]), DEFAULT_BASE_URI, shapes=shapes)
    sys.exit(0 if result.published is not None else 3)
    """
)


def last_modified(build: PublishedBuild) -> str:
    created = datetime.fromisoformat(str(build.manifest["created"]))
    return format_datetime(created.astimezone(timezone.utc), usegmt=True)


@dataclass
class Observed:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    mixes: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # build id -> answers from it
    went_back: list[str] = field(default_factory=list)


class Readers:
    """CLIENTS threads reading until stopped; each answer is attributed to exactly one build."""

    def __init__(self, base: str, builds: Callable[[], dict[str, PublishedBuild]], paths: list[str]) -> None:
        self.base, self.builds, self.paths = base, builds, paths
        self.stop = threading.Event()
        self.observed = Observed()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.read, args=(i,)) for i in range(CLIENTS)]

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def attribute(self, what: str, build_id: str | None, headers: httpx.Headers, body_check: Callable[[PublishedBuild], bool]) -> str | None:
        builds = self.builds()
        candidates = [b for b in builds.values() if (build_id is None or b.build_id == build_id)
                      and headers.get("last-modified", last_modified(b)) == last_modified(b) and body_check(b)]
        if len(candidates) != 1:
            with self.lock:
                self.observed.mixes.append(f"{what}: build {build_id}, {headers.get('last-modified')}")
            return None
        return candidates[0].build_id

    def read(self, index: int) -> None:
        latest = ""
        with httpx.Client(base_url=self.base, timeout=60, follow_redirects=True) as client:
            step = index
            while not self.stop.is_set():
                step += 1
                what, got = self.one(client, step)
                with self.lock:
                    self.observed.requests += 1
                    if got is None:
                        continue
                    self.observed.seen[got] = self.observed.seen.get(got, 0) + 1
                    if latest and got < latest:  # build ids sort by creation time
                        self.observed.went_back.append(f"{what}: {latest} then {got}")
                    latest = max(latest, got)

    def one(self, client: httpx.Client, step: int) -> tuple[str, str | None]:
        kind = step % 4
        try:
            if kind == 0:
                r = client.get("/sparql", params={"query": COUNT}, headers={"accept": "application/sparql-results+json"})
                what = "SPARQL count"
                self.check(r, what)
                n = int(r.json()["results"]["bindings"][0]["n"]["value"])
                return what, self.attribute(what, None, r.headers, lambda b: b.manifest["store_triples"] == n)
            if kind == 1:
                r = client.get("/.well-known/void", headers={"accept": "application/n-triples"})
                what = "VoID"
                self.check(r, what)
                version = re.search(r'<http://www.w3.org/ns/dcat#version> "([^"]+)"', r.text).group(1)
                triples = int(re.search(r'<http://rdfs.org/ns/void#triples> "(\d+)"', r.text).group(1))
                # void:triples is what the endpoint counts: the store's triples
                return what, self.attribute(
                    what, version, r.headers, lambda b: b.manifest["store_triples"] == triples
                )
            path = self.paths[step % len(self.paths)]
            if kind == 2:
                r = client.get(path, headers={"accept": "text/html"})
                what = f"HTML {path}"
                self.check(r, what)
                version = re.search(r"Build (\w+)", r.text).group(1)
                return what, self.attribute(what, version, r.headers, lambda b: True)
            r = client.get(path, headers={"accept": "text/turtle"})
            what = f"Turtle {path}"
            self.check(r, what)
            assert path.rsplit("/", 1)[-1] in r.text
            return what, self.attribute(what, None, r.headers, lambda b: True)
        except (httpx.HTTPError, AssertionError, AttributeError, ValueError, KeyError) as error:
            with self.lock:
                self.observed.failures.append(f"{type(error).__name__}: {error}")
            return "failed", None

    @staticmethod
    def check(response: httpx.Response, what: str) -> None:
        if response.status_code != 200:
            raise AssertionError(f"{what}: {response.status_code} {response.text[:200]}")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rebuild")
    assert pipeline.build(corpus_files()[:2], folder, DEFAULT_BASE_URI).published is not None
    return folder


def sample_paths(build: PublishedBuild) -> list[str]:
    """Local paths of a few resources of the first build (a recommendation, a meeting, a State)."""
    store = open_store(build.store_path)
    paths = []
    for kind in ["Recommendation", "Meeting", "State"]:
        for row in store.query(f"SELECT ?s {{ ?s a <https://w3id.org/untoc-kg/ontology#{kind}> }} ORDER BY ?s LIMIT 1"):
            paths.append("/untoc-kg/id/" + row["s"].value.removeprefix(DEFAULT_BASE_URI))
    del store
    return paths


def all_builds(data_dir: Path) -> dict[str, PublishedBuild]:
    """Every build dir with a manifest that says it conforms (the ones that may be served)."""
    found = {}
    for folder in builds_dir(data_dir).iterdir():
        try:
            build = read_build(folder)
        except (OSError, ValueError):
            continue
        if build.manifest.get("conforms") is True and "store_triples" in build.manifest:
            found[build.build_id] = build
    return found


def test_readers_see_the_old_graph_or_the_new_one_never_a_failure_or_a_mix(
    data_dir: Path, live_server
) -> None:
    first = current_build(data_dir)
    paths = sample_paths(first)
    assert len(paths) == 3
    app = create_app(data_dir, settings=ServerSettings(limits=QueryLimits(timeout_seconds=30, workers=2)))
    base = live_server(app, ready_path="/sparql")
    builds = lambda: all_builds(data_dir)  # noqa: E731

    started = time.monotonic()
    with Readers(base, builds, paths) as readers:
        time.sleep(1.0)
        rebuild = subprocess.run(
            [sys.executable, "-m", "untoc_kg.cli", "build", "--out", str(data_dir), "-q"],
            capture_output=True, text=True, timeout=300,
        )
        assert rebuild.returncode == 0, rebuild.stderr[-2000:]
        time.sleep(1.0)
    observed = readers.observed
    second = current_build(data_dir)
    print(f"\nrebuild under load: {observed.requests} requests in {time.monotonic() - started:.1f} s "
          f"by {CLIENTS} clients, {len(observed.failures)} failed, answers per build {observed.seen}")
    assert second.build_id != first.build_id
    assert second.manifest["store_triples"] != first.manifest["store_triples"]
    assert observed.failures == [] and observed.mixes == [] and observed.went_back == []
    assert observed.seen.get(first.build_id) and observed.seen.get(second.build_id), observed.seen

    started = time.monotonic()
    with Readers(base, builds, paths) as readers:
        time.sleep(1.0)
        failing = subprocess.run(
            [sys.executable, "-c", FAILING_BUILD, str(data_dir)],
            input=STRICT_SHAPES, capture_output=True, text=True, timeout=300,
        )
        time.sleep(1.0)
    observed = readers.observed
    print(f"failed rebuild under load: {observed.requests} requests in {time.monotonic() - started:.1f} s, "
          f"{len(observed.failures)} failed, answers per build {observed.seen}")
    assert failing.returncode == 3, failing.stderr[-2000:]
    assert current_build(data_dir).build_id == second.build_id
    assert observed.failures == [] and observed.mixes == [] and observed.went_back == []
    assert set(observed.seen) == {second.build_id}
    failed = [read_build(p) for p in builds_dir(data_dir).iterdir() if (p / "build.json").exists()]
    rejected = [b for b in failed if b.manifest.get("conforms") is False]
    assert len(rejected) == 1 and "approvedByThePublisher" in (rejected[0].validation_path / "report.txt").read_text()
