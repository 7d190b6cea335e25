"""The living graph (issue 8): documents added to a published graph one at a time give the graph a
build of all of them gives; a reissue (Rev.1) replaces its earlier issue and keeps it as history;
a withdrawn document's resources answer 410 Gone from a real server, pointing to the withdrawal.

Real parts throughout: the bundled corpus extracted once, real Oxigraph stores, the real CLI,
uvicorn on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from typer.testing import CliRunner

from untoc_kg.cli import app
from untoc_kg.corpus import corpus_files
from untoc_kg.publish.update import UpdateError, update
from untoc_kg.publish.build import build, extract_all
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.datadir import current_build, open_store

UNTOC = "https://w3id.org/untoc-kg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ID = DEFAULT_BASE_URI
TIME = datetime(2026, 1, 1, tzinfo=UTC)
SYMBOL = "CTOC/COP/WG.7/2013/5"
DATES = {DCT + "issued", DCT + "modified"}
MEASURED = {"http://www.w3.org/ns/dcat#byteSize", "http://spdx.org/rdf/terms#checksum"}


@pytest.fixture(scope="module")
def documents():
    documents, failures = extract_all(corpus_files())
    assert not failures
    return documents


def store_of(data_dir: Path) -> pyoxigraph.Store:
    return open_store(current_build(data_dir).store_path)


def comparable(data_dir: Path, dump: bool = False) -> set[tuple]:
    """The published graph (its store, or its N-Triples dump) without what an update is expected
    to change: the provenance activities (and links to them), the dataset's dates and the dumps'
    measured sizes."""
    build = current_build(data_dir)
    quads = (
        list(
            pyoxigraph.parse(
                path=str(build.dumps_path / "untoc-kg.nt"),
                format=pyoxigraph.RdfFormat.N_TRIPLES,
            )
        )
        if dump
        else list(store_of(data_dir))
    )
    updates = {
        q.subject
        for q in quads
        if q.predicate == RDF_TYPE
        and q.object == pyoxigraph.NamedNode(UNTOC + "GraphUpdate")
    }
    kept = set()
    for quad in quads:
        subject, predicate = quad.subject.value, quad.predicate.value
        if quad.subject in updates or quad.object in updates:
            continue
        if subject == ID + "dataset" and predicate in DATES:
            continue
        if "/distribution/" in subject and (
            predicate in MEASURED or "#sha256" in subject
        ):
            continue
        kept.add((quad.subject, quad.predicate, quad.object))
    return kept


def subjects(data_dir: Path) -> set[str]:
    return {q.subject.value for q in store_of(data_dir)}


@pytest.mark.parametrize(
    "order", [(0, 1, 2, 3, 4), (3, 1, 4, 0, 2)], ids=["corpus-order", "shuffled"]
)
def test_adding_one_at_a_time_gives_the_graph_a_build_gives(
    documents, corpus_build, tmp_path, order
) -> None:
    expected = comparable(corpus_build.published.path.parent.parent)
    data_dir = tmp_path / "living"
    before: set[str] = set()
    for position in order:
        result = update(data_dir, added=[documents[position]], time=TIME)
        assert result.ok, result.validation.report_text
        now = subjects(data_dir)
        # adding never withdraws: every URI published before is still described
        assert before <= now, sorted(before - now)[:5]
        before = now
    got = comparable(data_dir)
    assert got == expected, (
        sorted(map(str, expected - got))[:5],
        sorted(map(str, got - expected))[:5],
    )
    # the dumps were patched, not dumped afresh, and say what a build's dumps say
    assert (
        current_build(data_dir).manifest["update"]["ntriples"]
        == "previous dump's pieces patched"
    )
    assert comparable(data_dir, dump=True) == comparable(
        corpus_build.published.path.parent.parent, dump=True
    )
    store = store_of(data_dir)
    # every update is recorded: the empty graph's build and one per document, chained
    updates = list(
        store.query(
            f"SELECT ?u ?p WHERE {{ ?u a <{UNTOC}GraphUpdate> OPTIONAL {{ ?u <{PROV}wasInformedBy> ?p }} }}"
        )
    )
    assert len(updates) == len(order) + 1
    assert sum(1 for u in updates if u["p"] is not None) == len(order)


def test_a_reprinted_recommendation_joins_the_existing_resource(
    documents, tmp_path
) -> None:
    report = next(d for d in documents if d.symbol == SYMBOL)
    compilation = next(d for d in documents if d.kind == "compilation")
    data_dir = tmp_path / "living"
    update(data_dir, added=[report], time=TIME)
    shared = {(r.meeting, r.seq) for r in report.recommendations} & {
        (r.meeting, r.seq)
        for r in compilation.recommendations
        if r.body_symbol == report.body.symbol
    }
    assert shared
    meeting, seq = min(shared)
    uri = f"{ID}recommendation/ctoc-cop-wg7/{meeting}/{seq}"
    result = update(data_dir, added=[compilation], time=TIME)
    assert result.ok
    occurrences = {
        r["d"].value
        for r in store_of(data_dir).query(
            f"SELECT ?d WHERE {{ <{uri}> <{UNTOC}occurrence>/<{UNTOC}inDocument> ?d }}"
        )
    }
    assert len(occurrences) == 2, occurrences
    with pytest.raises(UpdateError, match="nothing to change"):
        update(data_dir, added=[compilation], time=TIME)


def reissue(text: str) -> str:
    """The report reissued as Rev.1: one recommendation reworded, the last one dropped."""
    dropped = text.index("37. States parties are encouraged to consider adopting")
    text = (
        text[:dropped] + text[text.index("III. Organization of the meeting", dropped) :]
    )
    return text.replace(
        "to continue its efforts to assist",
        "to continue and strengthen its efforts to assist",
    ).replace(SYMBOL, SYMBOL + "/Rev.1")


@pytest.fixture(scope="module")
def reissued(tmp_path_factory):
    """The corpus without the copy of the WG.7 report that prints no symbol, built; then the
    report's Rev.1 added with the CLI; then Rev.1 withdrawn with the CLI (data dir per step)."""
    folder = tmp_path_factory.mktemp("reissue")
    original = next(
        p for p in corpus_files() if SYMBOL in p.read_text(encoding="utf-8")[:20000]
    )
    sources = [p for p in corpus_files() if not p.name.startswith("002_")]
    data_dir = folder / "data"
    assert build(sources, data_dir, DEFAULT_BASE_URI, build_time=TIME).ok
    before = comparable(data_dir)
    revised = folder / "wg7-report-rev1.txt"
    revised.write_text(reissue(original.read_text(encoding="utf-8")), encoding="utf-8")
    added = CliRunner().invoke(app, ["add", str(revised), "--store", str(data_dir)])
    assert added.exit_code == 0, added.output
    after_reissue = {
        "store": store_of(data_dir),
        "output": added.output,
        "build": current_build(data_dir),
    }
    removed = CliRunner().invoke(
        app, ["remove", SYMBOL + "/Rev.1", "--store", str(data_dir)]
    )
    assert removed.exit_code == 0, removed.output
    return {
        "data_dir": data_dir,
        "before": before,
        "reissue": after_reissue,
        "removed": removed.output,
        "original": original,
    }


