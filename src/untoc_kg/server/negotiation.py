"""HTTP content negotiation: which of the media types we offer does an `Accept` header prefer?

The one implementation for the whole server (resource pages, dumps, SPARQL results). It follows
RFC 9110 section 12.5.1: a list of media ranges with optional q-values; for each offered type the
MOST SPECIFIC matching range gives its quality; q=0 means "not acceptable". Ties between offered
types are broken by (1) an exact range beating a wildcard, (2) the range's position in the header
(clients list what they like first), (3) the server's own order of `offers`.

Parameters other than q (charset, profile) never decide a match: every type we serve is UTF-8 and
serves one profile, and clients that add them (`text/turtle;charset=utf-8`) must not get a 406.
Malformed ranges are skipped rather than failing the request; a header with no usable range at
all counts as no header ("*/*").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ANY = "*"


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: `type/subtype;params;q=...`."""

    type: str
    subtype: str
    q: float
    position: int
    """Index in the header, for tie-breaking."""

    @property
    def specificity(self) -> int:
        """2 for `a/b`, 1 for `a/*`, 0 for `*/*`."""
        return (self.type != ANY) + (self.subtype != ANY)

    def matches(self, media_type: str) -> bool:
        kind, _, sub = bare(media_type).partition("/")
        return (self.type in (ANY, kind)) and (self.subtype in (ANY, sub))


def bare(media_type: str) -> str:
    """`Text/Turtle; charset=UTF-8` -> `text/turtle`."""
    return media_type.split(";", 1)[0].strip().lower()


def _parse_q(params: list[str]) -> float | None:
    """The q parameter's value (1.0 when absent), or None when it is malformed."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header into media ranges, skipping malformed elements.

    An absent or empty header (or one where nothing parses) means `*/*` (RFC 9110: "a request
    without any Accept header field implies that the user agent will accept any media type").
    """
    ranges: list[MediaRange] = []
    for position, element in enumerate((header or "").split(",")):
        media, *params = element.split(";")
        kind, slash, sub = media.strip().lower().partition("/")
        q = _parse_q(params)
        if not slash or not kind or not sub or q is None or (kind == ANY and sub != ANY):
            continue
        ranges.append(MediaRange(kind, sub, q, position))
    return ranges or [MediaRange(ANY, ANY, 1.0, 0)]


def _quality(ranges: Sequence[MediaRange], offer: str) -> tuple[float, int, int] | None:
    """Sort key of one offer: (q, specificity, -position) of its most specific matching range."""
    matching = [r for r in ranges if r.matches(offer)]
    if not matching:
        return None
    best = max(matching, key=lambda r: (r.specificity, r.q))
    return (best.q, best.specificity, -best.position)


def rank(accept: str | None, offers: Sequence[str]) -> list[str]:
    """The acceptable `offers` (q > 0), best first. Empty when nothing can be served (406)."""
    ranges = parse_accept(accept)
    scored = []
    for order, offer in enumerate(offers):
        quality = _quality(ranges, offer)
        if quality is not None and quality[0] > 0:
            scored.append(((*quality, -order), offer))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [offer for _, offer in scored]


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers, or None when it accepts none of them (answer 406).

    `offers` are in the server's order of preference, used only to break ties; pass aliases
    (`application/x-turtle`) as separate offers and map them back yourself.
    """
    ranked = rank(accept, offers)
    return ranked[0] if ranked else None
