"""HTTP caching validators shared by every read-only route: ETag, Last-Modified, 304."""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

from starlette.requests import Request

CACHE_CONTROL = "public, max-age=300"
"""Five minutes: a rebuild is visible soon, and the validators make revalidation cheap."""


def etag(*parts: str) -> str:
    """A weak ETag for a representation: the same parts (build id, URL, format) give the same
    tag. Weak because serialisers may order triples differently between runs; the graph is the
    same, the bytes need not be."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]
    return f'W/"{digest}"'


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def not_modified(request: Request, tag: str, last_modified: str | None) -> bool:
    """Should this GET/HEAD be answered 304? (RFC 9110 13.1: If-None-Match, weak comparison,
    wins over If-Modified-Since.)"""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        return _opaque(tag) in {_opaque(t) for t in if_none_match.split(",")}
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False


def validators(tag: str, last_modified: str | None) -> dict[str, str]:
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if last_modified:
        headers["Last-Modified"] = last_modified
    return headers