def ask(store: pyoxigraph.Store, query: str):
    """Rows of a SELECT (a list), or the answer of an ASK (a bool)."""
    answer = store.query(
        f"PREFIX untoc: <{UNTOC}> PREFIX prov: <{PROV}> PREFIX dct: <{DCT}> " + query
    )
    return bool(answer) if isinstance(answer, pyoxigraph.QueryBoolean) else list(answer)


def test_a_reissue_replaces_its_earlier_issue_and_keeps_it_as_history(reissued) -> None:
    store = reissued["reissue"]["store"]
    assert "reissue:" in reissued["reissue"]["output"]
    assert (
        reissued["reissue"]["build"].manifest["update"]["ntriples"]
        == "previous dump's pieces patched"
    )
    document = f"{ID}document/ctoc-cop-wg7/report/2"
    # the document keeps its URI and now says what the new issue says
    [row] = ask(
        store, f"SELECT ?symbol WHERE {{ <{document}> dct:identifier ?symbol }}"
    )
    assert row["symbol"].value == SYMBOL + "/Rev.1"
    reworded = f"{ID}recommendation/ctoc-cop-wg7/2/32"
    [row] = ask(store, f"SELECT ?text WHERE {{ <{reworded}> untoc:text ?text }}")
    assert "continue and strengthen its efforts" in row["text"].value
    # the earlier issue: replaced by the new copy, invalidated by the update, its wording kept
    [old] = ask(
        store,
        f"""SELECT ?copy ?new ?update ?symbol ?text WHERE {{
            ?copy dct:isVersionOf <{document}> ; dct:isReplacedBy ?new ; prov:wasInvalidatedBy ?update ;
                  dct:identifier ?symbol .
            ?new a untoc:DocumentCopy . ?update a untoc:GraphUpdate .
            <{document}> untoc:hasCopy ?new .
            ?printing untoc:printedIn ?copy ; untoc:printingOf <{reworded}> ; untoc:text ?text }}""",
    )
    assert old["symbol"].value == SYMBOL
    assert "to continue its efforts" in old["text"].value
    assert old["copy"].value.endswith(
        next(
            iter(
                [
                    reissued["reissue"]["build"].manifest["update"]["removed"][0][
                        "sha256"
                    ]
                ]
            )
        )
    )
    # nothing of the old issue dangles: every object of the history is described
    dangling = ask(
        store,
        """SELECT ?o WHERE { ?copy prov:wasInvalidatedBy ?u ; dct:isReplacedBy ?o
                             FILTER NOT EXISTS { ?o a ?type } }""",
    )
    assert dangling == []


