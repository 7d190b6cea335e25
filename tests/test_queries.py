"""The named queries on the built corpus give the answers the gold annotations (tests/gold/*.json)
give. Expected answers are computed from the gold files here, never typed in by hand."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import cache
from itertools import combinations
from pathlib import Path

import pyoxigraph
import pytest

from untoc_kg.sparql.named_queries import (
    QueryParameterError,
    bound_text,
    named_queries,
    parse_query,
    rows,
)
from untoc_kg.datadir import open_store

GOLD = Path(__file__).parent / "gold"
ROLE_NAMES = {
    "states_parties": "StateParty",
    "signatories": "Signatory",
    "non_parties": "NonParty",
}


@cache
def gold_documents() -> tuple[dict, ...]:
    """The gold annotations, without the documents marked as copies of another."""
    docs = (
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))
    )
    return tuple(d for d in docs if not d.get("duplicate_of"))


@cache
def gold_recommendations() -> dict[tuple[int, int], dict]:
    """One gold record per recommendation (meeting, seq): the meeting's own report's printing
    where there is one (a compilation drops the section headings)."""
    found: dict[tuple[int, int], dict] = {}
    for doc in sorted(gold_documents(), key=lambda d: d["kind"] != "report"):
        for rec in doc["recommendations"]:
            found.setdefault((rec["meeting"], rec["seq"]), rec)
    return found


def gold_years() -> dict[int, int]:
    return {
        m["ordinal"]: int(m["start"][:4])
        for d in gold_documents()
        for m in d["meetings"]
        if m.get("start")
    }


def gold_attendance() -> dict[int, dict[str, list[str]]]:
    return {
        m["ordinal"]: m["attendance"]
        for d in gold_documents()
        for m in d["meetings"]
        if m.get("attendance")
    }


def cited_articles(rec: dict) -> set[tuple[str, int]]:
    return {
        (c["treaty"], c["article"])
        for c in rec["citations"]
        if c.get("article") is not None
    }


@pytest.fixture(scope="module")
def store(corpus_build) -> pyoxigraph.Store:
    assert corpus_build.published is not None, corpus_build.validation.report_text
    return open_store(corpus_build.published.store_path)


def run(store: pyoxigraph.Store, name: str, **values: str) -> list[dict[str, str]]:
    return rows(store, named_queries()[name], {k: str(v) for k, v in values.items()})


def article_keys(store: pyoxigraph.Store) -> dict[str, tuple[str, int]]:
    """Article URI -> (treaty key, number), read from the graph itself."""
    answer = store.query(
        """PREFIX untoc: <https://w3id.org/untoc-kg/ontology#>
        PREFIX dct: <http://purl.org/dc/terms/> PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?a ?t ?n WHERE { ?a a untoc:Article ; eli:number ?n ; untoc:isPartOf+ ?x .
                                ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* untoc:Treaty ;
                                   dct:identifier ?t }"""
    )
    return {s["a"].value: (s["t"].value, int(s["n"].value)) for s in answer}


def test_every_named_query_has_a_header_and_a_test() -> None:
    queries = named_queries()
    assert len(queries) == 11
    tested = {
        name.removeprefix("test_").replace("_", "-")
        for name in globals()
        if name.startswith("test_")
    }
    for name, query in queries.items():
        assert query.title != name and query.description, name
        assert name in tested, f"no test for named query {name}"


def test_recommendations_citing_article(store: pyoxigraph.Store) -> None:
    expected = {
        key
        for key, rec in gold_recommendations().items()
        if ("SOM", 8) in cited_articles(rec)
    }
    answer = run(store, "recommendations-citing-article", treaty="SOM", article=8)
    assert {(int(r["ordinal"]), int(r["position"])) for r in answer} == expected
    years = gold_years()
    assert {int(r["year"]) for r in answer} == {years[m] for m, _ in expected}
    assert all(r["label"] and r["meetingLabel"] for r in answer)
    assert [int(r["ordinal"]) for r in answer] == sorted(
        int(r["ordinal"]) for r in answer
    )
    assert run(store, "recommendations-citing-article", treaty="som", article=8) == answer
    assert run(store, "recommendations-citing-article", treaty="TIP", article=8) != answer


def test_articles_by_citations(store: pyoxigraph.Store) -> None:
    expected = Counter(
        article
        for rec in gold_recommendations().values()
        for article in cited_articles(rec)
    )
    answer = run(store, "articles-by-citations")
    got = {(r["treaty"], int(r["number"])): int(r["recommendations"]) for r in answer}
    assert got == dict(expected)
    counts = [int(r["recommendations"]) for r in answer]
    assert counts == sorted(counts, reverse=True)


def test_state_attendance(store: pyoxigraph.Store) -> None:
    name, code = "Italy", "ITA"
    expected = {
        (ordinal, ROLE_NAMES[role])
        for ordinal, lists in gold_attendance().items()
        for role, names in lists.items()
        if name in names
    }
    answer = run(store, "state-attendance", state=code)
    assert {
        (int(r["ordinal"]), r["role"].rsplit("#", 1)[-1]) for r in answer
    } == expected
    starts = [r["start"] for r in answer]
    assert starts == sorted(starts)


def test_meeting_recommendations(store: pyoxigraph.Store) -> None:
    meeting = 2
    expected = sorted(
        (seq, rec["section"])
        for (m, seq), rec in gold_recommendations().items()
        if m == meeting
    )
    answer = run(store, "meeting-recommendations", meeting=meeting)
    assert [(int(r["position"]), r.get("section")) for r in answer] == expected
    assert all(r["text"] for r in answer)


def test_articles_cited_together(store: pyoxigraph.Store) -> None:
    expected = Counter(
        pair
        for rec in gold_recommendations().values()
        for pair in combinations(sorted(cited_articles(rec)), 2)
    )
    keys = article_keys(store)
    answer = run(store, "articles-cited-together")
    got = {
        tuple(sorted((keys[r["first"]], keys[r["second"]]))): int(r["recommendations"])
        for r in answer
    }
    assert got == dict(expected)
    assert expected, "the corpus has recommendations citing two articles"


def test_recommendations_by_addressee(store: pyoxigraph.Store) -> None:
    expected = Counter(
        rec["addressee"]
        for rec in gold_recommendations().values()
        if rec.get("addressee")
    )
    answer = run(store, "recommendations-by-addressee")
    got = {r["label"]: int(r["recommendations"]) for r in answer}
    assert sum(got.values()) == sum(expected.values())
    assert sorted(got.values(), reverse=True) == sorted(expected.values(), reverse=True)
    meetings_of = defaultdict(set)
    for (m, _), rec in gold_recommendations().items():
        if rec.get("addressee"):
            meetings_of[rec["addressee"]].add(m)
    by_count = {n: label for label, n in got.items()}
    top = expected.most_common(1)[0][0]
    top_row = next(r for r in answer if r["label"] == by_count[expected[top]])
    assert {int(m) for m in top_row["meetings"].split()} == meetings_of[top]


def test_recommendations_addressed_to_the_secretariat_are_those_the_gold_lists(
    store: pyoxigraph.Store,
) -> None:
    """Whom a recommendation asks to act, not who adopted it: "The Working Group requested the
    Secretariat to ..." is addressed to the Secretariat."""
    expected = {
        key for key, rec in gold_recommendations().items() if rec.get("addressee") == "The Secretariat"
    }
    answer = store.query(
        """PREFIX untoc: <https://w3id.org/untoc-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?ordinal ?position WHERE {
          ?r untoc:addressee/rdfs:label "Secretariat"@en ;
             untoc:position ?position ; untoc:adoptedAt/untoc:ordinal ?ordinal }"""
    )
    got = {(int(s["ordinal"].value), int(s["position"].value)) for s in answer}
    assert got == expected
    assert len(expected) >= 3


