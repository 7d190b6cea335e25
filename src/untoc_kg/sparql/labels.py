"""The properties a thing's human-readable name is looked up by, in order of preference: every
description, page and store backend asks for the same ones."""

from __future__ import annotations

from pyoxigraph import NamedNode

LABEL_PROPERTIES: tuple[NamedNode, ...] = tuple(
    NamedNode(iri)
    for iri in (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://purl.org/dc/terms/title",
        "https://schema.org/name",
    )
)
