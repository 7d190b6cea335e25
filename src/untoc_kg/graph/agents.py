"""States and organisations -> triples, gathered from every record that names them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from rdflib import Literal

from untoc_kg.records import Document

from untoc_kg.reference import organization_items

from .reference_data import iso3_of, state_triples, wikidata
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter, slug
from untoc_kg.vocab import OWL, RDF, RDFS, SKOS, UNTOC


def state_names(documents: Sequence[Document]) -> dict[str, list[str]]:
    """Every printed name of every State that attended, by alpha-3 code (one entry per mention);
    in a review report also the State under review, the troika, the delegations that spoke and the
    States that made its recommendations (resolved by the extract stage)."""
    names: dict[str, list[str]] = defaultdict(list)
    for document in documents:
        for meeting in document.meetings:
            for attendee in meeting.attendance:
                if attendee.iso3:
                    names[attendee.iso3.upper()].append(attendee.name)
            for name, iso3 in meeting.named_states:
                names[iso3.upper()].append(name)
        for recommendation in document.recommendations:
            for name, iso3 in recommendation.recommenders:
                names[iso3.upper()].append(name)
    return names


def state_codes(names: Mapping[str, list[str]]) -> dict[str, str]:
    """Printed name -> alpha-3 code, so a chair's "(Spain)" finds the State the lists name."""
    return {name: iso3 for iso3, spellings in sorted(names.items()) for name in spellings}


def person_states(documents: Sequence[Document]) -> set[str]:
    """The States as printed after the names of chairs and panellists ("Spain")."""
    return {
        person.state
        for document in documents
        for meeting in document.meetings
        for person in (meeting.chair, *meeting.panellists)
        if person is not None and person.state
    }


@standard_terms
def states_triples(
    mint: Minter, names: Mapping[str, list[str]], printed_states: set[str]
) -> Iterator[Triple]:
    """Every State that attended (`names`, see `state_names`) or that a chair or panellist
    represents, from the corpus-wide names (`untoc_kg.graph.corpus.CorpusFacts`)."""
    codes = state_codes(names)
    mentioned = set(names)
    for printed in sorted(printed_states):
        if iso3 := iso3_of(printed, codes):
            mentioned.add(iso3)
    for iso3 in sorted(mentioned):
        yield from state_triples(mint, iso3, names.get(iso3, []))


def organization_names(
    documents: Sequence[Document],
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(full names, short names) of every organisation named, by URI key."""
    full: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    for document in documents:
        for meeting in document.meetings:
            for attendee in meeting.attendance:
                if attendee.iso3:
                    continue
                key = slug(attendee.org_key or attendee.name)
                full[key].add(attendee.name)
                if attendee.org_key:
                    short[key].add(attendee.org_key)
        for recommendation in document.recommendations:
            for name in recommendation.organizations:
                short[slug(name)].add(name)
    return full, short


@standard_terms
def organizations_triples(
    mint: Minter, full: Mapping[str, set[str]], short: Mapping[str, set[str]]
) -> Iterator[Triple]:
    """Organisations that attended or are named in recommendations. The label is the full name
    as printed where an attendance list gives one, the short name otherwise."""
    for key in sorted(set(full) | set(short)):
        names = sorted(full.get(key, ())) or sorted(short.get(key, ()))
        uri = mint.organization(key)
        yield uri, RDF.type, UNTOC.Organization
        yield uri, RDFS.label, en(names[0])
        for other in sorted((set(names[1:]) | set(short.get(key, ()))) - {names[0]}):
            yield uri, SKOS.altLabel, en(other)
        for name in sorted(short.get(key, ())):
            yield uri, SKOS.notation, Literal(name)
        if item := organization_items().get(key):
            yield uri, OWL.sameAs, wikidata(item)
