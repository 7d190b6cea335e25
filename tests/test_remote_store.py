"""Beyond one machine: the corpus build loaded into real SPARQL stores (Oxigraph's server,
Virtuoso open source) with `untoc-kg load --to`, checked triple for triple, then served from them
(`serve --sparql-endpoint`): the same resources, pages and endpoint answers as the embedded store,
and the same refusals."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from sample_build import publish_sample
from sparql_server import TEST_LIMITS
from triple_stores import (
    OXIGRAPH,
    VIRTUOSO,
    TripleStore,
    free_port,
    missing,
    oxigraph_server,
    virtuoso_server,
)
from typer.testing import CliRunner

from untoc_kg.cli import app as cli
from untoc_kg.server import create_app
from untoc_kg.server.app import ServerSettings
from untoc_kg.sparql import push
from untoc_kg.sparql.graph_hash import canonical_triple
from untoc_kg.sparql.remote import RemoteEndpoint
from untoc_kg.datadir import current_build, open_store

SERVERS = {"oxigraph-server": (OXIGRAPH, oxigraph_server), "virtuoso": (VIRTUOSO, virtuoso_server)}
PATH = "/untoc-kg/id/"
THINGS = [
    "recommendation/ctoc-cop-wg7/3/1",
    "treaty/som/article/8",
    "state/ITA",
    "meeting/ctoc-cop-wg7/3",
    "dataset",
]
RDF_TYPES = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
}
SAMPLE_GRAPH = "urn:x-untoc-kg:test:sample"


def canonical_set(triples: Iterator[pyoxigraph.Triple]) -> set[str]:
    """Triples with literals in the canonical form of their value (see `canonical_triple`)."""
    return {canonical_triple(x) for x in triples}


def rdf(body: bytes, media_type: str) -> list[pyoxigraph.Triple]:
    return [q.triple for q in pyoxigraph.parse(body, format=RDF_TYPES[media_type])]


@pytest.fixture(scope="module", params=list(SERVERS))
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    program, start = SERVERS[request.param]
    reason = missing(program)
    if reason:
        pytest.skip(reason)
    with start(tmp_path_factory.mktemp(request.param)) as running:
        yield running


@pytest.fixture(scope="module")
def loaded(store: TripleStore, corpus_build) -> push.LoadReport:
    """The corpus build, loaded through the Graph Store Protocol with the CLI."""
    data_dir = corpus_build.build_dir.parent.parent
    args = ["load", "--to", store.graph_store_url, "--sparql-endpoint", store.query_url,
            "--store", str(data_dir), "--batch-size", "2000", "--restart"]
    if store.graph:
        args += ["--graph", store.graph]
    started = time.monotonic()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "holds exactly the published triples" in result.output
    build = current_build(data_dir)
    target = push.Target(store.graph_store_url, store.query_url, store.graph)
    progress = push.LoadRecord.read(push.progress_path(build, target))
    assert progress is not None and progress.verified
    print(f"\n{store.name}: loaded {progress.triples_done} triples in {progress.load_seconds:.2f} s "
          f"({progress.triples_done / progress.load_seconds:,.0f} triples/s), "
          f"whole command {time.monotonic() - started:.2f} s")
    return progress


def export(store: TripleStore, graph: str | None) -> list[pyoxigraph.Triple]:
    params = {"graph": graph} if graph else {"default": ""}
    answer = httpx.get(store.graph_store_url, params=params,
                       headers={"Accept": "application/n-triples"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return rdf(answer.content, "application/n-triples")


def test_the_store_holds_exactly_the_published_triples(
    store: TripleStore, loaded, corpus_build
) -> None:
    embedded = open_store(corpus_build.build_dir / "store")
    local = {q.triple for q in embedded.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())}
    dump = corpus_build.build_dir / "dumps" / "untoc-kg.nt"
    in_dump = {q.triple for q in pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_TRIPLES)}
    held = export(store, store.graph)
    assert len(held) == len(set(held)) == len(local) == loaded.triples_done
    assert canonical_set(in_dump) <= canonical_set(local)  # plus the dumps' own records
    if store.name == "oxigraph-server":  # the same engine: the very same terms
        assert set(held) == local
    else:  # Virtuoso writes some values in another form (see canonical_triple)
        assert canonical_set(iter(held)) == canonical_set(iter(local))
        differing = set(held) - local
        print(f"\n{store.name}: {len(differing)} literals in another lexical form, e.g. "
              f"{sorted(map(str, differing))[:1]}")
        assert all(isinstance(t.object, pyoxigraph.Literal) for t in differing)


def test_a_changed_graph_fails_the_check(store: TripleStore, loaded, corpus_build) -> None:
    data_dir = corpus_build.build_dir.parent.parent
    build = current_build(data_dir)
    target = push.Target(store.update_url, store.query_url, store.graph)
    graph = f"GRAPH <{store.graph}> {{" if store.graph else ""
    close = "}" if store.graph else ""
    change = httpx.post(
        store.update_url,
        content=f'INSERT DATA {{ {graph} <urn:x:a> <urn:x:b> "intruder" {close} }}',
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    assert change.status_code < 300, change.text
    try:
        with httpx.Client(timeout=60) as client, pytest.raises(push.LoadError, match="holds"):
            push.verify(push.TargetGraph(target, client), push.Protocol.GRAPH_STORE, build, build.path)
    finally:
        httpx.post(
            store.update_url,
            content=f'DELETE DATA {{ {graph} <urn:x:a> <urn:x:b> "intruder" {close} }}',
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        )


def test_a_killed_load_resumes_and_a_landed_batch_is_not_sent_twice(
    store: TripleStore, tmp_path: Path
) -> None:
    """The sample build (a blank node among its triples) in batches of 10, through SPARQL
    Update; stopped after batch 3 as if killed before recording it, then run again."""
    publish_sample(tmp_path)
    build = current_build(tmp_path)
    target = push.Target(store.update_url, store.query_url, SAMPLE_GRAPH, push.Protocol.UPDATE)

    def stop(index: int) -> None:
        if index == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push.load(build, target, batch_size=10, restart=True, after_batch=stop)
    path = push.progress_path(build, target)
    progress = push.LoadRecord.read(path)
    assert progress is not None and progress.batches_done == 3 and not progress.verified
    # As if the process died after batch 3 landed but before it was recorded.
    progress.batches_done, progress.triples_done = 2, 20
    progress.save(path)
    lines: list[str] = []
    report = push.load(build, target, batch_size=10, echo=lines.append)
    assert any("batch 3 had landed" in line for line in lines), lines
    assert report.batches_resumed == 3 and report.triples == build.manifest["triples"]
    assert len(export(store, SAMPLE_GRAPH)) == build.manifest["triples"]
    again = push.load(build, target, batch_size=10)
    assert again.batches_resumed == 0 and again.load_seconds == report.load_seconds


def test_errors_name_the_url_and_the_problem(tmp_path: Path, store: TripleStore) -> None:
    publish_sample(tmp_path)
    closed = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(cli, ["load", "--to", closed, "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert closed in result.output and "cannot connect" in result.output
    wrong = store.query_url.rsplit("/", 1)[0] + "/no-such-endpoint"
    result = CliRunner().invoke(cli, ["load", "--to", wrong, "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert wrong in result.output and "404" in result.output


# -- serving from the store --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(store: TripleStore, loaded, corpus_build, live_server) -> tuple[str, str]:
    """(embedded, remote): the same build served from its own store and from `store`."""
    data_dir = corpus_build.build_dir.parent.parent
    remote = RemoteEndpoint(store.query_url, store.graph)
    return (
        live_server(create_app(data_dir, settings=ServerSettings(limits=TEST_LIMITS))),
        live_server(create_app(data_dir, settings=ServerSettings(limits=TEST_LIMITS, remote=remote))),
    )


@pytest.mark.parametrize("thing", THINGS)
def test_every_kind_of_resource_gives_the_same_triples(sites: tuple[str, str], thing: str) -> None:
    for media_type in RDF_TYPES:
        answers = [
            httpx.get(site + PATH + thing, headers={"Accept": media_type}, timeout=30, follow_redirects=True)
            for site in sites
        ]
        assert [a.status_code for a in answers] == [200, 200], (thing, media_type)
        local, served = (rdf(a.content, media_type) for a in answers)
        assert len(local) > 3
        assert canonical_set(iter(served)) == canonical_set(iter(local)), (thing, media_type)


@pytest.mark.parametrize("thing", THINGS)
def test_pages_render_with_the_same_links(sites: tuple[str, str], thing: str) -> None:
    pages = [httpx.get(site + PATH + thing, headers={"Accept": "text/html"}, timeout=30, follow_redirects=True) for site in sites]
    assert [p.status_code for p in pages] == [200, 200]
    links = [sorted(set(re.findall(r'href="([^"]+)"', p.text))) for p in pages]
    assert links[0] == links[1]
    assert "<h1>" in pages[1].text


def test_home_void_and_unknown_uris(sites: tuple[str, str]) -> None:
    for path in ("/", "/.well-known/void", "/dumps/"):
        codes = [httpx.get(site + path, timeout=30).status_code for site in sites]
        assert codes == [200, 200], path
    codes = [httpx.get(site + PATH + "state/XXX", timeout=30).status_code for site in sites]
    assert codes == [404, 404]


QUERIES = {
    "select": "PREFIX untoc: <https://w3id.org/untoc-kg/ontology#> SELECT ?r ?m WHERE "
    "{ ?r a untoc:Recommendation ; untoc:adoptedAt ?m } ORDER BY ?r",
    "ask": "ASK { ?s a <https://w3id.org/untoc-kg/ontology#Meeting> }",
    "ask-false": "ASK { ?s a <urn:x:nothing> }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
    "FILTER(?s = <https://w3id.org/untoc-kg/id/recommendation/ctoc-cop-wg7/3/1>) }",
}


@pytest.mark.parametrize("name", QUERIES)
def test_the_endpoint_answers_the_same(sites: tuple[str, str], name: str) -> None:
    accept = "application/n-triples" if name == "construct" else "application/sparql-results+json"
    answers = [
        httpx.get(site + "/sparql", params={"query": QUERIES[name]}, headers={"Accept": accept},
                  timeout=30)
        for site in sites
    ]
    assert [a.status_code for a in answers] == [200, 200], answers[1].text
    if name == "construct":
        local, served = (rdf(a.content, accept) for a in answers)
        assert canonical_set(iter(served)) == canonical_set(iter(local)) and local
        assert answers[0].headers.get("x-sparql-maxrows") == answers[1].headers.get("x-sparql-maxrows")
    else:
        assert json.loads(answers[0].content) == json.loads(answers[1].content)


def test_hostile_queries_are_refused_the_same_way(sites: tuple[str, str]) -> None:
    _, remote = sites
    refused = {
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }": 400,
        "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }": 403,
        "DROP ALL": 403,
        "SELECT * WHERE { ?s ?p }": 400,
    }
    for query, status in refused.items():
        answer = httpx.post(remote + "/sparql", data={"query": query}, timeout=30)
        assert answer.status_code == status, (query, answer.text)
    everything = httpx.get(
        remote + "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert everything.status_code == 200
    assert everything.headers["x-sparql-maxrows"] == str(TEST_LIMITS.max_result_rows)
    assert len(rdf(everything.content, "application/n-triples")) == TEST_LIMITS.max_result_rows
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    answer = httpx.get(remote + "/sparql", params={"query": heavy}, timeout=30)
    assert answer.status_code == 504 and "stopped" in answer.text
    assert time.monotonic() - started < TEST_LIMITS.timeout_seconds + 2
    assert httpx.get(remote + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200


@pytest.mark.parametrize("store", ["virtuoso"], indirect=True)
def test_credentials_in_the_url_answer_the_stores_challenge(
    store: TripleStore, tmp_path: Path
) -> None:
    """Virtuoso's authenticated Graph Store endpoint asks for Digest; the password given in the
    URL answers it, and never shows in a message nor in the progress record."""
    publish_sample(tmp_path)
    protected = store.graph_store_url + "-auth"
    args = ["--sparql-endpoint", store.query_url, "--graph", SAMPLE_GRAPH + "/auth",
            "--store", str(tmp_path), "--protocol", "gsp"]
    wrong = protected.replace("http://", "http://dba:not-the-password@")
    result = CliRunner().invoke(cli, ["load", "--to", wrong, *args])
    assert result.exit_code == 1 and "401" in result.output
    assert "not-the-password" not in result.output
    right = protected.replace("http://", "http://dba:dba@")
    result = CliRunner().invoke(cli, ["load", "--to", right, *args])
    assert result.exit_code == 0, result.output
    assert "holds exactly the published triples" in result.output
    assert "dba:dba" not in result.output
    records = list((current_build(tmp_path).path / push.LOADS).glob("*.json"))
    assert records and all(":dba@" not in r.read_text() for r in records)


def test_a_query_workers_store_reads_only_the_rows_it_keeps(store: TripleStore, loaded) -> None:
    """In a query worker answers stream: taking the first rows of a big answer reads little of
    it, and the next query closes it and is answered in full."""
    from itertools import islice

    remote = RemoteEndpoint(store.query_url, store.graph).open(streaming=True)
    try:
        everything = remote.query("SELECT * WHERE { ?s ?p ?o }")
        assert len(list(islice(everything, 5))) == 5
        read = remote._open_answer.num_bytes_downloaded  # type: ignore[union-attr]
        assert read < 200_000, read  # the whole answer is over a megabyte
        count = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(next(iter(count))["n"].value) == loaded.triples_done
        assert bool(remote.query("ASK { ?s ?p ?o }"))
    finally:
        remote.close()


def test_untoc_kg_serve_reads_from_the_store(store: TripleStore, loaded, corpus_build) -> None:
    """The command a user runs: `untoc-kg serve --sparql-endpoint URL [--graph IRI]`."""
    import os
    import signal
    import subprocess
    import sys

    from serve_process import wait_until_up

    port = free_port()
    command = [sys.executable, "-m", "untoc_kg.cli", "serve", "--port", str(port), "--log-level", "warning",
               "--store", str(corpus_build.build_dir.parent.parent),
               "--sparql-endpoint", store.query_url]
    if store.graph:
        command += ["--graph", store.graph]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        answer = httpx.get(base + PATH + THINGS[0], headers={"Accept": "application/n-triples"}, follow_redirects=True,
                           timeout=30)
        assert answer.status_code == 200
        assert len(rdf(answer.content, "application/n-triples")) > 3
        count = httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                          headers={"Accept": "text/csv"}, timeout=30)
        assert count.text.split()[-1] == str(loaded.triples_done)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    assert store.query_url in process.stdout.read().decode()


def test_the_cli_offers_every_load_protocol() -> None:
    from untoc_kg.cli.options import TransferProtocol

    assert [p.value for p in TransferProtocol] == [p.value for p in push.Protocol]
