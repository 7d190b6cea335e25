"""The SPARQL 1.1 Protocol's query operation: what an HTTP request asks for, or why it is wrong.

Pure functions over the request's method, Content-Type, raw query string and body, so every rule
is tested without a server. The endpoint is read-only: every form of update is refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

import pyoxigraph

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
MAX_PARAMETERS = 1000
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only"


class ProtocolError(Exception):
    """A request the endpoint refuses, with its HTTP status and a message for people."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryRequest:
    query: str | None
    """None: no query at all (a GET for the service description)."""
    default_graphs: tuple[str, ...] | None = None
    """default-graph-uri values; None when the request names no dataset."""
    named_graphs: tuple[str, ...] | None = None


def media_type(content_type: str | None) -> tuple[str | None, dict[str, str]]:
    """`Application/SPARQL-Query; charset=UTF-8` -> ("application/sparql-query", {"charset": "utf-8"})."""
    if content_type is None or not content_type.strip():
        return None, {}
    bare, *parameters = content_type.split(";")
    parsed = {}
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    return bare.strip().lower(), parsed


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(
            400, f"the {where} is not valid UTF-8 (byte {error.start}): queries must be UTF-8"
        ) from None


def _parameters(raw: bytes, where: str) -> dict[str, list[str]]:
    try:
        return parse_qs(
            _utf8(raw, where),
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_PARAMETERS,
        )
    except UnicodeDecodeError:
        raise ProtocolError(
            400, f"a percent-encoded value in the {where} is not valid UTF-8"
        ) from None
    except ValueError:
        raise ProtocolError(400, f"the {where} has more than {MAX_PARAMETERS} parameters") from None


def _require_utf8_charset(parameters: dict[str, str], kind: str) -> None:
    charset = parameters.get("charset")
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"{kind} must be sent as UTF-8, not {charset}")


def _merge(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for name, values in part.items():
            merged.setdefault(name, []).extend(values)
    return merged


def _graphs(values: list[str], parameter: str) -> tuple[str, ...]:
    for value in values:
        try:
            pyoxigraph.NamedNode(value)
        except ValueError as error:
            raise ProtocolError(400, f"{parameter} {value!r} is not an absolute IRI: {error}") from None
    return tuple(values)


def parse_query_request(
    method: str, content_type: str | None, query_string: bytes, body: bytes
) -> QueryRequest:
    """The query operation a GET or POST asks for (SPARQL 1.1 Protocol 2.1)."""
    in_url = _parameters(query_string, "URL query string")
    if method in ("GET", "HEAD"):
        fields = in_url
    elif method == "POST":
        kind, parameters = media_type(content_type)
        if kind == FORM:
            _require_utf8_charset(parameters, "a form")
            fields = _merge(in_url, _parameters(body, "form body"))
        elif kind == SPARQL_QUERY:
            _require_utf8_charset(parameters, "a query")
            if "query" in in_url:
                raise ProtocolError(400, "two queries: one in the URL and one in the body")
            fields = _merge(in_url, {"query": [_utf8(body, "query")]})
        elif kind == SPARQL_UPDATE:
            raise ProtocolError(403, READ_ONLY)
        elif kind is None:
            raise ProtocolError(
                415, f"a POST needs a Content-Type: {SPARQL_QUERY} or {FORM}"
            )
        else:
            raise ProtocolError(
                415, f"unsupported Content-Type {kind}: send {SPARQL_QUERY} or {FORM}"
            )
    else:
        raise ProtocolError(405, f"{method} is not a SPARQL protocol method: use GET or POST")

    if "update" in fields or "using-graph-uri" in fields or "using-named-graph-uri" in fields:
        raise ProtocolError(403, READ_ONLY)
    queries = fields.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} queries in one request: send exactly one")
    if not queries:
        if method == "POST":
            raise ProtocolError(400, "the request has no query (a `query` parameter or body)")
        return QueryRequest(query=None)
    if not queries[0].strip():
        raise ProtocolError(400, "the query is empty")
    default_graphs = fields.get("default-graph-uri")
    named_graphs = fields.get("named-graph-uri")
    if default_graphs is None and named_graphs is None:
        return QueryRequest(queries[0])
    return QueryRequest(
        queries[0],
        _graphs(default_graphs or [], "default-graph-uri"),
        _graphs(named_graphs or [], "named-graph-uri"),
    )