def test_recommendations_in_several_documents(store: pyoxigraph.Store) -> None:
    meeting = 2
    printed_in = defaultdict(set)
    for doc in gold_documents():
        for rec in doc["recommendations"]:
            if rec["meeting"] == meeting:
                printed_in[rec["seq"]].add(doc["document"])
    expected = {seq for seq, docs in printed_in.items() if len(docs) > 1}
    answer = run(store, "recommendations-in-several-documents", meeting=meeting)
    assert {int(r["position"]) for r in answer} == expected
    assert expected and all(int(r["documents"]) >= 2 for r in answer)


def test_states_attending_both_meetings(store: pyoxigraph.Store) -> None:
    first, second = 2, 3
    attendance = gold_attendance()
    # the gold names States as printed; the graph's labels (and alternative labels) say which
    # State resource each printed name is
    names = store.query(
        """SELECT ?s ?name WHERE { ?s a <https://w3id.org/untoc-kg/ontology#State> ;
           <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?name }"""
    )
    state_of = {s["name"].value: s["s"].value for s in names}
    parties = [
        {state_of[n] for n in attendance[m]["states_parties"]} for m in (first, second)
    ]
    expected = parties[0] & parties[1]
    answer = run(store, "states-attending-both-meetings", first=first, second=second)
    assert {r["state"] for r in answer} == expected
    assert len(expected) > 10


