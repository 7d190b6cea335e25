"""A local `untoc-kg serve` keeps a reader on the local site whatever the base URI the build was
made with: redirects, pages, the query page's settings and the vocabulary's page link locally,
while the RDF keeps the canonical IRIs."""

from __future__ import annotations

import re
from datetime import datetime

import httpx
import pytest

from untoc_kg.server import create_app

OTHER_BASE = "http://data.example.org/kg/"
PAGES = ("/", "/query", "/dumps/", "/untoc-kg/ontology", "/kg/state/ITA.html",
         "/kg/meeting/ctoc-cop-wg7/3.html", "/kg/treaty/som/article/8.html")


@pytest.fixture(scope="module")
def client(tmp_path_factory, live_server):
    from untoc_kg import publish as pipeline
    from untoc_kg.corpus import corpus_files

    data_dir = tmp_path_factory.mktemp("other-base")
    built = pipeline.build(
        corpus_files(), data_dir, OTHER_BASE,
        build_time=datetime.fromisoformat("2026-01-01T00:00:00+00:00"),
    )
    assert built.ok
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=60) as c:
        yield c


def test_a_thing_redirects_to_a_local_document(client: httpx.Client) -> None:
    r = client.get("/kg/state/ITA", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/kg/state/ITA.html"
    turtle = client.get("/kg/state/ITA", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert f"<{OTHER_BASE}state/ITA>" in turtle.text  # the RDF keeps the canonical IRI


@pytest.mark.parametrize("path", PAGES)
def test_pages_link_only_locally_to_what_this_site_serves(client: httpx.Client, path: str) -> None:
    page = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200, path
    hrefs = re.findall(r'href="([^"]+)"', page.text)
    ours = [h for h in hrefs if h.startswith((OTHER_BASE, "https://w3id.org/untoc-kg/"))]
    assert ours == [], (path, ours[:5])
    assert any(h.startswith("/") for h in hrefs)


def test_the_query_page_maps_the_base_uri_to_this_site(client: httpx.Client) -> None:
    page = client.get("/query").text
    assert f'["{OTHER_BASE}", "/kg/"]' in page
