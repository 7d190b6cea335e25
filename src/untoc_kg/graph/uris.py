"""URI minting: readable slash URIs under one base, keyed by what the text says (body symbol,
meeting ordinal, position, treaty and article numbers, ISO codes), never by file order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef


def slug(text: str) -> str:
    """"CTOC/COP/WG.7" -> "ctoc-cop-wg7"; "Ignacio Baylina Ruíz" -> "ignacio-baylina-ruiz"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace(".", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "unnamed"


@dataclass(frozen=True)
class Minter:
    """Mints every URI of the data graph under `base` (which ends with "/")."""

    base: str

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _uri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def body(self, body_key: str) -> URIRef:
        return self._uri("body", body_key)

    def meeting(self, body_key: str, ordinal: int) -> URIRef:
        return self._uri("meeting", body_key, str(ordinal))

    def recommendation(self, body_key: str, ordinal: int, seq: int, reviewed: str | None = None) -> URIRef:
        """recommendation/<body>/<meeting>/<position>; a review recommendation has the State
        under review between ("recommendation/a-hrc-wg6/20/svn/1"): the session's reports on
        each State all number from 1."""
        if reviewed:
            return self._uri("recommendation", body_key, str(ordinal), reviewed.lower(), str(seq))
        return self._uri("recommendation", body_key, str(ordinal), str(seq))

    def document(self, document_key: str) -> URIRef:
        return self._uri("document", document_key)

    def copy(self, sha256: str) -> URIRef:
        return self._uri("copy", sha256)

    def attendance(self, body_key: str, ordinal: int, participant_key: str) -> URIRef:
        return self._uri("attendance", body_key, str(ordinal), participant_key)

    def treaty(self, treaty_key: str) -> URIRef:
        return self._uri("treaty", slug(treaty_key))

    def state(self, iso3: str) -> URIRef:
        return self._uri("state", iso3.upper())

    def organization(self, name: str) -> URIRef:
        return self._uri("organization", slug(name))

    def person(self, name: str) -> URIRef:
        return self._uri("person", slug(name))

    def addressee(self, key: str) -> URIRef:
        return self._uri("addressee", slug(key))

    def dataset(self) -> URIRef:
        return self._uri("dataset")

    def build(self, build_id: str) -> URIRef:
        return self._uri("build", build_id)

    def software(self, name: str, version: str) -> URIRef:
        return self._uri("software", slug(name), slug(version))


def child(parent: URIRef, *parts: str) -> URIRef:
    """A node that only exists inside its parent (an occurrence, a sub-item, an agenda item)."""
    return URIRef(str(parent) + "/" + "/".join(parts))