def test_the_dropped_recommendation_is_withdrawn_by_the_reissue(reissued) -> None:
    store = reissued["reissue"]["store"]
    dropped = f"{ID}recommendation/ctoc-cop-wg7/2/33"
    printed_elsewhere = ask(store, f"ASK {{ <{dropped}> untoc:occurrence ?o }}")
    withdrawn = ask(store, f"ASK {{ ?u prov:invalidated <{dropped}> }}")
    assert bool(printed_elsewhere) != bool(withdrawn)


def test_a_withdrawn_document_answers_410_with_a_pointer(reissued, live_server) -> None:
    from untoc_kg.server.app import create_app

    data_dir = reissued["data_dir"]
    store = store_of(data_dir)
    url = live_server(create_app(data_dir))
    path = "/untoc-kg/id/document/ctoc-cop-wg7/report/2"
    page = httpx.get(url + path, headers={"Accept": "text/html"})
    assert page.status_code == 410, page.text[:300]
    link = page.headers["link"]
    assert 'rel="http://www.w3.org/ns/prov#wasInvalidatedBy"' in link
    update_path = link.split(">")[0].lstrip("<")
    assert update_path.startswith("/untoc-kg/id/build/")
    assert update_path in page.text and "Gone" in page.text
    # the pointer dereferences: the withdrawal record names what it withdrew
    record = httpx.get(url + update_path, headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert record.status_code == 200 and "invalidated" in record.text
    assert httpx.get(url + path, headers={"Accept": "text/turtle"}).status_code == 410
    # its printing of a recommendation is gone too; the recommendation, which the compilation
    # reprints, stays
    [row] = ask(
        store,
        """SELECT DISTINCT ?occurrence ?recommendation WHERE {
            ?u prov:invalidated ?occurrence FILTER NOT EXISTS { ?occurrence ?p ?o }
            ?recommendation untoc:position 33 ; untoc:adoptedAt/untoc:ordinal 2
            FILTER STRSTARTS(STR(?occurrence), CONCAT(STR(?recommendation), "/occurrence/")) } LIMIT 1""",
    )
    assert (
        httpx.get(
            url + row["occurrence"].value.removeprefix("https://w3id.org")
        ).status_code
        == 410
    )
    assert (
        httpx.get(
            url + row["recommendation"].value.removeprefix("https://w3id.org"),
            follow_redirects=True,
        ).status_code
        == 200
    )
    assert httpx.get(url + "/untoc-kg/id/document/never-was").status_code == 404


def test_remove_of_an_unknown_symbol_is_a_clear_error(reissued) -> None:
    result = CliRunner().invoke(
        app, ["remove", "NO/SUCH/2000/1", "--store", str(reissued["data_dir"])]
    )
    assert result.exit_code == 1
    assert "NO/SUCH/2000/1" in result.output


def test_what_changed_when_lists_what_each_update_brought_and_withdrew(
    reissued,
) -> None:
    from untoc_kg.sparql.named_queries import named_queries, rows

    answer = rows(store_of(reissued["data_dir"]), named_queries()["graph-updates"], {})
    assert (
        len({r["update"] for r in answer}) == 3
    )  # the build, the reissue, the withdrawal
    # copies are named by their file name, never the path they were read from
    original, revised = Path(reissued["original"]).name, "wg7-report-rev1.txt"

    def updates(change: str, file: str) -> set[str]:
        return {
            r["update"]
            for r in answer
            if r["change"] == change and r["file"].endswith(file)
        }

    [built] = updates("brought", original)
    [reissue] = updates("withdrew", original)
    assert updates("brought", revised) == {reissue}
    [removal] = updates("withdrew", revised)
    assert len({built, reissue, removal}) == 3


def test_an_earlier_issue_after_a_later_one_is_refused(documents, tmp_path) -> None:
    from dataclasses import replace

    original = next(d for d in documents if d.symbol == SYMBOL)
    revised = replace(
        original, symbol=SYMBOL + "/Rev.1", sha256="f" * 64, source="rev1.txt"
    )
    data_dir = tmp_path / "living"
    assert update(data_dir, added=[original], time=TIME).ok
    result = update(data_dir, added=[revised], time=TIME)
    assert result.replaced == {original.sha256: revised.sha256}
    with pytest.raises(
        UpdateError, match=r"not a later issue than CTOC/COP/WG.7/2013/5/Rev.1"
    ):
        update(data_dir, added=[original], time=TIME)
