"""Finding things: `/search` (HTML, or JSON for `Accept: application/json`; `/search.json` and
`/search.csv` download every result) and the list of each kind where cutting its things' IRIs
back leads (`/untoc-kg/id/state/`, `/untoc-kg/id/treaty/som/article/`).

Why lists at the IRIs' parent paths rather than at /states: it is where a reader who shortens an
IRI in the address bar lands (a URL to hack, as the Cool URIs note asks), it needs no second
naming scheme, and a prefix lists what is under it (`…/id/recommendation/ctoc-cop-wg7/3/` is
the recommendations of that meeting). The lists are pages, not resources of the graph: they end
in "/", which no IRI of the graph does, and are never in the dumps.

Both read the build's search index (`untoc_kg.search`); a build published without one (an older
build, a hand-made one) gets it made from its store the first time it is asked for.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any
from collections.abc import Iterator
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)

from untoc_kg import search
from untoc_kg.search.engine import ENGINE_DIR, open_engine
from untoc_kg.search.index import FORMAT, index_format
from untoc_kg.search.kinds import BY_FACET, BY_NAME, FACET_NAMES, KINDS
from untoc_kg.search.query import SearchRequest, SearchResult, all_rows, coverage, list_kind
from untoc_kg.server import charts
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.pages import Pages
from untoc_kg.server.published import PublishedBuilds, Served, to_local

JSON_TYPE = "application/json"
CSV_COLUMNS = ("iri", "kind", "label", "date", "text")
LIST_PAGE_SIZE = 50
CHARTS = {"articles": charts.articles_chart, "meetings": charts.meetings_chart,
          "attendance": charts.attendance_map}


class Indexes:
    """The search index of each served build, made on first use when the build has none (in the
    build dir, or, where the server may not write there, in a folder of the temporary dir); the
    engine is opened once per build (the last two kept, as `PublishedBuilds` keeps stores)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engines: dict[Path, Any] = {}

    def folder(self, served: Served) -> Path:
        """Where the build's index is, made there first if need be."""
        for folder in (served.build.path, self._spare(served)):
            if index_format(folder / search.INDEX_FILE) == FORMAT:
                return folder
        with self._lock:
            for folder in (served.build.path, self._spare(served)):
                if index_format(folder / search.INDEX_FILE) == FORMAT:
                    return folder
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    search.build_index(served.store, folder, served.base_uri)
                    return folder
                except OSError:
                    continue  # not ours to write: the spare folder next
        raise OSError(f"cannot write a search index for {served.build.path}")

    @staticmethod
    def _spare(served: Served) -> Path:
        return Path(tempfile.gettempdir()) / "untoc-kg-search" / served.build_id

    def connect(self, served: Served) -> sqlite3.Connection:
        return search.open_index(self.folder(served))

    def searcher(self, served: Served) -> search.Searcher:
        folder = self.folder(served)
        engine = self._engines.get(folder)
        if engine is None:
            with self._lock:
                engine = self._engines.get(folder)
                if engine is None:
                    engine = open_engine(folder / ENGINE_DIR)
                    self._engines[folder] = engine
                    for stale in list(self._engines)[:-2]:
                        del self._engines[stale]
        return search.open_searcher(folder, engine)

    def coverage(self, served: Served) -> dict | None:
        """What the build covers (for the home page), or None if it cannot be indexed."""
        try:
            connection = self.connect(served)
        except (OSError, sqlite3.Error):
            return None
        try:
            return coverage(connection)
        finally:
            connection.close()


