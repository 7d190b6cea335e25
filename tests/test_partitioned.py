"""The streamed build (issue 6): partitions of the graph, and the SHACL gate split between
pyshacl on each partition and SPARQL on the store, against the whole-graph way of doing both.

On the corpus and on 1,000 synthetic recommendations (bench/gen.py), deliberately broken in
ways that cross partitions (a document, a State untyped elsewhere; a person given a second State,
a recommendation a second position in another partition) and that do not (a missing label, a bad
checksum, a role outside the list, a meeting ending before it starts): the partitioned gate
must report exactly the problems whole-graph pyshacl reports.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from untoc_kg import publish as pipeline
from untoc_kg.publish import stream
from untoc_kg.publish.stream import WORK
from untoc_kg.corpus import corpus_files
from untoc_kg.graph import Minter, build_graph
from untoc_kg.graph.partitions import partitions, spool
from untoc_kg.vocab import DCTERMS, SCHEMA, SPDX, UNTOC
from untoc_kg.ontology import ontology_graph
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.shapes import partitioned, shapes_graph, validate
from untoc_kg.datadir import dumps as dump_files
from untoc_kg.datadir import loading

BUILD_TIME = datetime(2026, 1, 1, tzinfo=UTC)
VERSION = "test"


def _synthetic(n: int):
    path = Path(__file__).resolve().parents[1] / "bench" / "gen.py"
    spec = importlib.util.spec_from_file_location("bench_gen", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_gen"] = module
    spec.loader.exec_module(module)
    return list(module.synthetic_documents(n))


@pytest.fixture(scope="module")
def corpus_documents():
    documents, failures = pipeline.extract_all(corpus_files())
    assert not failures
    return documents


@pytest.fixture(scope="module")
def synthetic_documents():
    return _synthetic(1000)


@pytest.fixture(autouse=True)
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Partitions of ~100 recommendations, so the corpus too has faults across partitions."""
    from untoc_kg.graph import partitions as module

    monkeypatch.setattr(module, "MEETING_CHUNK", 100)


def partition_sets(documents, folder: Path) -> dict[str, set]:
    spooled = spool(iter(documents), folder)
    return {
        p.name: set(p.triples)
        for p in partitions(spooled, Minter(DEFAULT_BASE_URI), BUILD_TIME, VERSION)
    }


