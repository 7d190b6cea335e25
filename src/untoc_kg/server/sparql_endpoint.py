"""The SPARQL 1.1 Protocol endpoint (`/sparql`): a FastAPI router over the published build.

Each request resolves `current` afresh, so a rebuild is picked up at once and every answer comes
from one build (the old or the new one, never a mix). Queries are screened (no updates, no
SERVICE), negotiated, then evaluated in worker processes under the time limit
(`query_worker`). Errors are short plain-text messages, never stack traces.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from untoc_kg.server import formats
from untoc_kg.server.conditional import CACHE_CONTROL, etag, not_modified, validators
from untoc_kg.server.formats import wants_page
from untoc_kg.server.limits import QueryLimits
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.published import PublishedBuilds, Served
from untoc_kg.server.query_worker import (
    QueryFailure,
    QueryTask,
    QueryTimeout,
    WorkerPool,
    WorkersBusy,
)
from untoc_kg.server.results import offers
from untoc_kg.server.service_description import service_description
from untoc_kg.server.sparql_protocol import (
    READ_ONLY,
    ProtocolError,
    QueryRequest,
    parse_query_request,
)
from untoc_kg.sparql.named_queries import (
    NamedQuery,
    QueryParameterError,
    bound_text,
    named_queries,
)
from untoc_kg.sparql.prologue import with_prologue
from untoc_kg.sparql.query_screening import MAX_NESTING, ResultKind, screen
from untoc_kg.datadir import NoPublishedBuild

ENDPOINT_PATH = "/sparql"
QUERY_PAGE_PATH = "/query"
QUERIES_PATH = "/queries"
API_FORMATS: dict[str, dict[ResultKind, str | None]] = {
    "json": {
        ResultKind.SOLUTIONS: "application/sparql-results+json",
        ResultKind.BOOLEAN: "application/sparql-results+json",
        ResultKind.GRAPH: "application/ld+json",
    },
    "csv": {
        ResultKind.SOLUTIONS: "text/csv",
        ResultKind.BOOLEAN: "text/csv",
        ResultKind.GRAPH: "application/n-triples",
    },
}
"""What a named query's `.json` and `.csv` URLs answer, by kind of query."""
FORMAT_NAMES = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
"""`?format=` names, as the Accept header they stand for."""
VOID_PATH = "/.well-known/void"
TRUNCATED_HEADER = "X-SPARQL-MaxRows"
"""Virtuoso's header for an answer cut at the row cap; its value is the cap."""
DATASET_QUERY = (
    "SELECT ?dataset WHERE { ?dataset a <http://rdfs.org/ns/void#Dataset> } "
    "ORDER BY ?dataset LIMIT 1"
)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def read_body(request: Request, limits: QueryLimits) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed the limit: from
    Content-Length before reading anything, else while it streams in. The rest of a refused
    body is drained for `limits.linger_seconds` (`linger`) so that the client reads the 413."""
    limit = limits.max_request_bytes
    declared = request.headers.get("content-length", "")
    too_large = ProtocolError(413, f"the request body is larger than the {limit}-byte limit")
    if declared.isdigit() and int(declared) > limit:
        await linger(request, limits.linger_seconds)
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            await linger(request, limits.linger_seconds)
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def linger(request: Request, seconds: float) -> None:
    """Read and drop what the client still sends, for `seconds` at most.

    Closing a socket with unread data in it makes the kernel answer with a reset, and a client
    still writing its body (urllib, Java's HttpURLConnection) then sees "connection reset"
    instead of the 413. A client that asked `Expect: 100-continue` has sent nothing yet and is
    answered at once (no 100 Continue goes out unless the body is read)."""
    if request.headers.get("expect", "").lower() == "100-continue":
        return
    try:
        async with asyncio.timeout(seconds):
            while True:
                message = await request.receive()
                if message["type"] != "http.request" or not message.get("more_body", False):
                    return
    except TimeoutError:
        return


@lru_cache(maxsize=64)
def _service_description_body(
    endpoint: str, void_document: str, dataset: str | None, limits: QueryLimits, media_type: str
) -> bytes:
    fmt = formats.offers(formats.RDF_FORMATS)[media_type]
    described = service_description(
        endpoint, void_document, dataset, limits, queries=endpoint.removesuffix(ENDPOINT_PATH) + QUERIES_PATH
    )
    return formats.serialize(described, fmt)


def dataset_of(served: Served) -> str | None:
    """The IRI of the dataset the build describes (its void:Dataset), for the SD."""
    for row in served.store.query(DATASET_QUERY):
        return row["dataset"].value
    return None


def sparql_router(
    data_dir: Path, limits: QueryLimits, builds: PublishedBuilds | None = None
) -> APIRouter:
    """The `/sparql` routes over the builds published in `data_dir`.

    Pass the app's `PublishedBuilds` to share its open stores; the router's lifespan starts and
    stops the query workers (they also start on the first query if the app runs no lifespan)."""
    builds = builds if builds is not None else PublishedBuilds(data_dir)
    pool = WorkerPool(limits.workers, limits.worker_memory_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    router = APIRouter(lifespan=lifespan)
    router.worker_pool = pool  # type: ignore[attr-defined]  # for tests and diagnostics
    datasets: dict[str, str | None] = {}  # build id -> its dataset IRI

    def describe_service(request: Request) -> Response:
        offered = formats.offers(formats.RDF_FORMATS)
        chosen = negotiate(request.headers.get("accept"), list(offered))
        if chosen is None:
            return error(406, "the service description is served as: " + ", ".join(offered))
        try:
            served = builds.current()
            if served.build_id not in datasets:
                datasets[served.build_id] = dataset_of(served)
            dataset = datasets[served.build_id]
        except NoPublishedBuild:
            dataset = None
        base = str(request.base_url).rstrip("/")
        body = _service_description_body(
            base + ENDPOINT_PATH, base + VOID_PATH, dataset, limits, chosen
        )
        return Response(
            body,
            headers={"Content-Type": offered[chosen].content_type, "Vary": "Accept"},
        )

    async def answer(
        request: Request,
        asked: QueryRequest,
        fixed: Mapping[ResultKind, str | None] | None = None,
    ) -> Response:
        """Screen, negotiate (or take the `fixed` media types), evaluate, answer."""
        assert asked.query is not None
        # off the event loop: linear, but a query of a megabyte takes the screen about a second
        screening = await run_in_threadpool(screen, asked.query)
        if screening.is_update:
            return error(403, READ_ONLY)
        if screening.uses_service:
            return error(
                400,
                "SERVICE (federated query) is not allowed on this endpoint; "
                "query the other endpoint yourself",
            )
        if screening.nesting > MAX_NESTING:
            return error(400, f"the query nests deeper than {MAX_NESTING} levels of brackets")
        accept = accept_of(request)
        media_types = dict(fixed) if fixed is not None else {
            kind: negotiate(accept, list(offers(kind))) for kind in ResultKind
        }
        if screening.kind is not None and media_types[screening.kind] is None:
            return error(
                406,
                f"a {screening.kind.value} query is answered as one of: "
                + ", ".join(offers(screening.kind)),
            )
        try:
            served = builds.current()
        except NoPublishedBuild:
            return error(503, "no graph is published yet: run `untoc-kg build`")

        tag = etag(
            served.build_id,
            asked.query,
            repr((asked.default_graphs, asked.named_graphs)),
            repr(sorted((k.value, v) for k, v in media_types.items() if v)),
        )
        headers = {"Vary": "Accept", **validators(tag, served.last_modified)}
        if request.method in ("GET", "HEAD") and not_modified(request, tag, None):
            return Response(status_code=304, headers=headers)

        task = QueryTask(
            store_path=str(served.build.store_path),
            query=asked.query,
            default_graphs=asked.default_graphs,
            named_graphs=asked.named_graphs,
            media_types=media_types,
            max_rows=limits.max_result_rows,
            base_iri=str(request.base_url).rstrip("/") + ENDPOINT_PATH,
            remote=served.remote,
            prefixes=dict(formats.PREFIXES),  # a task is pickled to its worker
        )
        try:
            outcome = await pool.run(task, limits.timeout_seconds)
        except QueryTimeout:
            return error(
                504,
                f"the query ran longer than the {limits.timeout_seconds:g} s limit and was "
                "stopped; narrow it (LIMIT, more specific patterns)",
            )
        except WorkersBusy:
            return error(
                503,
                f"every query worker stayed busy for {limits.timeout_seconds:g} s; try again",
                {"Retry-After": "5"},
            )
        if isinstance(outcome, QueryFailure):
            return error(outcome.status, outcome.message)
        headers["Content-Type"] = outcome.content_type
        if outcome.truncated:
            headers[TRUNCATED_HEADER] = str(limits.max_result_rows)
        return Response(outcome.body, headers=headers)

    @router.api_route(ENDPOINT_PATH, methods=["GET", "HEAD", "POST"])
    async def sparql(request: Request) -> Response:
        """SPARQL 1.1 Protocol query operation; without a query, the Service Description."""
        try:
            body = b""
            if request.method == "POST":
                body = await read_body(request, limits)
            asked = parse_query_request(
                request.method,
                request.headers.get("content-type"),
                request.scope.get("query_string", b""),
                body,
            )
        except ProtocolError as refused:
            # After a 413 the body may be unread past the linger: close rather than keep a
            # connection whose next bytes are the rest of a body.
            close = {"Connection": "close"} if refused.status == 413 else None
            return error(refused.status, refused.message, close)
        if asked.query is None:
            if wants_page(request.headers.get("accept")):
                return RedirectResponse(QUERY_PAGE_PATH, 303, headers={"Vary": "Accept"})
            return describe_service(request)
        return await answer(request, asked)

    named_query_routes(router, answer)
    return router


def accept_of(request: Request) -> str | None:
    """The Accept header, or the media type a `format` parameter names (as Fuseki's
    `format`/`output`): a link can then download an answer in the format it names."""
    named = request.query_params.get("format") or request.query_params.get("output")
    if named and named.lower() in FORMAT_NAMES:
        return FORMAT_NAMES[named.lower()]
    return request.headers.get("accept")


def named_query_routes(router: APIRouter, answer) -> None:
    """The named queries as a small API at stable URLs: `/queries/NAME.json?param=value`
    (SPARQL JSON results), `.csv`, the bound SPARQL text at `.rq`, and the list at
    `/queries.json`; evaluated like any query of the endpoint (same workers and limits)."""

    @router.api_route(QUERIES_PATH + ".json", methods=["GET", "HEAD"])
    def query_list(request: Request) -> Response:
        listing = [described(q, str(request.base_url).rstrip("/")) for q in named_queries().values()]
        return Response(
            json.dumps({"queries": listing}, indent=1, ensure_ascii=False),
            media_type="application/json",
            headers={"Cache-Control": CACHE_CONTROL},
        )

    @router.api_route(QUERIES_PATH + "/{name}.{extension}", methods=["GET", "HEAD"])
    async def named(request: Request, name: str, extension: str) -> Response:
        query = named_queries().get(name)
        if query is None:
            return error(404, f"no named query {name!r}; see {QUERIES_PATH}.json: "
                         + ", ".join(named_queries()))
        if extension not in API_FORMATS and extension != "rq":
            return error(404, f"{name} is served as .json, .csv and .rq, not .{extension}")
        values = {k: v for k, v in request.query_params.items() if k not in ("format", "output")}
        try:
            text = bound_text(query, values)
        except QueryParameterError as refused:
            return error(400, str(refused))
        if extension == "rq":
            body = with_prologue(text, formats.PREFIXES)
            return Response(body, media_type="application/sparql-query; charset=utf-8")
        return await answer(request, QueryRequest(text), API_FORMATS[extension])


def described(query: NamedQuery, site: str) -> dict[str, object]:
    """A named query as the API lists it."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {
                "name": p.name,
                "kind": p.kind,
                "default": p.default,
                "optional": p.optional,
                "description": p.description,
            }
            for p in query.parameters
        ],
        "json": f"{site}{QUERIES_PATH}/{query.name}.json",
        "csv": f"{site}{QUERIES_PATH}/{query.name}.csv",
        "sparql": f"{site}{QUERIES_PATH}/{query.name}.rq",
    }