def search_request(request: Request) -> SearchRequest:
    params = request.query_params
    filters = {f: tuple(v for v in params.getlist(f) if v) for f in FACET_NAMES}
    names = {f: params[f"{f}_name"] for f in FACET_NAMES if params.get(f"{f}_name")}
    return SearchRequest(
        q=params.get("q", ""),
        filters={f: v for f, v in filters.items() if v},
        page=_int(params.get("page"), 1),
        size=_int(params.get("size"), search.query.PAGE_SIZE),
        facet_names=names,
    )


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def search_url(request: SearchRequest, path: str = "/search", **changes: object) -> str:
    """The URL of `request` with some parameters changed: every combination is a link."""
    pairs: list[tuple[str, str]] = []
    q = changes.get("q", request.q)
    if q:
        pairs.append(("q", str(q)))
    filters = changes.get("filters", request.filters)
    for facet in FACET_NAMES:
        pairs += [(facet, v) for v in filters.get(facet, ())]  # type: ignore[union-attr]
    page = changes.get("page", 1)
    if page != 1:
        pairs.append(("page", str(page)))
    if request.size != search.query.PAGE_SIZE:
        pairs.append(("size", str(request.size)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def toggled(request: SearchRequest, facet: str, value: str) -> str:
    """The URL with `value` of `facet` selected if it was not, and dropped if it was."""
    filters = {f: list(v) for f, v in request.filters.items()}
    values = filters.setdefault(facet, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return search_url(request, filters={f: tuple(v) for f, v in filters.items()})


def result_json(result: SearchResult, served: Served) -> dict:
    request = result.request
    return {
        "q": request.q,
        "filters": {f: list(v) for f, v in request.filters.items()},
        "total": result.total,
        "page": request.page,
        "size": request.size,
        "pages": result.pages,
        "next": search_url(request, "/search.json", page=request.page + 1)
        if request.page < result.pages else None,
        "results": [
            {
                "iri": hit.iri,
                "url": to_local(hit.iri, served) or hit.iri,
                "kind": hit.kind,
                "label": hit.label,
                "date": hit.date,
                "score": hit.score,
                "title": [[s.text, s.match] for s in hit.title],
                "snippet": [[s.text, s.match] for s in hit.snippet],
            }
            for hit in result.hits
        ],
        "facets": [
            {
                "name": facet.name,
                "title": facet.title,
                "values": [
                    {"value": v.value, "label": v.label, "count": v.count,
                     "selected": v.selected, "url": toggled(request, facet.name, v.value)}
                    for v in facet.values
                ],
                "more": facet.more,
                "counted": facet.counted,
            }
            for facet in result.facets
        ],
    }


def csv_lines(rows: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    facets = [f for f in FACET_NAMES if f != "kind"]
    writer.writerow([*CSV_COLUMNS, *facets])
    for row in rows:
        writer.writerow(
            [row[c] or "" for c in CSV_COLUMNS]
            + [" | ".join(row["facets"].get(f, ())) for f in facets]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_lines(rows: Iterator[dict], total: int) -> Iterator[str]:
    """A JSON document written row by row (a download of every result never sits whole in
    memory)."""
    yield '{"total": %d, "results": [\n' % total
    first = True
    for row in rows:
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def list_target(path: str, served: Served) -> tuple[str, str] | None:
    """(kind, key prefix) of a list path (`/untoc-kg/id/treaty/som/article/`), or None."""
    if not path.startswith(served.base_path) or not path.endswith("/"):
        return None
    rest = path[len(served.base_path):]
    segments = [s for s in rest.split("/") if s]
    words = {k.segment: k for k in reversed(KINDS)}  # first listed wins ("treaty": treaties)
    found = [i for i, s in enumerate(segments) if s in words]
    if not found:
        return None
    kind = words[segments[found[-1]]]
    prefix = rest if len(segments) > 1 else ""
    return kind.name, prefix


def find_router(builds: PublishedBuilds, pages: Pages, indexes: Indexes) -> APIRouter:
    """Include it before the resource router (whose catch-all would take the list paths)."""
    router = APIRouter()

    def run_search(served: Served, request: SearchRequest) -> tuple[SearchResult | None, str | None]:
        searcher = indexes.searcher(served)
        try:
            return search.search(searcher, request), None
        except search.SearchSyntaxError as error:
            return None, str(error)
        finally:
            searcher.close()

    @router.api_route("/search", methods=["GET", "HEAD"], include_in_schema=False)
    async def search_page(request: Request) -> Response:
        served = builds.current()
        wanted = search_request(request)
        result, error = await run_in_threadpool(run_search, served, wanted)
        accept = request.headers.get("accept")
        if negotiate(accept, ["text/html", JSON_TYPE]) == JSON_TYPE:
            return answer_json(result, error, served)
        html = await run_in_threadpool(
            pages.render, "search.html", served, request=wanted, result=result, error=error,
            url=lambda **c: search_url(wanted, **c), toggled=lambda f, v: toggled(wanted, f, v),
            local=lambda iri: to_local(iri, served) or iri, kinds=BY_NAME, facets=BY_FACET,
            downloads={"CSV": search_url(wanted, "/search.csv"),
                       "JSON": search_url(wanted, "/search.json")},
        )
        return HTMLResponse(html, status_code=400 if error else 200, headers={"Vary": "Accept"})

    @router.api_route("/search.json", methods=["GET", "HEAD"], include_in_schema=False)
    async def search_json(request: Request) -> Response:
        served = builds.current()
        wanted = search_request(request)
        if "page" not in request.query_params and "size" not in request.query_params:
            return await download(served, wanted, "json")
        result, error = await run_in_threadpool(run_search, served, wanted)
        return answer_json(result, error, served)

    @router.api_route("/search.csv", methods=["GET", "HEAD"], include_in_schema=False)
    async def search_csv(request: Request) -> Response:
        return await download(builds.current(), search_request(request), "csv")

    def answer_json(result: SearchResult | None, error: str | None, served: Served) -> Response:
        if result is None:
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse(result_json(result, served), headers={"Vary": "Accept"})

    async def download(served: Served, wanted: SearchRequest, fmt: str) -> Response:
        searcher = indexes.searcher(served)
        try:
            rows = list(all_rows(searcher, wanted))
        except search.SearchSyntaxError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        finally:
            searcher.close()
        total = len(rows)
        name = "search-results"
        if fmt == "csv":
            return StreamingResponse(
                csv_lines(iter(rows)), media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        return StreamingResponse(
            json_lines(iter(rows), total), media_type=JSON_TYPE,
            headers={"Content-Disposition": f'inline; filename="{name}.json"'},
        )

    @router.api_route("/charts", methods=["GET", "HEAD"], include_in_schema=False)
    async def charts_page() -> Response:
        served = builds.current()

        def render() -> str:
            connection = indexes.connect(served)
            try:
                drawn = {"articles": charts.articles_chart(connection),
                         "meetings": charts.meetings_chart(connection),
                         "attendance": charts.attendance_map(connection)}
            finally:
                connection.close()
            return pages.render("charts.html", served, local=lambda key: to_local(
                served.base_uri + key, served) or key, **drawn)

        return HTMLResponse(await run_in_threadpool(render))

    @router.api_route("/charts/{name}.csv", methods=["GET", "HEAD"], include_in_schema=False)
    async def chart_numbers(name: str) -> Response:
        draw = CHARTS.get(name)
        if draw is None:
            return PlainTextResponse(f"No chart {name!r}; charts: {', '.join(CHARTS)}\n", 404)
        served = builds.current()

        def numbers() -> str:
            connection = indexes.connect(served)
            try:
                chart = draw(connection)
            finally:
                connection.close()
            return charts.as_csv(chart.columns, chart.rows)

        return Response(await run_in_threadpool(numbers), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'inline; filename="{name}.csv"'})

    @router.api_route("/{path:path}/", methods=["GET", "HEAD"], include_in_schema=False)
    async def list_page(request: Request, path: str) -> Response:
        served = builds.current()
        target = list_target(request.url.path, served)
        if target is None:
            return await run_in_threadpool(
                pages.not_found, served, request.url.path, request.headers.get("accept")
            )
        kind, prefix = target
        params = request.query_params
        sort = params.get("sort", "-date" if BY_NAME[kind].dated else "label")

        def render() -> Response:
            connection = indexes.connect(served)
            try:
                page = list_kind(connection, kind, prefix, sort, params.get("after"),
                                 _int(params.get("size"), LIST_PAGE_SIZE))
            except search.ListError as error:
                return HTMLResponse(
                    pages.render("list.html", served, kind=BY_NAME[kind], page=None,
                                 error=str(error), sorts=(), local=lambda i: i, path=request.url.path),
                    status_code=400,
                )
            finally:
                connection.close()
            return HTMLResponse(pages.render(
                "list.html", served, kind=BY_NAME[kind], page=page, error=None,
                sorts=sort_links(request.url.path, BY_NAME[kind], page.sort),
                next_href=(f"{request.url.path}?" + urlencode(
                    {"sort": page.sort, "after": page.next_after,
                     **({"size": params["size"]} if params.get("size") else {})})
                           if page.next_after else None),
                local=lambda iri: to_local(iri, served) or iri, path=request.url.path,
                request_after=params.get("after"),
            ))

        return await run_in_threadpool(render)

    return router


def sort_links(path: str, kind: search.kinds.Kind, current: str) -> list[tuple[str, str, bool]]:
    """(label, href, is current) of each order the list can be given in."""
    options = [("name", "label"), ("name, Z to A", "-label")]
    if kind.dated:
        options += [("newest first", "-date"), ("oldest first", "date")]
    if kind.counted_by:
        options += [(f"most {kind.count_title}", "-count"), (f"fewest {kind.count_title}", "count")]
    return [(label, f"{path}?sort={value}", value == current) for label, value in options]

