"""What an update records in the graph: itself, as a PROV activity (the copies it used, what it
withdrew, the update before it), and what a replaced or withdrawn issue leaves behind.

A replaced or withdrawn copy keeps its description (file name, checksum) with
`prov:wasInvalidatedBy` the update, `prov:invalidatedAtTime`, `dct:isVersionOf` its document and,
for a reissue, `dct:isReplacedBy` the copy of the new issue; its symbol and date as it printed
them; and, for each recommendation it printed, a `untoc:ReplacedPrinting` with the paragraph
label and the text. Those URIs sit under the copy's own, which no current document owns any
more, so no later update replaces them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from rdflib import Literal, URIRef

from untoc_kg.records import Document
from untoc_kg.graph.documents import copy_triples
from untoc_kg.graph.merge import document_key, recommendation_key, recommendation_uri_of
from untoc_kg.graph.provenance import build_triples, timestamp
from untoc_kg.graph.standard_terms import standard_terms
from untoc_kg.graph.triples import Triple, en
from untoc_kg.graph.uris import Minter, child
from untoc_kg.vocab import DCTERMS, PROV, RDF, RDFS, SKOS, UNTOC, XSD


def update_id(time: datetime, added: Iterable[str], removed: Iterable[str]) -> str:
    """Readable and unique, like a build's: the time and a digest of what changed."""
    digest = hashlib.sha256(
        "\n".join(
            [*(f"+{s}" for s in sorted(added)), *(f"-{s}" for s in sorted(removed))]
        ).encode()
    ).hexdigest()[:12]
    return f"{time.strftime('%Y%m%dT%H%M%SZ')}-{digest}"


def describe_update(
    added: Sequence[Document], removed: Sequence[Document], replaced: Mapping[str, str]
) -> str:
    parts = []
    reissued = [d for d in added if d.sha256 in replaced.values()]
    new = [d for d in added if d.sha256 not in replaced.values()]
    if new:
        parts.append("added " + ", ".join(_name(d) for d in new))
    if reissued:
        parts.append("reissued " + ", ".join(_name(d) for d in reissued))
    withdrawn = [d for d in removed if d.sha256 not in replaced]
    if withdrawn:
        parts.append("withdrew " + ", ".join(_name(d) for d in withdrawn))
    return "; ".join(parts) or "no change"


def _name(document: Document) -> str:
    return document.symbol or document.source.rsplit("/", 1)[-1]


@standard_terms  # the update's record in the standard terms too, as every mapping function is
def activity_triples(
    mint: Minter,
    activity: URIRef,
    time: datetime,
    tool_version: str,
    added: Sequence[Document],
    removed: Sequence[Document],
    replaced: Mapping[str, str],
    withdrawn: Iterable[URIRef],
    previous: URIRef | None,
) -> Iterator[Triple]:
    """The update as a `untoc:GraphUpdate`: what `build_triples` says of a build, plus every
    copy it withdrew and every resource no document supports any more (`prov:invalidated`)."""
    label = f"Update of the untoc-kg graph at {time.isoformat()}: " + describe_update(
        added, removed, replaced
    )
    yield from build_triples(mint, activity, added, time, tool_version, label=label)
    for document in removed:
        yield activity, PROV.invalidated, mint.copy(document.sha256)
    for resource in sorted(withdrawn):
        yield activity, PROV.invalidated, resource
    if previous is not None:
        yield activity, PROV.wasInformedBy, previous


@standard_terms
def former_copy_triples(
    mint: Minter,
    document: Document,
    activity: URIRef,
    time: datetime,
    replaced_by: str | None,
) -> Iterator[Triple]:
    """What a replaced (`replaced_by` = the new issue's checksum) or withdrawn copy leaves."""
    copy = mint.copy(document.sha256)
    yield from copy_triples(mint, document)
    yield copy, DCTERMS.isVersionOf, mint.document(document_key(document))
    yield copy, PROV.wasInvalidatedBy, activity
    yield copy, PROV.invalidatedAtTime, timestamp(time)
    if replaced_by is not None:
        yield copy, DCTERMS.isReplacedBy, mint.copy(replaced_by)
    if document.symbol:
        yield copy, DCTERMS.identifier, Literal(document.symbol)
    if document.issued:
        yield (
            copy,
            DCTERMS.issued,
            Literal(document.issued.isoformat(), datatype=XSD.date),
        )
    for record in document.recommendations:
        recommendation = recommendation_uri_of(mint, recommendation_key(record), document.body.name)
        # printing/<body>/<meeting>/[<State under review>/]<position>: the recommendation's own path
        node = child(copy, "printing", *mint.parse(recommendation)[1:])
        label = record.paragraph or record.label
        yield node, RDF.type, UNTOC.ReplacedPrinting
        yield node, RDFS.label, en(f"Paragraph {label} of {_name(document)}")
        yield node, UNTOC.printingOf, recommendation
        yield node, UNTOC.printedIn, copy
        yield node, SKOS.notation, Literal(label)
        yield node, UNTOC.text, en(record.text)