def test_parameters_are_checked_and_bound_by_values() -> None:
    query = parse_query(
        "t",
        "# title: T\n# param: n integer   a number\n# param: who string?  optional\n"
        "SELECT ?x WHERE { ?x ?p ?n }\n",
    )
    assert "VALUES (?n) {" in bound_text(query, {"n": "3"})
    assert '"3"^^<http://www.w3.org/2001/XMLSchema#integer>' in bound_text(
        query, {"n": "3"}
    )
    with pytest.raises(QueryParameterError, match="needs --param n"):
        bound_text(query, {})
    with pytest.raises(QueryParameterError, match="must be an integer"):
        bound_text(query, {"n": "three"})
    with pytest.raises(QueryParameterError, match="no parameter colour"):
        bound_text(query, {"n": "1", "colour": "red"})


def test_graph_updates(store: pyoxigraph.Store) -> None:
    """The corpus build is one update that brought every corpus file, checksums included (the
    add/remove side, with documents withdrawn, is checked in tests/test_add.py)."""
    import hashlib

    from untoc_kg.corpus import corpus_files

    answer = run(store, "graph-updates")
    assert len({r["update"] for r in answer}) == 1
    assert {r["change"] for r in answer} == {"brought"}
    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus_files()}
    assert {r["sha256"] for r in answer} == expected
    assert all(r["document"] and "/document/" in r["document"] for r in answer)


# -- review recommendations (the Universal Periodic Review), on a build of our own review texts --

REVIEW_TEXTS = Path(__file__).parent / "texts"


@pytest.fixture(scope="module")
def review_build(tmp_path_factory: pytest.TempPathFactory):
    """Our review reports, and a second report of one of their sessions on another State (one
    session reviews several States, each report numbering from 1), built and published."""
    from datetime import datetime

    from untoc_kg import publish
    from untoc_kg.settings import DEFAULT_BASE_URI

    folder = tmp_path_factory.mktemp("review-texts")
    decimal = (REVIEW_TEXTS / "upr_wg_decimal.txt").read_text(encoding="utf-8")
    other = decimal.replace("Norway", "Chile").replace("A/HRC/98/12", "A/HRC/98/13")
    (folder / "upr_wg_decimal_chile.txt").write_text(other, encoding="utf-8")
    files = [REVIEW_TEXTS / "upr_wg_layout.txt", REVIEW_TEXTS / "upr_wg_decimal.txt", folder / "upr_wg_decimal_chile.txt"]
    result = publish.build(files, tmp_path_factory.mktemp("review-build"), DEFAULT_BASE_URI,
                            build_time=datetime.fromisoformat("2031-05-01T00:00:00+00:00"))
    assert result.published is not None, result.validation.report_text
    return result, files


def _review_records(files):
    from untoc_kg.extract import extract_document
    from untoc_kg.extract.entities import resolve_state

    return [
        (resolve_state(r.addressee), r.meeting, r.seq, r.standing, {resolve_state(n) for n in r.recommending_states})
        for f in files
        for r in extract_document(f).recommendations
    ]


def test_recommendations_made_by_state(review_build) -> None:
    result, files = review_build
    store = open_store(result.published.store_path)
    expected = {
        (reviewed, meeting, seq, standing)
        for reviewed, meeting, seq, standing, by in _review_records(files)
        if "GHA" in by
    }
    answer = run(store, "recommendations-made-by-state", state="GHA")
    assert {(r["reviewed"], int(r["session"]), int(r["position"]), r.get("standing")) for r in answer} == expected
    assert {r["reviewed"] for r in answer} == {"NOR", "CHL"}  # the same session, two reports
    assert len({r["recommendation"] for r in answer}) == len(answer) == len(expected)
    only_chile = run(store, "recommendations-made-by-state", state="GHA", reviewed="CHL")
    assert {r["reviewed"] for r in only_chile} == {"CHL"} and len(only_chile) == len(expected) // 2


def test_recommendations_received_by_state(review_build) -> None:
    result, files = review_build
    store = open_store(result.published.store_path)
    counts: Counter[str] = Counter()
    supported: Counter[str] = Counter()
    for reviewed, _, _, standing, by in _review_records(files):
        if reviewed == "NOR":
            for code in by:
                counts[code] += 1
                supported[code] += standing == "supported"
    answer = run(store, "recommendations-received-by-state", state="NOR")
    assert {r["recommender"]: int(r["recommendations"]) for r in answer} == dict(counts)
    assert {r["recommender"]: int(r["supportedCount"]) for r in answer} == dict(supported)
    assert [int(r["recommendations"]) for r in answer] == sorted((int(r["recommendations"]) for r in answer), reverse=True)
