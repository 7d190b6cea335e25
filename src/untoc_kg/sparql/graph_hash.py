"""An order-independent hash of a set of triples, for checking that a store holds the published
graph: the sum of the SHA-256 of each triple's canonical N-Triples form. Needs no sort, streams."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pyoxigraph
from pyoxigraph import BlankNode, Triple

HASH_MODULUS = 2**256
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
XSD_INTEGER = pyoxigraph.NamedNode(XSD + "integer")


def canonical(term: object) -> str:
    """A term's N-Triples form, a literal written in the canonical form of its value: stores
    rewrite literals to another form of the same value (Oxigraph stores every xsd:integer
    subtype as xsd:integer, Virtuoso writes a "+00:00" dateTime with "Z" and lower-cases
    language tags), and such a rewrite is not a change of the published data."""
    if isinstance(term, BlankNode):
        return "_:"  # labels are the store's own: blank nodes count by position only
    if not isinstance(term, pyoxigraph.Literal):
        return str(term)
    datatype = term.datatype.value
    try:
        if datatype in INTEGER_TYPES:
            return str(pyoxigraph.Literal(str(int(term.value)), datatype=XSD_INTEGER))
        if datatype == XSD + "dateTime":
            moment = datetime.fromisoformat(term.value)
            if moment.tzinfo is not None:
                text = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
                return str(pyoxigraph.Literal(text, datatype=term.datatype))
        if datatype == XSD + "hexBinary":
            return str(pyoxigraph.Literal(term.value.upper(), datatype=term.datatype))
    except ValueError:
        pass  # not a valid lexical form: compared as written
    if term.language:
        return str(pyoxigraph.Literal(term.value, language=term.language.lower()))
    return str(term)


def canonical_triple(triple: Triple) -> str:
    """A triple's N-Triples form (without the final dot), its terms as `canonical` writes them."""
    return " ".join(canonical(term) for term in (triple.subject, triple.predicate, triple.object))


def graph_hash(triples: Iterator[Triple]) -> tuple[int, int]:
    """(count, hash) of a set of triples, independent of their order: the sum of the SHA-256
    of each triple's canonical N-Triples form (`canonical_triple`)."""
    count, total = 0, 0
    for triple in triples:
        digest = hashlib.sha256(canonical_triple(triple).encode("utf-8")).digest()
        total = (total + int.from_bytes(digest)) % HASH_MODULUS
        count += 1
    return count, total
