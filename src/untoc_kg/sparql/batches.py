"""The published triples in batches for a store: the same batches for the same build on every
run, and the triples of one blank node never split (every request is its own document, with
fresh blank nodes)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
from pyoxigraph import BlankNode, Triple

from untoc_kg.datadir.layout import PublishedBuild, open_store


def blank_nodes(triple: Triple) -> list[BlankNode]:
    return [t for t in (triple.subject, triple.object) if isinstance(t, BlankNode)]


def published_triples(build: PublishedBuild) -> Iterator[Triple]:
    """The triples the build serves: its store's default graph, in index order."""
    store = open_store(build.store_path)
    for quad in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()):
        yield quad.triple


def batches(triples: Iterator[Triple], batch_size: int) -> Iterator[list[Triple]]:
    """`triples` in batches of at most `batch_size` (a blank-node group bigger than that is
    one batch of its own); the same batches for the same triples in the same order."""
    plain: list[Triple] = []
    groups: dict[BlankNode, list[Triple]] = {}  # blank node -> its group (shared list)
    for triple in triples:
        blanks = blank_nodes(triple)
        if not blanks:
            plain.append(triple)
            if len(plain) >= batch_size:
                yield plain
                plain = []
            continue
        group = groups.get(blanks[0])
        for other in blanks[1:]:  # two groups meet: merge them
            second = groups.get(other)
            if group is None:
                group = second
            elif second is not None and second is not group:
                group.extend(second)
                for node in _blank_nodes_of(second):
                    groups[node] = group
        if group is None:
            group = []
        group.append(triple)
        for node in blanks:
            groups[node] = group
    if plain:
        yield plain
    batch: list[Triple] = []
    for group in _distinct(groups.values()):
        if batch and len(batch) + len(group) > batch_size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _blank_nodes_of(triples: list[Triple]) -> set[BlankNode]:
    return {node for t in triples for node in blank_nodes(t)}


def _distinct(groups: Iterator[list[Triple]] | object) -> list[list[Triple]]:
    """Each group once, in the order its first blank node appeared."""
    seen: set[int] = set()
    kept = []
    for group in groups:  # type: ignore[attr-defined]
        if id(group) not in seen:
            seen.add(id(group))
            kept.append(group)
    return kept


def ntriples(triples: list[Triple]) -> bytes:
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
