"""The data in the standard terms: every triple a mapping function yields comes with what the
vocabulary's exact alignments entail from it alone, so a client that knows only ELI, schema.org,
PROV, CiTO or Dublin Core (and a store that does no reasoning, as Oxigraph) finds it.

`x a untoc:Meeting` brings `x a schema:Event` and `x a prov:Activity`; `r untoc:cites p` brings
`r cito:cites p` and `r dct:references p`: the transitive rdfs:subClassOf / rdfs:subPropertyOf of
the local term, up to the external terms (local superclasses such as untoc:Provision are left to
the vocabulary, which travels with the data). Nothing else is inferred: no domains, no ranges, no
external hierarchy, so a materialised triple never says more than the ontology does of one term.
Each entailment depends on one triple only, so every way of assembling the graph (the full build,
its partitions, add and remove) gets the same triples from the same records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, wraps
from typing import ParamSpec

from rdflib import Graph, URIRef

from untoc_kg.ontology import NS, ontology_graph

from .triples import Triple
from untoc_kg.vocab import RDF, RDFS

P = ParamSpec("P")


def _external_supers(graph: Graph, relation: URIRef) -> dict[URIRef, tuple[URIRef, ...]]:
    local = str(NS)
    found: dict[URIRef, tuple[URIRef, ...]] = {}
    for term in {s for s in graph.subjects(relation, None) if str(s).startswith(local)}:
        supers = {
            s for s in graph.transitive_objects(term, relation)
            if isinstance(s, URIRef) and s != term and not str(s).startswith(local)
        }
        if supers:
            found[term] = tuple(sorted(supers))
    return found


@cache
def alignments() -> tuple[Mapping[URIRef, tuple[URIRef, ...]], Mapping[URIRef, tuple[URIRef, ...]]]:
    """(local class -> external superclasses, local property -> external superproperties)."""
    graph = ontology_graph()
    return _external_supers(graph, RDFS.subClassOf), _external_supers(graph, RDFS.subPropertyOf)


def in_standard_terms(triples: Iterable[Triple]) -> Iterator[Triple]:
    """Each triple, followed by the standard-term triples its local class or property entails."""
    classes, properties = alignments()
    for triple in triples:
        yield triple
        subject, predicate, value = triple
        if predicate == RDF.type:
            for superclass in classes.get(value, ()):  # type: ignore[call-overload]
                yield subject, RDF.type, superclass
        else:
            for superproperty in properties.get(predicate, ()):
                yield subject, superproperty, value


def standard_terms(mapping: Callable[P, Iterable[Triple]]) -> Callable[P, Iterator[Triple]]:
    """A mapping function (record -> triples) whose output is also in the standard terms."""

    @wraps(mapping)
    def mapped(*args: P.args, **kwargs: P.kwargs) -> Iterator[Triple]:
        return in_standard_terms(mapping(*args, **kwargs))

    return mapped
