"""The web application: SPARQL endpoint, dereferenceable URIs, pages, metadata, dumps.

`create_app(data_dir)` serves whatever build `data_dir/current` points to at each request, so a
rebuild goes live without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from untoc_kg.server import formats
from untoc_kg.server.conditional import CACHE_CONTROL
from untoc_kg.server.find import Indexes, find_router
from untoc_kg.server.limits import QueryLimits
from untoc_kg.server.ontology_page import STYLESHEET_PATH, stylesheet
from untoc_kg.server.metadata import metadata_router
from untoc_kg.server.pages import STATIC, Pages
from untoc_kg.server.query_page import query_page
from untoc_kg.server.published import PublishedBuilds
from untoc_kg.server.resources import resource_router
from untoc_kg.server.security import secure
from untoc_kg.server.sparql_endpoint import sparql_router
from untoc_kg.sparql.remote import RemoteEndpoint
from untoc_kg.datadir import NoPublishedBuild


@dataclass(frozen=True)
class ServerSettings:
    limits: QueryLimits = field(default_factory=QueryLimits)
    remote: RemoteEndpoint | None = None
    """Serve the graph from this SPARQL store (`untoc-kg load --to` put it there)."""


async def no_build(request: Request, error: Exception) -> PlainTextResponse:
    return PlainTextResponse(
        "No graph is published yet: run `untoc-kg build` first.\n", status_code=503
    )


def create_app(data_dir: Path, *, settings: ServerSettings | None = None) -> FastAPI:
    """The app over the builds published in `data_dir`."""
    settings = settings or ServerSettings()
    builds = PublishedBuilds(Path(data_dir), settings.remote)
    pages = Pages()
    indexes = Indexes()
    app = FastAPI(title="untoc-kg", docs_url=None, redoc_url=None, openapi_url=None)
    secure(app)
    app.add_exception_handler(NoPublishedBuild, no_build)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def home() -> Response:  # sync: FastAPI runs it in the thread pool
        served = builds.current()
        return HTMLResponse(pages.home(served, indexes.coverage(served)))

    @app.api_route("/query", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def query(request: Request) -> Response:
        return HTMLResponse(query_page(pages, builds.current(), request.query_params))

    @app.api_route(formats.CONTEXT_PATH, methods=["GET", "HEAD"])
    def jsonld_context() -> Response:
        return Response(
            formats.context_document(),
            media_type=formats.JSON_LD.content_type,
            headers={"Cache-Control": CACHE_CONTROL},
        )

    @app.api_route(STYLESHEET_PATH, methods=["GET", "HEAD"])
    def ontology_stylesheet() -> Response:
        return Response(
            stylesheet(), media_type="text/css", headers={"Cache-Control": CACHE_CONTROL}
        )

    app.include_router(sparql_router(Path(data_dir), settings.limits, builds))
    app.include_router(metadata_router(builds, pages))
    app.include_router(find_router(builds, pages, indexes))
    app.include_router(resource_router(builds, pages))
    return app
