"""Documents and their copies -> triples."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal

from untoc_kg.records import Document

from .merge import MergedDocument, body_key, meeting_key_of, meeting_uri
from .triples import Triple, en
from .uris import Minter, child
from untoc_kg.vocab import DCTERMS, PROV, RDF, RDFS, SCHEMA, SPDX, UNTOC, XSD


def copy_triples(mint: Minter, copy: Document) -> Iterator[Triple]:
    uri = mint.copy(copy.sha256)
    checksum = child(uri, "checksum")
    yield uri, RDF.type, UNTOC.DocumentCopy
    yield uri, RDFS.label, Literal(copy.source)
    yield uri, SPDX.fileName, Literal(copy.source)
    yield uri, SPDX.checksum, checksum
    yield checksum, RDF.type, SPDX.Checksum
    yield checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256
    yield checksum, SPDX.checksumValue, Literal(copy.sha256.lower(), datatype=XSD.hexBinary)


def document_triples(mint: Minter, merged: MergedDocument) -> Iterator[Triple]:
    uri = mint.document(merged.key)
    first = merged.copies[0]
    report = first.kind == "report"
    yield uri, RDF.type, UNTOC.Report if report else UNTOC.Compilation
    title = merged.first("title") or merged.key
    yield uri, RDFS.label, en(title)
    yield uri, DCTERMS.title, en(title)
    if symbol := merged.first("symbol"):
        yield uri, DCTERMS.identifier, Literal(symbol)
        if report:
            yield uri, SCHEMA.reportNumber, Literal(symbol)
    if issued := merged.first("issued"):
        yield uri, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)
    yield uri, DCTERMS.creator, mint.body(body_key(first.body.symbol, first.body.name))
    for copy in merged.copies:
        yield uri, UNTOC.hasCopy, mint.copy(copy.sha256)
        yield uri, PROV.wasDerivedFrom, mint.copy(copy.sha256)
        yield from copy_triples(mint, copy)
    reported = next((c.reported_meeting for c in merged.copies if c.reported_meeting), None)
    if reported is not None:
        symbol = reported.body_symbol or first.body.symbol
        yield uri, UNTOC.reportsOn, meeting_uri(mint, meeting_key_of(reported, symbol), first.body.name)
