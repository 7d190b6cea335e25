"""What a resource's RDF says: its Concise Bounded Description, the labels of what it links to,
and (bounded) the links pointing at it. The one description behind every format of a resource,
its page's embedded JSON-LD included."""

from __future__ import annotations

from itertools import islice

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Store, Triple

from untoc_kg.sparql.labels import LABEL_PROPERTIES

INVERSE_LIMIT = 1000
"""Links pointing at a resource included in its RDF; its page pages through all of them."""

DEFAULT = DefaultGraph()


def exists(store: Store, iri: str) -> bool:
    """Does the served graph say anything about `iri`, as subject or as object?"""
    node = NamedNode(iri)
    return any(True for _ in store.quads_for_pattern(node, None, None, DEFAULT)) or any(
        True for _ in store.quads_for_pattern(None, None, node, DEFAULT)
    )


def _bounded(store: Store, node: NamedNode | BlankNode, seen: set[BlankNode]) -> list[Triple]:
    """The triples of `node`, and of the blank nodes they lead to (a Concise Bounded
    Description, RDF-style: blank nodes have no URI to fetch them by, so they travel along)."""
    triples: list[Triple] = []
    todo = [node]
    while todo:
        subject = todo.pop()
        for quad in store.quads_for_pattern(subject, None, None, DEFAULT):
            triples.append(quad.triple)
            if isinstance(quad.object, BlankNode) and quad.object not in seen:
                seen.add(quad.object)
                todo.append(quad.object)
    return triples


def labels_of(store: Store, nodes: set[NamedNode]) -> list[Triple]:
    return [
        quad.triple
        for node in nodes
        for prop in LABEL_PROPERTIES
        for quad in store.quads_for_pattern(node, prop, None, DEFAULT)
    ]


RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _reading_order(triple: Triple) -> tuple[bool, str, str]:
    """What a reader of the Turtle wants first: the types, then the properties alphabetically."""
    return (triple.predicate != RDF_TYPE, triple.predicate.value, str(triple.object))


def describe(store: Store, iri: str, inverse_limit: int = INVERSE_LIMIT) -> list[Triple]:
    """The RDF served for `iri`, without duplicates, in a stable order: the resource's own
    statements (types first), the blank nodes they lead to, the links pointing at it, the labels
    of what it links to. Turtle writes each subject's run of triples as one block."""
    node = NamedNode(iri)
    seen: set[BlankNode] = set()
    forward = _bounded(store, node, seen)
    own = sorted((t for t in forward if t.subject == node), key=_reading_order)
    forward = own + [t for t in forward if t.subject != node]
    inverse = [
        quad.triple
        for quad in islice(store.quads_for_pattern(None, None, node, DEFAULT), inverse_limit)
    ]
    for triple in list(inverse):
        if isinstance(triple.subject, BlankNode) and triple.subject not in seen:
            seen.add(triple.subject)
            inverse += _bounded(store, triple.subject, seen)
    linked = {t.object for t in forward + inverse if isinstance(t.object, NamedNode)}
    linked |= {t.subject for t in inverse if isinstance(t.subject, NamedNode)}
    linked.discard(node)
    blocks: dict[object, list[Triple]] = {}  # subject -> its triples, in order of first mention
    for triple in dict.fromkeys(forward + inverse + labels_of(store, linked)):
        blocks.setdefault(triple.subject, []).append(triple)
    return [triple for block in blocks.values() for triple in block]
