"""The pure heart of an update: the records touching the changed units, before and after -> the
subjects whose triples are replaced and the triples that replace them.

`units` explains ownership. For every unit a changed document touches, every document touching it
is in `context` (the index says which), so the triples generated from `context` are exactly the
full build's for those units: a recommendation's printings, a meeting's records and every
recommendation adopted there (their sections are the meeting's), a person's mentions. Subjects
keyed by what they are (articles, addressees, bodies) come out the same from any documents, so
they are only added; those no triple points to any more are collected by `update`. States and
organisations are made from the whole corpus's counts, the `CorpusFacts` of the `Index`, by the
same assembly a full build uses (`untoc_kg.graph.assemble`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from untoc_kg.graph.assemble import aggregate_triples, unit_triples
from untoc_kg.graph.corpus import CorpusFacts
from untoc_kg.graph.triples import Triple
from untoc_kg.graph.units import AGGREGATES
from untoc_kg.graph.uris import Minter
from untoc_kg.records import Document


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
    old_facts: CorpusFacts,
    new_facts: CorpusFacts,
) -> Revision:
    """`units` changed; `before` and `after` are every document touching them, before and after
    the update (with the corpus-wide facts before and after)."""
    units = frozenset(units)
    old = set(unit_triples(mint, before, old_facts))
    new = set(unit_triples(mint, after, new_facts))

    def owned(subject: URIRef) -> bool:
        return mint.owner(str(subject)) in units

    def keyed(subject: URIRef) -> bool:
        return (
            mint.owner(str(subject)) is None
            and mint.kind(str(subject)) not in AGGREGATES
        )

    old_owned = {s for s, _, _ in old if owned(s)}
    new_owned = {s for s, _, _ in new if owned(s)}
    kept = {t for t in new if owned(t[0]) or keyed(t[0])}

    # States and organisations a changed document names are made again from the new counts.
    changed_aggregates = {
        s for s, _, _ in old | new if mint.kind(str(s)) in ("state", "organization")
    } | {
        o
        for _, _, o in old | new
        if isinstance(o, URIRef) and mint.kind(str(o)) in ("state", "organization")
    }
    # ... and the States whose printed names the change counts or uncounts, though no unit links
    # to them (a review's troika, the delegations that spoke: a full build makes them all).
    old_names, new_names = old_facts.state_names, new_facts.state_names
    changed_aggregates |= {
        mint.state(iso3) for iso3, name in old_names | new_names if old_names[iso3, name] != new_names[iso3, name]
    }
    everything_aggregate = list(aggregate_triples(mint, new_facts))
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

