"""A SPARQL 1.1 store elsewhere, read through the SPARQL 1.1 Protocol as if it were the embedded
store: `RemoteStore` offers the part of `pyoxigraph.Store` the server uses (`query`,
`quads_for_pattern`) and answers with pyoxigraph's own result types, parsed by pyoxigraph from
the store's SPARQL JSON and N-Triples, so every page, description and endpoint answer is made by
the same code whichever store holds the data.

The published graph lives in one graph of the remote store (`graph`, or its default graph): every
query is sent with that graph as the protocol's `default-graph-uri`, which replaces any dataset
the query text names, so the server's queries see exactly the published triples and nothing else
the store holds (Virtuoso's default graph, for one, is the union of all its graphs).

Blank nodes cannot be named in a query, so the blank nodes a pattern's answer leads to (a
recommendation's sub-items) come back in the same answer, two levels deep, and are remembered:
asking next for the triples of such a blank node, as a Concise Bounded Description does, is
answered from that memory. The labels of the things an answer links to come along the same way:
a description and its page ask for them next, one pattern each, which over HTTP would be hundreds
of round trips for a meeting.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import httpx
import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from untoc_kg.sparql.client import SparqlClient, http_client
from untoc_kg.sparql.http_stream import ResponseReader, is_virtuoso, virtuoso_json_fixed
from untoc_kg.sparql.labels import LABEL_PROPERTIES
from untoc_kg.sparql.prologue import with_prologue
from untoc_kg.sparql.query_screening import ResultKind, screen
from untoc_kg.errors import RemoteQueryError, RemoteStoreError

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
ANSWER_TYPES = f"{SPARQL_JSON}, {N_TRIPLES};q=0.9, text/turtle;q=0.8"
"""SELECT and ASK answers as SPARQL JSON, CONSTRUCT and DESCRIBE as N-Triples (Turtle for
stores that only write that)."""
GRAPH_TYPES = f"{N_TRIPLES}, text/turtle;q=0.8"
DEFAULT_TIMEOUT_SECONDS = 30.0
BLANK_NODES_REMEMBERED = 4096
LABELS_REMEMBERED = 100_000
ANSWERS_REMEMBERED = 1024
ANSWER_REMEMBERED_MAX_TRIPLES = 2000
NO_GRAPH = "urn:x-untoc-kg:no-such-graph"
"""Sent for every graph a client's protocol dataset names: in the embedded store every named
graph is empty, so these must be too, and no other graph of the remote store may leak out."""
VIRTUOSO_ASK = "__ASK_RETVAL"
_FORMATS = {
    SPARQL_JSON: pyoxigraph.QueryResultsFormat.JSON,
    "application/json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    N_TRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    "text/plain": pyoxigraph.RdfFormat.N_TRIPLES,
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
}






@dataclass(frozen=True)
class RemoteEndpoint:
    """Where the published graph is served from: a SPARQL query endpoint and the graph in it.
    Picklable, so query worker processes open their own connections."""

    url: str
    graph: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    def open(self, streaming: bool = False) -> RemoteStore:
        return RemoteStore(self, streaming=streaming)


def _bindings(row: pyoxigraph.QuerySolution, solutions: pyoxigraph.QuerySolutions) -> dict:
    """A solution as a dict of its bound variables."""
    return {
        variable.value: row[variable]
        for variable in solutions.variables
        if row[variable] is not None
    }


def _accept(query: str) -> str:
    """The Accept header for `query`: only the formats of its kind of answer, when its text
    tells (Virtuoso 7.2 answers a CONSTRUCT in SPARQL JSON if that is listed first, whatever
    the q-values)."""
    kind = screen(query).kind
    if kind is ResultKind.GRAPH:
        return GRAPH_TYPES
    if kind is not None:
        return SPARQL_JSON
    return ANSWER_TYPES


def _boolean_if_ask(
    answer: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean,
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
    """Virtuoso 7.2 answers ASK with one solution binding `__ASK_RETVAL` to 1 or 0, in every
    results format; that is the boolean answer."""
    if not isinstance(answer, pyoxigraph.QuerySolutions):
        return answer
    if [v.value for v in answer.variables] != [VIRTUOSO_ASK]:
        return answer
    value = next((row[VIRTUOSO_ASK] for row in answer), None)
    truth = value is not None and value.value not in ("0", "false")
    return pyoxigraph.parse_query_results(
        b'{"head": {}, "boolean": %s}' % (b"true" if truth else b"false"),
        format=pyoxigraph.QueryResultsFormat.JSON,
    )


def _term(node: object) -> str:
    """A bound term written into query text (N-Triples form, which escapes what it holds)."""
    return str(node)


class RemoteStore:
    """The published graph in a remote SPARQL store; safe to share between threads."""

    def __init__(
        self,
        endpoint: RemoteEndpoint,
        client: httpx.Client | None = None,
        *,
        streaming: bool = False,
    ) -> None:
        """`streaming`: answers are parsed while they arrive, and each query closes the answer
        of the one before (for one caller at a time: a query worker). Otherwise every answer is
        read whole, and the store may be shared between threads."""
        self.endpoint = endpoint
        self._streaming = streaming
        self._open_answer: httpx.Response | None = None
        self._sparql = SparqlClient(
            client or http_client(endpoint.url, timeout=endpoint.timeout_seconds, connect=5.0),
            RemoteStoreError,
        )
        self._blank: OrderedDict[BlankNode, list[Triple]] = OrderedDict()
        self._labels: OrderedDict[tuple[NamedNode, NamedNode], list[object]] = OrderedDict()
        """(thing, label property) -> its labels: a build's graph never changes, so what was
        learnt stays true while this store serves that build."""
        self._answers: OrderedDict[tuple[object, object, object], list[Quad]] = OrderedDict()
        """Recent pattern answers: a resource is asked for twice in a row (does it exist, then
        its description)."""
        self._lock = threading.Lock()

    # -- the protocol ----------------------------------------------------------------------------

    def _dataset(
        self, default_graph: Sequence[object] | None, named_graphs: Sequence[object] | None
    ) -> list[tuple[str, str]]:
        if default_graph is not None or named_graphs is not None:
            return [("default-graph-uri", NO_GRAPH)] + [
                ("named-graph-uri", NO_GRAPH) for _ in named_graphs or ()
            ]
        if self.endpoint.graph is None:
            return []
        return [("default-graph-uri", self.endpoint.graph)]

    def _post(self, query: str, dataset: list[tuple[str, str]], accept: str) -> httpx.Response:
        self._release()
        response = self._sparql.query(self.endpoint.url, query, dataset, accept, stream=self._streaming)
        if self._streaming:
            self._open_answer = response
            if response.status_code >= 300:
                response.read()
        if response.status_code == 400:
            raise RemoteQueryError(" ".join(response.text.split())[:500] or "rejected")
        return self._sparql.ok(response)

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        default_graph: Sequence[object] | None = None,
        named_graphs: Sequence[object] | None = None,
        prefixes: Mapping[str, str] | None = None,
        **_: object,
    ) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | Iterator[Triple]:
        """Evaluate `query` on the remote store: solutions, a boolean, or triples, as
        `pyoxigraph.Store.query` answers."""
        if prefixes:
            query = with_prologue(query, prefixes)  # the protocol has no predeclared prefixes
        if base_iri is not None:
            # The protocol has no base IRI parameter; a BASE before the query's own prologue
            # means the same, and a BASE the query declares itself still wins.
            query = f"BASE <{base_iri}>\n{query}"
        response = self._post(query, self._dataset(default_graph, named_graphs), _accept(query))
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = _FORMATS.get(media_type)
        if fmt is None:
            raise RemoteStoreError(
                f"{self.endpoint.url} answered in {media_type or 'an unnamed format'}, "
                f"which is not one of: {ANSWER_TYPES}"
            )
        json = fmt is pyoxigraph.QueryResultsFormat.JSON
        body: bytes | io.BufferedReader
        if self._streaming:
            body = io.BufferedReader(ResponseReader(response, json and is_virtuoso(response)))
        else:
            body = virtuoso_json_fixed(response.content) if json else response.content
        if isinstance(fmt, pyoxigraph.QueryResultsFormat):
            return _boolean_if_ask(pyoxigraph.parse_query_results(body, format=fmt))
        return (quad.triple for quad in pyoxigraph.parse(body, format=fmt))

    def _release(self) -> None:
        """Close the answer a streaming store still reads (the caller has taken what it
        wanted: the row cap), giving its connection back."""
        if self._open_answer is not None:
            self._open_answer.close()
            self._open_answer = None

    # -- patterns --------------------------------------------------------------------------------

    def quads_for_pattern(
        self,
        subject: object = None,
        predicate: object = None,
        object: object = None,
        graph_name: object = None,
    ) -> Iterator[Quad]:
        """The triples matching the pattern, as quads of the default graph (the published graph
        is the default graph of every query)."""
        if isinstance(subject, BlankNode) or isinstance(object, BlankNode):
            yield from self._remembered(subject, predicate, object)
            return
        is_label = predicate in LABEL_PROPERTIES
        if isinstance(subject, NamedNode) and is_label and object is None:
            labels = self._labels.get((subject, predicate))
            if labels is not None:
                for label in labels:
                    yield Quad(subject, predicate, label, DefaultGraph())
                return
        key = (subject, predicate, object)
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
        if answer is None:
            answer = self._fetch(subject, predicate, object)
            if len(answer) <= ANSWER_REMEMBERED_MAX_TRIPLES:
                with self._lock:
                    self._answers[key] = answer
                    while len(self._answers) > ANSWERS_REMEMBERED:
                        self._answers.popitem(last=False)
        yield from answer

    def _fetch(self, subject: object, predicate: object, object: object) -> list[Quad]:
        pattern = " ".join(
            _term(term) if term is not None else f"?{name}"
            for name, term in (("s", subject), ("p", predicate), ("o", object))
        )
        # The blank nodes an answer leads to come along (two levels), since they cannot be
        # asked for by name afterwards; and so do the labels of the things it links to, which
        # a description and a page ask for next, one by one (a meeting links to a hundred).
        closures_asked = []
        labelled = None
        if object is None:
            closures_asked.append(("o", "p1", "o1"))
            closures_asked.append(("o1", "p2", "o2"))
            pattern += (
                " OPTIONAL { ?o ?p1 ?o1 FILTER(isBlank(?o))"
                " OPTIONAL { ?o1 ?p2 ?o2 FILTER(isBlank(?o1)) } }"
            )
            labelled = "o"
        if subject is None:
            closures_asked.append(("s", "p3", "o3"))
            pattern += " OPTIONAL { ?s ?p3 ?o3 FILTER(isBlank(?s)) }"
            labelled = "s" if labelled is None else None
        if labelled:
            pattern += "".join(
                f" OPTIONAL {{ ?{labelled} {_term(prop)} ?label{index} }}"
                for index, prop in enumerate(LABEL_PROPERTIES)
            )
        solutions = self.query(f"SELECT * WHERE {{ {pattern} }}")
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        quads: dict[Triple, Quad] = {}
        closures: dict[BlankNode, set[Triple]] = {}
        labels: dict[tuple[NamedNode, NamedNode], set[object]] = {}
        for row in solutions:
            bound = _bindings(row, solutions)
            triple = Triple(
                subject if subject is not None else bound["s"],
                predicate if predicate is not None else bound["p"],
                object if object is not None else bound["o"],
            )
            if triple not in quads:
                quads[triple] = Quad(*triple, DefaultGraph())
            for node_name, p_name, o_name in closures_asked:
                node, p, o = bound.get(node_name), bound.get(p_name), bound.get(o_name)
                if isinstance(node, BlankNode) and p is not None and o is not None:
                    closures.setdefault(node, set()).add(Triple(node, p, o))
            node = bound.get(labelled) if labelled else None
            if isinstance(node, NamedNode):
                for index, prop in enumerate(LABEL_PROPERTIES):
                    found = labels.setdefault((node, prop), set())
                    if f"label{index}" in bound:
                        found.add(bound[f"label{index}"])
        self._remember(closures, labels)
        return list(quads.values())

    def _remember(
        self,
        closures: dict[BlankNode, set[Triple]],
        labels: dict[tuple[NamedNode, NamedNode], set[object]],
    ) -> None:
        with self._lock:
            for node, triples in closures.items():
                self._blank[node] = sorted(triples, key=str)
                self._blank.move_to_end(node)
            while len(self._blank) > BLANK_NODES_REMEMBERED:
                self._blank.popitem(last=False)
            for key, found in labels.items():
                self._labels[key] = sorted(found, key=str)
                self._labels.move_to_end(key)
            while len(self._labels) > LABELS_REMEMBERED:
                self._labels.popitem(last=False)

    def _remembered(self, subject: object, predicate: object, object: object) -> Iterator[Quad]:
        if not isinstance(subject, BlankNode):
            return  # triples pointing at a blank node: only its own subject knows it
        with self._lock:
            triples = list(self._blank.get(subject, ()))
        for triple in triples:
            if predicate is not None and triple.predicate != predicate:
                continue
            if object is not None and triple.object != object:
                continue
            yield Quad(triple.subject, triple.predicate, triple.object, DefaultGraph())

    def close(self) -> None:
        self._release()
        self._sparql.close()
