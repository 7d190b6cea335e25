"""Documents and their copies -> triples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from urllib.parse import urlencode

from rdflib import Literal, URIRef

from untoc_kg.records import Document

from .merge import MergedDocument, body_key, meeting_key_of, meeting_uri
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter, child
from untoc_kg.vocab import DCTERMS, RDF, RDFS, SCHEMA, SPDX, UNTOC, XSD

ENGLISH = "en"
OFFICIAL_DOCUMENT = "https://documents.un.org/api/symbol/access"
"""The UN's Official Document System: the document with a given symbol, in a given language."""


def official_document(symbol: str, language: str = "en") -> URIRef:
    """The official (PDF) file of the document with this UN symbol, as the UN publishes it."""
    return URIRef(f"{OFFICIAL_DOCUMENT}?{urlencode({'s': symbol, 'l': language, 't': 'pdf'})}")


def file_name(source: str) -> str:
    """The file's own name, never the path it was read from on the build machine."""
    return PurePath(source).name or source


@standard_terms
def copy_triples(mint: Minter, copy: Document) -> Iterator[Triple]:
    uri = mint.copy(copy.sha256)
    checksum = child(uri, "checksum")
    name = file_name(copy.source)
    yield uri, RDF.type, UNTOC.DocumentCopy
    yield uri, RDFS.label, Literal(name)
    yield uri, SPDX.fileName, Literal(name)
    yield uri, SPDX.checksum, checksum
    yield checksum, RDF.type, SPDX.Checksum
    yield checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256
    yield checksum, SPDX.checksumValue, Literal(copy.sha256.lower(), datatype=XSD.hexBinary)


@standard_terms
def document_triples(mint: Minter, merged: MergedDocument) -> Iterator[Triple]:
    uri = mint.document(merged.key)
    first = merged.copies[0]
    report = first.kind == "report"
    yield uri, RDF.type, UNTOC.Report if report else UNTOC.Compilation
    title = merged.first("title") or merged.key
    symbol = merged.first("symbol")
    # The UN symbol is how the UN and its readers name a document; the title says what it is.
    yield uri, RDFS.label, en(symbol or title)
    yield uri, DCTERMS.title, en(title)
    # Work -> expression (the document in English: the reports read here are the English
    # issues) -> files (the official PDF, and the copies this graph was read from).
    expression = child(uri, ENGLISH)
    yield uri, UNTOC.expression, expression
    yield expression, RDF.type, UNTOC.DocumentExpression
    yield expression, RDFS.label, en(f"{symbol or title} (English)")
    yield expression, SCHEMA.inLanguage, Literal(ENGLISH)
    for copy in merged.copies:
        yield expression, SCHEMA.encoding, mint.copy(copy.sha256)
    if symbol:
        yield uri, DCTERMS.identifier, Literal(symbol)
        official = official_document(symbol, ENGLISH)
        yield uri, SCHEMA.url, official
        yield expression, SCHEMA.encoding, official
        yield official, RDF.type, SCHEMA.MediaObject
        yield official, SCHEMA.encodingFormat, Literal("application/pdf")
        yield official, RDFS.label, en(f"{symbol} (English, PDF, Official Document System)")
        if report:
            yield uri, SCHEMA.reportNumber, Literal(symbol)
    if issued := merged.first("issued"):
        yield uri, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)
    yield uri, DCTERMS.creator, mint.body(body_key(first.body.symbol, first.body.name))
    for copy in merged.copies:
        yield uri, UNTOC.hasCopy, mint.copy(copy.sha256)
        yield from copy_triples.__wrapped__(mint, copy)
    reported = next((c.reported_meeting for c in merged.copies if c.reported_meeting), None)
    if reported is not None:
        symbol = reported.body_symbol or first.body.symbol
        yield uri, UNTOC.reportsOn, meeting_uri(mint, meeting_key_of(reported, symbol), first.body.name)
