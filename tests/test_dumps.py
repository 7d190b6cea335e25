"""The dumps of the corpus build load everywhere with the same triple count: pyoxigraph, rdflib and
Apache Jena (riot, TDB2), and build.json / the store describe them truthfully."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pyoxigraph
import pytest
from jena import jena_available, run_jena
from rdflib import Graph, URIRef

from untoc_kg.datadir.layout import DUMP_FILES, open_store

FORMATS = {
    "ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE),
    "nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
}
DUMPS = sorted(DUMP_FILES)

needs_jena = pytest.mark.skipif(
    not jena_available(), reason="Apache Jena missing: run tests/install.sh"
)


@pytest.fixture(scope="module")
def dumps(corpus_build) -> Path:
    assert corpus_build.published is not None, corpus_build.validation.report_text
    return corpus_build.published.dumps_path


@pytest.fixture(scope="module")
def triples(corpus_build) -> int:
    return corpus_build.manifest["triples"]


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _kind(name: str) -> str:
    return name.removesuffix(".gz").rsplit(".", 1)[-1]


@pytest.mark.parametrize("name", DUMPS)
def test_pyoxigraph_and_rdflib_read_the_same_count(
    dumps: Path, triples: int, name: str
) -> None:
    rdflib_format, oxigraph_format = FORMATS[_kind(name)]
    data = _read(dumps / name)
    assert sum(1 for _ in pyoxigraph.parse(data, format=oxigraph_format)) == triples
    assert len(Graph().parse(data=data, format=rdflib_format)) == triples


@needs_jena
@pytest.mark.parametrize("name", DUMPS)
def test_jena_riot_validates_and_counts(dumps: Path, triples: int, name: str) -> None:
    validated = run_jena("riot", "--validate", str(dumps / name))
    assert validated.returncode == 0, validated.stderr
    assert "WARN" not in validated.stderr and "ERROR" not in validated.stderr, (
        validated.stderr
    )
    counted = run_jena("riot", "--count", str(dumps / name))
    assert counted.returncode == 0, counted.stderr
    found = re.search(r"Triples = ([\d,]+)", counted.stdout + counted.stderr)
    assert found, counted.stdout + counted.stderr
    assert int(found.group(1).replace(",", "")) == triples


@needs_jena
@pytest.mark.parametrize("name", ["untoc-kg.ttl", "untoc-kg.nt.gz"])
def test_jena_tdb2_loads_the_same_count(
    dumps: Path, triples: int, name: str, tmp_path: Path
) -> None:
    location = tmp_path / "tdb2"
    loaded = run_jena("tdb2.tdbloader", "--loc", str(location), str(dumps / name))
    assert loaded.returncode == 0, loaded.stderr
    counted = run_jena(
        "tdb2.tdbquery",
        "--loc",
        str(location),
        "--results=CSV",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    )
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.split() == ["n", str(triples)]


def test_ntriples_dump_is_sorted_and_without_blank_nodes(dumps: Path) -> None:
    lines = (dumps / "untoc-kg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))
    assert not any(line.startswith("_:") or " _:" in line for line in lines)


def test_gzip_headers_carry_no_time(dumps: Path) -> None:
    for name in DUMPS:
        if name.endswith(".gz"):
            header = (dumps / name).read_bytes()[:10]
            assert header[4:8] == b"\0\0\0\0", name  # MTIME field
            assert (
                _read(dumps / name) == (dumps / name.removesuffix(".gz")).read_bytes()
            )


def test_manifest_and_store_describe_the_dumps_truthfully(
    corpus_build, dumps: Path
) -> None:
    described = {d["file"]: d for d in corpus_build.manifest["dumps"]}
    assert set(described) == set(DUMPS)
    for name, entry in described.items():
        data = (dumps / name).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["media_type"] == DUMP_FILES[name]
    store = open_store(corpus_build.published.store_path)
    answer = store.query(
        """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sum WHERE { ?dataset a dcat:Dataset ; dcat:distribution ?d .
          ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sum }"""
    )
    in_store = {
        s["url"].value.rsplit("/", 1)[-1]: (int(s["size"].value), s["sum"].value)
        for s in answer
    }
    assert in_store == {
        name: (d["bytes"], d["sha256"]) for name, d in described.items()
    }
    # the dumps describe their distributions, but not their own sizes (those would be circular)
    dump_graph = Graph().parse(data=_read(dumps / "untoc-kg.nt"), format="nt")
    assert (
        len(
            list(
                dump_graph.subject_objects(
                    URIRef("http://www.w3.org/ns/dcat#downloadURL")
                )
            )
        )
        == 4
    )
    assert not list(
        dump_graph.subject_objects(URIRef("http://www.w3.org/ns/dcat#byteSize"))
    )


def test_store_holds_the_dump_plus_the_measurements(corpus_build) -> None:
    store = open_store(corpus_build.published.store_path)
    assert len(store) == corpus_build.manifest["store_triples"]
    # per dump: byteSize, checksum link, and the checksum's type, algorithm and value
    assert len(store) == corpus_build.manifest["triples"] + 5 * len(DUMPS)
    assert not list(store.named_graphs()), "everything is in the default graph"


def _as_read_by_oxigraph(data: bytes, format: pyoxigraph.RdfFormat) -> set[pyoxigraph.Triple]:
    """The triples exactly as written (pyoxigraph's parser keeps every literal's lexical form)."""
    return set(pyoxigraph.parse(data, format=format))


def _written_back_by_oxigraph_store(dump: Path) -> bytes:
    store = pyoxigraph.Store()
    store.load(dump.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    return store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())


def _written_back_by_rdflib(dump: Path) -> bytes:
    return Graph().parse(dump, format="turtle").serialize(format="nt", encoding="utf-8")


def _written_back_by_jena_tdb2(dump: Path, location: Path) -> bytes:
    loaded = run_jena("tdb2.tdbloader", "--loc", str(location), str(dump))
    assert loaded.returncode == 0, loaded.stderr
    written = run_jena(
        "tdb2.tdbquery", "--loc", str(location), "--results=NT",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    )
    assert written.returncode == 0, written.stderr
    return written.stdout.encode("utf-8")


@needs_jena
def test_every_store_writes_back_the_graph_it_was_given(dumps: Path, tmp_path: Path) -> None:
    """The Turtle dump loaded into Oxigraph, Jena TDB2 and rdflib and written back is the same
    graph, literal for literal: no store rewrites a lexical form (derived integer types,
    "+00:00" time zones and fractions of seconds would be)."""
    dump = dumps / "untoc-kg.ttl"
    given = _as_read_by_oxigraph(dump.read_bytes(), pyoxigraph.RdfFormat.TURTLE)
    written = {
        "oxigraph": _written_back_by_oxigraph_store(dump),
        "rdflib": _written_back_by_rdflib(dump),
        "jena-tdb2": _written_back_by_jena_tdb2(dump, tmp_path / "tdb2"),
    }
    for store, data in written.items():
        back = _as_read_by_oxigraph(data, pyoxigraph.RdfFormat.N_TRIPLES)
        assert not any(isinstance(t.subject, pyoxigraph.BlankNode) for t in back), store
        differ = sorted(str(t) for t in back ^ given)
        assert differ == [], f"{store} wrote back {len(differ)} other triples, e.g. {differ[:4]}"


def test_no_machine_path_in_the_published_graph(dumps: Path) -> None:
    """Copies are named by their file name and checksum, never by where the build read them."""
    text = _read(dumps / "untoc-kg.nt").decode("utf-8")
    assert "site-packages" not in text and "/corpus/" not in text
    file_names = re.findall(r'<http://spdx.org/rdf/terms#fileName> "([^"]*)"', text)
    assert file_names and all("/" not in n and "\\" not in n for n in file_names)
