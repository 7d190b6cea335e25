"""Review recommendations in the graph (issue 13): the States that made them and the State under
review as the same `state/XXX` resources an attendance list names, URIs that keep apart the
reports of one session on different States, the streamed build equal to the whole-graph build,
and the shapes satisfied. Built from our own review texts (tests/texts/upr_*)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from untoc_kg.corpus import corpus_files
from untoc_kg.extract import extract_document, extract_text
from untoc_kg.graph import Minter, build_graph
from untoc_kg.graph.partitions import partitions, spool
from untoc_kg.vocab import UNTOC
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.shapes import validate

TEXTS = Path(__file__).parent / "texts"
BUILD_TIME = datetime(2031, 5, 1, tzinfo=UTC)
BASE = DEFAULT_BASE_URI


@pytest.fixture(scope="module")
def documents():
    decimal = (TEXTS / "upr_wg_decimal.txt").read_text(encoding="utf-8")
    other = decimal.replace("Norway", "Chile").replace("A/HRC/98/12", "A/HRC/98/13")
    return [
        extract_document(TEXTS / "upr_wg_layout.txt"),
        extract_document(TEXTS / "upr_wg_decimal.txt"),
        extract_text(other, "upr_wg_decimal_chile.txt"),
        extract_document(corpus_files()[0]),
    ]


@pytest.fixture(scope="module")
def graph(documents):
    return build_graph(documents, base_uri=BASE, build_time=BUILD_TIME, tool_version="test").graph


def test_reports_of_one_session_on_two_states_keep_their_recommendations_apart(graph) -> None:
    norway = URIRef(BASE + "recommendation/a-hrc-wg6/50/nor/1")
    chile = URIRef(BASE + "recommendation/a-hrc-wg6/50/chl/1")
    assert (norway, UNTOC.stateUnderReview, URIRef(BASE + "state/NOR")) in graph
    assert (chile, UNTOC.stateUnderReview, URIRef(BASE + "state/CHL")) in graph
    assert (norway, UNTOC.adoptedAt, URIRef(BASE + "meeting/a-hrc-wg6/50")) in graph
    assert (chile, UNTOC.adoptedAt, URIRef(BASE + "meeting/a-hrc-wg6/50")) in graph
    reviewed = [r for r in graph.subjects(UNTOC.stateUnderReview, None)]
    assert len(reviewed) == 5 + 5 + 5


def test_recommending_states_are_the_state_resources(graph, documents) -> None:
    merged = URIRef(BASE + "recommendation/a-hrc-wg6/50/nor/4")  # "(Peru); ... (Ghana)"
    assert set(graph.objects(merged, UNTOC.recommendedBy)) == {
        URIRef(BASE + "state/PER"), URIRef(BASE + "state/GHA")
    }
    nested = URIRef(BASE + "recommendation/a-hrc-wg6/51/prt/3")  # "(Iran (Islamic Republic of))"
    assert set(graph.objects(nested, UNTOC.recommendedBy)) == {URIRef(BASE + "state/IRN")}
    # every recommending State is a typed State, named as the reports print it
    for state in set(graph.objects(None, UNTOC.recommendedBy)):
        assert (state, None, UNTOC.State) in graph or any(graph.triples((state, None, UNTOC.State)))
    # the same resource as the UNTOC attendance lists name
    attended = set(graph.objects(None, UNTOC.attendee))
    assert attended & set(graph.objects(None, UNTOC.recommendedBy))


def test_standing_in_the_graph(graph) -> None:
    assert (URIRef(BASE + "recommendation/a-hrc-wg6/50/nor/1"), UNTOC.standing, Literal("supported")) in graph
    assert (URIRef(BASE + "recommendation/a-hrc-wg6/50/nor/5"), UNTOC.standing, Literal("noted")) in graph


def test_the_graph_satisfies_the_shapes(graph) -> None:
    result = validate(graph)
    assert result.conforms, result.report_text


def test_the_streamed_build_is_the_whole_graph(documents, graph, tmp_path) -> None:
    whole = build_graph(documents, base_uri=BASE, build_time=BUILD_TIME, tool_version="test").graph
    spooled = spool(iter(documents), tmp_path)
    union = set().union(*(set(p.triples) for p in partitions(spooled, Minter(BASE), BUILD_TIME, "test")))
    assert union == set(whole)


def test_adding_the_review_reports_one_at_a_time_gives_the_states_a_build_gives(documents, tmp_path) -> None:
    """A troika member or a delegation that spoke is a State resource though no recommendation or
    attendance links to it: an add must make it as the full build does."""
    from untoc_kg.datadir import current_build, open_store
    from untoc_kg.publish.build import build_documents
    from untoc_kg.publish.update import update

    def states(data_dir: Path) -> set[tuple[str, str, str]]:
        store = open_store(current_build(data_dir).store_path)
        return {(q.subject.value, q.predicate.value, str(q.object)) for q in store if "/state/" in q.subject.value}

    full = build_documents(documents, tmp_path / "full", BASE, build_time=BUILD_TIME)
    assert full.published is not None, full.validation.report_text
    for document in documents:
        assert update(tmp_path / "living", added=[document], time=BUILD_TIME).ok
    named_only = {c for d in documents for m in d.meetings for _, c in m.named_states} - {
        c for d in documents for r in d.recommendations for _, c in r.recommenders
    }
    assert named_only  # the texts name States that made no recommendation
    assert states(tmp_path / "living") == states(tmp_path / "full")
