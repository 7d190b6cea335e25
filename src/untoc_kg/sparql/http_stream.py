"""An HTTP answer read as a file while it arrives, so pyoxigraph's parsers (which read lazily)
turn a remote store's answer into rows as the bytes come in: a reader that wants only the first
rows of a huge answer never holds the rest."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx

_VIRTUOSO_BLANK = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
"""Virtuoso writes blank nodes in SPARQL JSON as `nodeID://b1234`, which is not a blank node
label; `b1234` is (its N-Triples output says `_:b1234`)."""


def virtuoso_json_fixed(body: bytes) -> bytes:
    return _VIRTUOSO_BLANK.sub(rb"\1", body)


def _by_lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Whole lines (Virtuoso writes one binding per line, so a fix never spans two chunks)."""
    rest = b""
    for chunk in chunks:
        rest += chunk
        cut = rest.rfind(b"\n") + 1
        if cut:
            yield rest[:cut]
            rest = rest[cut:]
    if rest:
        yield rest


class ResponseReader(io.RawIOBase):
    """A streamed httpx response as a readable binary file."""

    def __init__(self, response: httpx.Response, fix_virtuoso_json: bool = False) -> None:
        self._chunks = response.iter_bytes()
        if fix_virtuoso_json:
            self._chunks = (virtuoso_json_fixed(c) for c in _by_lines(self._chunks))
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def is_virtuoso(response: httpx.Response) -> bool:
    return response.headers.get("server", "").lower().startswith("virtuoso")
