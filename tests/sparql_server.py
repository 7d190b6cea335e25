"""A published test store and a real uvicorn server with the SPARQL endpoint, shared by the
endpoint's test modules (imported there, so pytest sees the fixture)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph
import pytest
from fastapi import APIRouter, FastAPI

from untoc_kg.server.limits import QueryLimits
from untoc_kg.server.sparql_endpoint import sparql_router
from untoc_kg.datadir.layout import STORE, new_build_dir, new_build_id
from untoc_kg.datadir.manifest import write_manifest
from untoc_kg.datadir.writer import writing

W3C = Path(__file__).parent / "w3c"
EX = "http://example.org/"
DEFAULT_GRAPH_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:r1 ex:label "Recommendation one"@en, "Recommandation un"@fr ;
    ex:number 1 ; ex:adopted "2015-11-11"^^xsd:date ; ex:cites ex:article8 .
ex:r2 ex:label "Zwei \u2014 \\"quoted\\", a\\ttab,\\na newline; commas" ;
    ex:number 2 ; ex:score 2.5 ; ex:cites ex:article8, ex:article9 .
ex:article8 ex:title "Article 8" .
"""
"""A few triples in the default graph with the terms clients get wrong: languages, datatypes,
quotes, tabs, newlines and commas in literals."""

TEST_LIMITS = QueryLimits(
    timeout_seconds=3.0, max_result_rows=100, max_request_bytes=64 * 1024, workers=2
)


def publish_store(
    data_dir: Path, turtle: str = DEFAULT_GRAPH_DATA, trig: Path | None = W3C / "protocol-data.trig"
) -> Path:
    """Build and publish a store in the layout `untoc-kg build` writes; returns the build dir."""
    build_dir = new_build_dir(data_dir, new_build_id(datetime.now(timezone.utc)))
    store = pyoxigraph.Store(str(build_dir / STORE))
    if trig is not None:
        store.load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
    store.load(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    store.flush()
    del store
    write_manifest(
        build_dir,
        {
            "build_id": build_dir.name,
            "base_uri": EX + "id/",
            "created": datetime.now(timezone.utc).isoformat(),
            "conforms": True,
        },
    )
    with writing(data_dir, "build") as writer:
        writer.make_current(build_dir)
    return build_dir


@dataclass(frozen=True)
class Endpoint:
    base: str
    """http://127.0.0.1:PORT"""
    router: APIRouter
    data_dir: Path

    @property
    def url(self) -> str:
        return self.base + "/sparql"

    @property
    def worker_pids(self) -> list[int]:
        return self.router.worker_pool.worker_pids  # type: ignore[attr-defined]


def serve(live_server: Callable[..., str], data_dir: Path, limits: QueryLimits) -> Endpoint:
    app = FastAPI()
    router = sparql_router(data_dir, limits)
    app.include_router(router)
    return Endpoint(live_server(app, ready_path="/sparql"), router, data_dir)


@pytest.fixture(scope="session")
def sparql_endpoint(live_server, tmp_path_factory) -> Endpoint:
    """The endpoint over the W3C protocol data plus DEFAULT_GRAPH_DATA, with TEST_LIMITS."""
    data_dir = tmp_path_factory.mktemp("sparql-data")
    publish_store(data_dir)
    return serve(live_server, data_dir, TEST_LIMITS)
