"""A meeting whose report prints no ordinal (issue 13, item 6) is kept, known by its body and the
day it began: `meeting/<body>/<YYYY-MM-DD>`, its recommendations dated and their URIs stable
across rebuilds; the build publishes and conforms; an add gives what a full build gives; the
shapes hold such a meeting to its day. Built from our own text (tests/texts/wg_unnumbered_meeting.txt)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from untoc_kg import publish
from untoc_kg.corpus import corpus_files
from untoc_kg.datadir import current_build, open_store
from untoc_kg.extract import extract_document, extract_text
from untoc_kg.graph import build_graph
from untoc_kg.publish.update import update
from untoc_kg.settings import DEFAULT_BASE_URI as BASE
from untoc_kg.shapes import validate
from untoc_kg.vocab import SCHEMA, UNTOC, XSD

TEXT = Path(__file__).parent / "texts" / "wg_unnumbered_meeting.txt"
TIME = datetime(2033, 6, 1, tzinfo=UTC)
MEETING = BASE + "meeting/ctoc-cop-wg7/2033-04-04"
RECOMMENDATIONS = [BASE + f"recommendation/ctoc-cop-wg7/2033-04-04/{n}" for n in (1, 2, 3)]


@pytest.fixture(scope="module")
def later_text(tmp_path_factory) -> Path:
    """The same body's next meeting, also without an ordinal, a year later."""
    path = tmp_path_factory.mktemp("texts") / "wg_unnumbered_meeting_2034.txt"
    text = TEXT.read_text(encoding="utf-8").replace("2033", "2034")
    path.write_text(text, encoding="utf-8")
    return path


def copy_of(graph: Graph) -> Graph:
    copied = Graph()
    for triple in graph:
        copied.add(triple)
    return copied


def subjects(data_dir: Path) -> set[str]:
    return {q.subject.value for q in open_store(current_build(data_dir).store_path)}


def unit_triples(data_dir: Path) -> set[tuple[str, str, str]]:
    """The triples of the meeting's units (the meeting, its recommendations, its report)."""
    return {
        (q.subject.value, q.predicate.value, str(q.object))
        for q in open_store(current_build(data_dir).store_path)
        if "/2033-04-04" in q.subject.value or "/2034-04-04" in q.subject.value
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory, later_text):
    data_dir = tmp_path_factory.mktemp("unnumbered")
    files = [TEXT, later_text, corpus_files()[0]]
    result = publish.build(files, data_dir, BASE, build_time=TIME)
    return data_dir, result


def test_the_build_publishes_and_conforms(built) -> None:
    data_dir, result = built
    assert result.published is not None, result.validation.report_text
    assert result.validation.conforms
    store = open_store(current_build(data_dir).store_path)
    meeting = pyoxigraph.NamedNode(MEETING)
    start = [q.object.value for q in store.quads_for_pattern(meeting, pyoxigraph.NamedNode(str(SCHEMA.startDate)), None)]
    assert start == ["2033-04-04"]
    assert not list(store.quads_for_pattern(meeting, pyoxigraph.NamedNode(str(UNTOC.ordinal)), None))
    for uri in RECOMMENDATIONS:
        adopted = list(store.quads_for_pattern(pyoxigraph.NamedNode(uri), pyoxigraph.NamedNode(str(UNTOC.adoptedAt)), None))
        assert [q.object.value for q in adopted] == [MEETING]


def test_two_meetings_without_ordinals_are_kept_apart(built) -> None:
    data_dir, _ = built
    found = subjects(data_dir)
    assert {MEETING, BASE + "meeting/ctoc-cop-wg7/2034-04-04"} <= found
    assert BASE + "document/ctoc-cop-wg7/report/2033-04-04" in found
    assert BASE + "document/ctoc-cop-wg7/report/2034-04-04" in found
    assert BASE + "recommendation/ctoc-cop-wg7/2034-04-04/3" in found
    assert not any(s.startswith(BASE + "meeting/ctoc-cop-wg7/0") for s in found)


def test_the_uris_are_stable_across_rebuilds(built, later_text, tmp_path) -> None:
    data_dir, _ = built
    again = tmp_path / "again"
    result = publish.build([corpus_files()[0], later_text, TEXT], again, BASE, build_time=TIME)
    assert result.published is not None
    assert len(unit_triples(data_dir)) > 50
    assert unit_triples(again) == unit_triples(data_dir)
    assert set(RECOMMENDATIONS) <= subjects(again)


def test_adding_one_by_one_gives_the_meeting_a_full_build_gives(built, later_text, tmp_path) -> None:
    data_dir, _ = built
    living = tmp_path / "living"
    for path in (later_text, corpus_files()[0], TEXT):
        result = update(living, added=[extract_document(path)], time=TIME)
        assert result.ok, result.validation.report_text
    assert unit_triples(living) == unit_triples(data_dir)


def test_the_shapes_hold_such_a_meeting_to_its_day() -> None:
    document = extract_document(TEXT)
    graph = build_graph([document], base_uri=BASE, build_time=TIME, tool_version="test").graph
    assert validate(graph).conforms
    meeting = URIRef(MEETING)
    numbered = copy_of(graph)
    numbered.add((meeting, UNTOC.ordinal, Literal(1, datatype=XSD.positiveInteger)))
    result = validate(numbered)
    assert not result.conforms and "known by the day it began" in result.report_text
    moved = copy_of(graph)
    moved.remove((meeting, SCHEMA.startDate, None))
    moved.add((meeting, SCHEMA.startDate, Literal("2033-04-05", datatype=XSD.date)))
    result = validate(moved)
    assert not result.conforms and "known by the day it began" in result.report_text


def test_a_numbered_meeting_still_needs_its_number() -> None:
    document = extract_text(TEXT.read_text(encoding="utf-8").replace(
        "Report on the meeting of", "Report on the third meeting of"), "third.txt")
    assert document.meetings[0].ordinal == 3
    graph = build_graph([document], base_uri=BASE, build_time=TIME, tool_version="test").graph
    meeting = URIRef(BASE + "meeting/ctoc-cop-wg7/3")
    assert validate(graph).conforms
    unnumbered = copy_of(graph)
    unnumbered.remove((meeting, UNTOC.ordinal, None))
    result = validate(unnumbered)
    assert not result.conforms and "exactly one number" in result.report_text