def problems_both_ways(parts: dict[str, set]) -> tuple[set, set]:
    """(whole-graph pyshacl's problems, the partitioned gate's), as (focus, path, value, message)."""
    whole = Graph()
    for triples in parts.values():
        for triple in triples:
            whole.add(triple)
    expected = validate(whole).problems

    split = partitioned.split(shapes_graph())
    hierarchy = partitioned.class_hierarchy(ontology_graph())
    results = []
    for triples in parts.values():
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        graph += hierarchy
        results.append(partitioned.validate_partition(graph, split.local))
    store = pyoxigraph.Store()
    store.bulk_load(whole.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    rows = [(c, loading.select(store, c.query, ("this", "value"))) for c in split.checks]
    got = partitioned.combine(results, rows)
    # the combined report is a W3C report with one result per problem
    assert len(set(got.report_graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult")))) == len(got.problems)

    def key(problems: Iterable) -> set:
        return {(p.focus, p.path, p.value, p.message) for p in problems}

    assert got.conforms == (not expected)
    return key(expected), key(got.problems)


def first_subject(parts: dict[str, set], cls: URIRef, skip: int = 0) -> tuple[str, URIRef]:
    found = sorted((str(s), name) for name, triples in parts.items()
                   for s, p, o in triples if p == RDF.type and o == cls)
    uri, name = found[skip]
    return name, URIRef(uri)


def other_partition(parts: dict[str, set], name: str) -> str:
    return next(n for n in sorted(parts) if n != name and n.startswith("meetings"))


def break_graph(parts: dict[str, set]) -> None:
    """Deliberate faults, most of them crossing partitions."""
    # a Document untyped in its partition: printings in meeting partitions point to a non-Document
    name, document = first_subject(parts, UNTOC.Report)
    parts[name].discard((document, RDF.type, UNTOC.Report))
    # a State untyped in the global partition: attendances elsewhere name a non-participant
    attended = {o for triples in parts.values() for _, p, o in triples if p == UNTOC.participant}
    name, state = next((n, s) for n, s in (first_subject(parts, UNTOC.State, k) for k in range(300))
                       if s in attended)
    parts[name].discard((state, RDF.type, UNTOC.State))
    # one person, two States, said in two partitions
    name, person = first_subject(parts, UNTOC.Person)
    _, other_state = first_subject(parts, UNTOC.State, 1)
    parts[other_partition(parts, name)].add((person, UNTOC.state, other_state))
    # a recommendation given a second position in another partition
    name, recommendation = first_subject(parts, UNTOC.Recommendation)
    parts[other_partition(parts, name)].add(
        (recommendation, UNTOC.position, Literal(999, datatype=XSD.integer)))
    # a recommendation without its label, and citing a literal
    name, unlabelled = first_subject(parts, UNTOC.Recommendation, 1)
    parts[name] = {t for t in parts[name] if not (t[0] == unlabelled and t[1] == RDFS.label)}
    parts[name].add((unlabelled, UNTOC.cites, Literal("article 5")))
    # a meeting ending before it starts
    starts = sorted((n, s, o) for n, triples in parts.items() for s, p, o in triples if p == SCHEMA.startDate)
    name, meeting, _start = starts[0]
    parts[name] = {t for t in parts[name] if not (t[0] == meeting and t[1] == SCHEMA.endDate)}
    parts[name].add((meeting, SCHEMA.endDate, Literal("1900-01-01", datatype=XSD.date)))
    # an upper-case checksum, a role outside the list (local faults)
    name, checksum = first_subject(parts, SPDX.Checksum)
    value = next(o for s, p, o in parts[name] if s == checksum and p == SPDX.checksumValue)
    parts[name].discard((checksum, SPDX.checksumValue, value))
    parts[name].add((checksum, SPDX.checksumValue, Literal(str(value).upper(), datatype=XSD.hexBinary)))
    name, attendance = first_subject(parts, UNTOC.Attendance)
    parts[name].add((attendance, UNTOC.role, URIRef(UNTOC + "Chair")))  # not a declared term (UNTOC is closed)
    # a body with two identifiers, one in another partition
    _, body = first_subject(parts, UNTOC.WorkingGroup)
    parts["documents/0"].add((body, DCTERMS.identifier, Literal("X/Y")))


@pytest.mark.parametrize("which", ["corpus", "synthetic"])
def test_the_partitions_are_the_whole_graph(which, corpus_documents, synthetic_documents, tmp_path):
    documents = corpus_documents if which == "corpus" else synthetic_documents
    whole = build_graph(documents, base_uri=DEFAULT_BASE_URI, build_time=BUILD_TIME, tool_version=VERSION)
    parts = partition_sets(documents, tmp_path)
    union = set().union(*parts.values())
    assert union == set(whole.graph)
    assert len(parts) > 3  # global, documents, and several meeting partitions


@pytest.mark.parametrize("which", ["corpus", "synthetic"])
def test_partitioned_validation_reports_what_whole_graph_pyshacl_reports(
    which, corpus_documents, synthetic_documents, tmp_path
):
    documents = corpus_documents if which == "corpus" else synthetic_documents
    parts = partition_sets(documents, tmp_path)
    assert problems_both_ways(parts) == (set(), set())
    break_graph(parts)
    expected, got = problems_both_ways(parts)
    assert got == expected
    messages = {m for _, _, _, m in expected}
    assert len(messages) >= 9, messages  # every fault above is seen
    assert any("end before it starts" in m for m in messages)
    assert any("at most one State" in m for m in messages)


def whole_graph(documents):
    """The corpus graph built whole, with the dumps' descriptions (without their sizes), as the
    streamed build's global partition adds them."""
    graph = build_graph(documents, base_uri=DEFAULT_BASE_URI, build_time=BUILD_TIME).graph
    if (dataset := dump_files.find_dataset(graph)) is not None:
        graph += dump_files.distribution_graph(dataset, DEFAULT_BASE_URI)
    return graph


def test_the_streamed_build_dumps_what_the_whole_graph_gives(corpus_documents, tmp_path):
    """The corpus built by the streamed path gives the very bytes `sorted_ntriples` gives for
    the graph built whole (with the dumps' descriptions), and a store holding them."""
    result = pipeline.build_documents(
        corpus_documents, tmp_path / "data", DEFAULT_BASE_URI, build_time=BUILD_TIME
    )
    assert result.published is not None, result.validation.report_text
    graph = whole_graph(corpus_documents)
    dumped = (result.published.dumps_path / dump_files.NTRIPLES).read_bytes()
    assert dumped == dump_files.sorted_ntriples(graph)
    turtle = Graph().parse(result.published.dumps_path / dump_files.TURTLE, format="turtle")
    assert len(turtle) == len(graph) == result.manifest["triples"]
    store = pyoxigraph.Store.read_only(str(result.published.store_path))
    assert len(store) > len(graph)  # and the dumps' sizes and checksums
    assert not (result.build_dir / WORK).exists()


def test_worker_processes_give_the_same_bytes(corpus_documents, tmp_path, monkeypatch):
    """The second pass in worker processes (what a large build does) dumps the very bytes the
    in-process pass dumps."""
    serial = pipeline.build_documents(corpus_documents, tmp_path / "serial", DEFAULT_BASE_URI, build_time=BUILD_TIME)
    monkeypatch.setattr(stream, "PARALLEL_FROM", 0)
    parallel = pipeline.build_documents(corpus_documents, tmp_path / "parallel", DEFAULT_BASE_URI, build_time=BUILD_TIME)
    assert serial.published is not None and parallel.published is not None
    for name in (dump_files.NTRIPLES, dump_files.TURTLE):
        assert (serial.published.dumps_path / name).read_bytes() == (parallel.published.dumps_path / name).read_bytes()
    assert serial.warnings == parallel.warnings
