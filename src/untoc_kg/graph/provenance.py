"""Provenance of the build: one prov:Activity with the tool and its version, the build time and
every input copy (checksums are on the copies)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from rdflib import Literal, URIRef

from untoc_kg.records import Document

from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter
from untoc_kg.vocab import PROV, RDF, RDFS, SCHEMA, UNTOC, XSD

TOOL = "untoc-kg"


def build_id(documents: Sequence[Document], build_time: datetime, tool_version: str) -> str:
    """Readable and unique: the build time, and a digest of the tool version and the inputs."""
    digest = hashlib.sha256(
        "\n".join([tool_version, *sorted(d.sha256 for d in documents)]).encode()
    ).hexdigest()[:12]
    return f"{build_time.strftime('%Y%m%dT%H%M%SZ')}-{digest}"


def timestamp(moment: datetime) -> Literal:
    """An xsd:dateTime in UTC, to the second, written without a time zone: the one form every
    store keeps as written (rdflib rewrites "Z" as "+00:00", Oxigraph "+00:00" as "Z", and Jena's
    TDB2 keeps fractions only to the millisecond). Every time in the graph is UTC."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return Literal(utc.strftime("%Y-%m-%dT%H:%M:%S"), datatype=XSD.dateTime)


@standard_terms
def build_triples(
    mint: Minter,
    build: URIRef,
    documents: Sequence[Document],
    build_time: datetime,
    tool_version: str,
    label: str | None = None,
) -> Iterator[Triple]:
    """A build, or (with its own `label`) a later update of the graph: `documents` are the
    copies it read (`untoc_kg.publish.history` adds what an update withdrew)."""
    software = mint.software(TOOL, tool_version)
    yield software, RDF.type, PROV.SoftwareAgent
    yield software, RDF.type, SCHEMA.SoftwareApplication
    yield software, RDFS.label, Literal(f"{TOOL} {tool_version}")
    yield software, SCHEMA.name, Literal(TOOL)
    yield software, SCHEMA.softwareVersion, Literal(tool_version)
    yield build, RDF.type, PROV.Activity
    yield build, RDF.type, UNTOC.GraphUpdate
    yield build, RDFS.label, en(label or f"Build of the untoc-kg graph at {build_time.isoformat()}")
    yield build, PROV.endedAtTime, timestamp(build_time)
    yield build, PROV.wasAssociatedWith, software
    for document in documents:
        yield build, PROV.used, mint.copy(document.sha256)
