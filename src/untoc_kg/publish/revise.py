"""The pure heart of an update: the records touching the changed units, before and after -> the
subjects whose triples are replaced and the triples that replace them.

`units` explains ownership. For every unit a changed document touches, every document touching it
is in `context` (the index says which), so the triples generated from `context` are exactly the
full build's for those units: a recommendation's printings, a meeting's records and every
recommendation adopted there (their sections are the meeting's), a person's mentions. Subjects
keyed by what they are (articles, addressees, bodies) come out the same from any documents, so
they are only added; those no triple points to any more are collected by `update`. States and
organisations are made from the whole corpus's counts in the `Index`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from untoc_kg.records import Document
from untoc_kg.graph.agents import organizations_triples, state_codes, states_triples
from untoc_kg.graph.documents import document_triples
from untoc_kg.graph.meetings import meeting_core_triples, meeting_triples
from untoc_kg.graph.merge import merge_documents, merge_meetings, merge_recommendations
from untoc_kg.graph.recommendations import recommendation_triples
from untoc_kg.graph.reference_data import body_triples
from untoc_kg.graph.triples import Triple
from untoc_kg.graph.uris import Minter
from untoc_kg.reference import bodies

from untoc_kg.datadir.records import Index
from untoc_kg.graph.units import AGGREGATES, kind, owner


def unit_triples(
    mint: Minter,
    documents: Sequence[Document],
    names: Mapping[str, str],
    codes: Mapping[str, str],
) -> Iterator[Triple]:
    """The triples of the documents, meetings, recommendations and bodies of `documents`, as
    `untoc_kg.graph.data_triples` makes them with the corpus-wide `names` and `codes` (States,
    organisations, provenance and the dataset are left out: see `aggregate_triples`)."""
    merged_documents = merge_documents(list(documents))
    for symbol in sorted(
        {d.body.symbol or d.body.name for d in documents} - set(bodies())
    ):
        yield from body_triples(
            mint, symbol if symbol in names else None, names.get(symbol, symbol)
        )
    for merged in merged_documents:
        yield from document_triples(mint, merged)
    for meeting in merge_meetings(merged_documents):
        yield from meeting_triples(
            mint, meeting, names.get(meeting.body_symbol, meeting.body_symbol), codes
        )
    for merged in merge_recommendations(merged_documents):
        name = names.get(merged.body_symbol, merged.body_symbol)
        yield from meeting_core_triples(mint, merged.body_symbol, merged.meeting, name)
        yield from recommendation_triples(mint, merged, name)


def aggregate_triples(mint: Minter, index: Index) -> Iterator[Triple]:
    """Every State and organisation of the corpus the index describes."""
    names = index.states()
    yield from states_triples(mint, names, set(index.person_states))
    yield from organizations_triples(mint, *index.organizations())


@dataclass(frozen=True)
class Revision:
    replaced: frozenset[URIRef]
    """Subjects whose triples in the store are all dropped."""
    triples: frozenset[Triple]
    """What replaces them (and keyed subjects, added if missing)."""
    focus: frozenset[URIRef]
    """Subjects to validate: everything `triples` describes."""
    withdrawn: frozenset[URIRef]
    """Owned subjects that no document supports any more (they answer 410 Gone)."""
    context: tuple[Triple, ...]
    """Triples the validation needs to see around `focus` (the described neighbours)."""


def revise(
    mint: Minter,
    units: Iterable[str],
    before: Sequence[Document],
    after: Sequence[Document],
    old_index: Index,
    new_index: Index,
) -> Revision:
    """`units` changed; `before` and `after` are every document touching them, before and after
    the update (with the old and new corpus-wide `Index`)."""
    units = frozenset(units)
    old = set(_graph(mint, before, old_index))
    new = set(_graph(mint, after, new_index))

    def owned(subject: URIRef) -> bool:
        return owner(mint, str(subject)) in units

    def keyed(subject: URIRef) -> bool:
        return (
            owner(mint, str(subject)) is None
            and kind(mint, str(subject)) not in AGGREGATES
        )

    old_owned = {s for s, _, _ in old if owned(s)}
    new_owned = {s for s, _, _ in new if owned(s)}
    kept = {t for t in new if owned(t[0]) or keyed(t[0])}

    # States and organisations a changed document names are made again from the new counts.
    changed_aggregates = {
        s for s, _, _ in old | new if kind(mint, str(s)) in ("state", "organization")
    } | {
        o
        for _, _, o in old | new
        if isinstance(o, URIRef) and kind(mint, str(o)) in ("state", "organization")
    }
    everything_aggregate = list(aggregate_triples(mint, new_index))
    aggregates = {t for t in everything_aggregate if t[0] in changed_aggregates}
    replaced = frozenset(old_owned | new_owned | changed_aggregates)
    triples = frozenset(kept | aggregates)
    context = tuple(t for t in new if not (owned(t[0]) or keyed(t[0]))) + tuple(
        everything_aggregate
    )
    return Revision(
        replaced=replaced,
        triples=triples,
        focus=frozenset(s for s, _, _ in triples),
        withdrawn=frozenset(old_owned - new_owned),
        context=context,
    )


def _graph(
    mint: Minter, documents: Sequence[Document], index: Index
) -> Iterator[Triple]:
    codes = state_codes(index.states())
    return unit_triples(mint, documents, index.names_of_bodies(), codes)
