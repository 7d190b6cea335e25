"""`untoc-kg serve` options that set the endpoint's limits, on a real server process: what the
Service Description states is what the endpoint enforces."""

from __future__ import annotations

import time

import httpx
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from serve_process import serving

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
UNTOC = Namespace("https://w3id.org/untoc-kg/ontology#")
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_serve_options_set_the_limits_the_service_description_states(corpus_build) -> None:
    data_dir = corpus_build.build_dir.parent.parent
    options = ("--query-timeout", "1.5", "--max-rows", "7", "--max-body", "3000", "--query-workers", "1")
    with serving(data_dir, *options) as (base, _process), httpx.Client(timeout=30) as client:
        described = client.get(base + "/sparql", headers={"accept": "text/turtle"})
        assert described.status_code == 200
        description = Graph().parse(data=described.text, format="turtle")
        service = next(description.subjects(RDF.type, SD.Service))
        assert str(description.value(service, UNTOC.queryTimeout)) == "PT1.5S"
        assert description.value(service, UNTOC.maxResultRows).toPython() == 7
        assert description.value(service, UNTOC.maxRequestBodyBytes).toPython() == 3000

        rows = client.get(
            base + "/sparql",
            params={"query": "SELECT ?s { ?s ?p ?o }"},
            headers={"accept": "application/sparql-results+json"},
        )
        assert rows.status_code == 200
        assert len(rows.json()["results"]["bindings"]) == 7
        assert rows.headers["x-sparql-maxrows"] == "7"

        too_big = client.post(
            base + "/sparql",
            content=("ASK {} #" + "x" * 3000).encode(),
            headers={"content-type": "application/sparql-query"},
        )
        assert too_big.status_code == 413

        started = time.monotonic()
        heavy = client.get(base + "/sparql", params={"query": CARTESIAN})
        assert heavy.status_code == 504
        assert time.monotonic() - started < 1.5 + 1


def test_serve_refuses_a_limit_out_of_range(corpus_build) -> None:
    import subprocess
    import sys

    data_dir = corpus_build.build_dir.parent.parent
    refused = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "serve", "--store", str(data_dir), "--max-rows", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert refused.returncode == 2
    assert "--max-rows" in refused.stderr
