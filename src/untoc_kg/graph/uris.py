"""URI minting: readable slash URIs under one base, keyed by what the text says (body symbol,
meeting ordinal, position, treaty and article numbers, ISO codes), never by file order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

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

    def meeting(self, body_key: str, ordinal: int, day: str = "") -> URIRef:
        """meeting/<body>/<ordinal>, or meeting/<body>/<day it began> for a meeting whose report
        prints no ordinal ("meeting/ctoc-cop-wg4/2010-01-27")."""
        return self._uri("meeting", body_key, meeting_segment(ordinal, day))

    def recommendation(
        self, body_key: str, ordinal: int, seq: int, reviewed: str | None = None, day: str = ""
    ) -> URIRef:
        """recommendation/<body>/<meeting>/<position>; a review recommendation has the State
        under review between ("recommendation/a-hrc-wg6/20/svn/1"): the session's reports on
        each State all number from 1."""
        meeting = meeting_segment(ordinal, day)
        if reviewed:
            return self._uri("recommendation", body_key, meeting, reviewed.lower(), str(seq))
        return self._uri("recommendation", body_key, meeting, str(seq))

    def document(self, document_key: str) -> URIRef:
        return self._uri("document", document_key)

    def copy(self, sha256: str) -> URIRef:
        return self._uri("copy", sha256)

    def attendance(self, body_key: str, ordinal: int, participant_key: str, day: str = "") -> URIRef:
        return self._uri("attendance", body_key, meeting_segment(ordinal, day), participant_key)

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

    # The inverse of minting: what an IRI of this base is, and which unit owns it.

    def parse(self, iri: str) -> tuple[str, ...] | None:
        """The path segments of an IRI minted under this base (("recommendation", "ctoc-cop-wg7",
        "3", "1")), else None."""
        if not iri.startswith(self.base) or len(iri) == len(self.base):
            return None
        return tuple(iri[len(self.base) :].split("/"))

    def kind(self, iri: str) -> str | None:
        """What an IRI of this base names, by its first segment ("recommendation"), else None."""
        parts = self.parse(iri)
        return parts[0] if parts else None

    def owner(self, iri: str) -> str | None:
        """The unit (a document, meeting, recommendation, person or copy: see
        `untoc_kg.graph.units`) whose triples include those of subject `iri`: the unit itself,
        or the resource a node minted under it (`child`) or its attendance belongs to. None for
        keyed and aggregate subjects (an article, a State, the dataset)."""
        parts = self.parse(iri)
        if parts is None:
            return None
        head = parts[0]
        if head == "document":  # a document owns its language expressions (document/<key>/en)
            last = parts[-1]
            return iri.removesuffix("/" + last) if len(parts) > 2 and len(last) == 2 and last.isalpha() else iri
        if head == "attendance" and len(parts) >= 3:
            return self.base + "/".join(("meeting", *parts[1:3]))
        depth = OWNED_DEPTH.get(head)
        if head == "recommendation" and len(parts) > depth and _STATE_SEGMENT.fullmatch(parts[3]):
            depth += 1  # recommendation/<body>/<session>/<State under review>/<position>
        if depth is None or len(parts) < depth:
            return None
        return self.base + "/".join(parts[:depth])


OWNED_DEPTH = {"recommendation": 4, "meeting": 3, "person": 2, "copy": 2}
"""Kind of IRI -> how many path segments name the owning unit (recommendation/<body>/<m>/<seq>),
as the minting methods above write them."""


_STATE_SEGMENT = re.compile(r"[a-z]{3}")
"""A State under review's segment in a recommendation URI (positions are numbers)."""


def meeting_segment(ordinal: int, day: date | str | None = "") -> str:
    """How a meeting is named within its body in URIs and keys: its ordinal, or, for a meeting
    whose report prints none (ordinal 0), the ISO date it began (`day`: a date or its ISO
    form)."""
    if ordinal or not day:
        return str(ordinal)
    return day if isinstance(day, str) else day.isoformat()


def child(parent: URIRef, *parts: str) -> URIRef:
    """A node that only exists inside its parent (an occurrence, a sub-item, an agenda item)."""
    return URIRef(str(parent) + "/" + "/".join(parts))
