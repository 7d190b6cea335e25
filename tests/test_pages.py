"""The HTML pages over a real uvicorn server: what each kind of page shows, escaping of hostile
data (markup and "</script>" in the embedded JSON-LD), paging of long lists, licence and safety
headers on every page, and no stack trace in errors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
import pytest

from sample_build import HOSTILE_TEXT, publish_sample
from untoc_kg.server import create_app
from untoc_kg.sparql.named_queries import named_queries

PATH = "/untoc-kg/id/"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, live_server) -> httpx.Client:
    data_dir = tmp_path_factory.mktemp("pages")
    publish_sample(data_dir)
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30, follow_redirects=True) as c:
        yield c


def page(client: httpx.Client, path: str) -> str:
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, path
    return r.text


def links(html: str) -> dict[str, str]:
    """Link text -> href."""
    return {text: href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)}


def test_recommendation_page(client: httpx.Client) -> None:
    html = page(client, PATH + "recommendation/ctoc-cop-wg7/3/1")
    assert "States parties should cooperate at sea" in html
    assert "(a) share information" in html
    found = links(html)
    assert found["Third meeting of the Working Group"] == PATH + "meeting/ctoc-cop-wg7/3"
    assert found["A. Smuggling by sea"] == PATH + "section/ctoc-cop-wg7/3/A"
    assert (
        found["Article 8: Measures against the smuggling of migrants by sea"]
        == PATH + "treaty/som/article/8"
    )
    assert found["Report on the third meeting"] == PATH + "document/CTOC-COP-WG.7-2015-5"
    assert "paragraph 1" in html


def test_article_page_lists_citing_recommendations_with_their_meetings(
    client: httpx.Client,
) -> None:
    html = page(client, PATH + "treaty/som/article/8")
    cited_by = html.split("<h2>Cited by</h2>")[1].split("</section>")[0]
    # recommendation 2 cites a paragraph of the article: it counts as citing the article
    assert PATH + "recommendation/ctoc-cop-wg7/3/1" in cited_by
    assert PATH + "recommendation/ctoc-cop-wg7/3/2" in cited_by
    assert PATH + "meeting/ctoc-cop-wg7/3" in cited_by


def test_state_page_shows_attendance_and_wikidata(client: httpx.Client) -> None:
    html = page(client, PATH + "state/ITA")
    attended = html.split("<h2>Attended</h2>")[1].split("</section>")[0]
    assert "Third meeting of the Working Group" in attended and "State party" in attended
    assert 'href="http://www.wikidata.org/entity/Q38"' in html


def test_meeting_page(client: httpx.Client) -> None:
    html = page(client, PATH + "meeting/ctoc-cop-wg7/3")
    assert "2015-11-18 to 2015-11-20" in html
    assert links(html)["A. Chairperson"] == PATH + "person/chair-3"
    assert "Organizational matters" in html
    assert "Attendance: State party" in html and "Attendance: Observer" in html
    section = html.split("Recommendations: A. Smuggling by sea")[1].split("</section>")[0]
    assert PATH + "recommendation/ctoc-cop-wg7/3/1" in section


def test_home_page_counts_and_ways_in(client: httpx.Client) -> None:
    html = page(client, "/")
    assert re.search(r">Recommendation</a>: 2<", html)
    assert links(html)["Third meeting of the Working Group"] == PATH + "meeting/ctoc-cop-wg7/3"
    for href in ("/query", "/sparql", "/dumps/"):
        assert f'href="{href}"' in html


def test_hostile_data_is_text_everywhere(client: httpx.Client) -> None:
    html = page(client, PATH + "recommendation/ctoc-cop-wg7/3/2")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the embedded JSON-LD holds the same text and is still one script element
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    from rdflib import Graph, Literal

    embedded = Graph().parse(data=block, format="json-ld")  # compacted: read it as JSON-LD
    values = [str(o) for o in embedded.objects() if isinstance(o, Literal)]
    assert HOSTILE_TEXT in values
    assert html.count("<script") == 1


def test_every_page_has_licence_links_to_data_and_safety_headers(client: httpx.Client) -> None:
    for path in ("/", "/query", PATH + "state/ITA", PATH + "treaty/som", "/dumps/", PATH + "nope"):
        r = client.get(path, headers={"Accept": "text/html", "Origin": "https://elsewhere.example"})
        assert f'rel="license" href="{LICENCE}"' in r.text, path
        assert 'href="/sparql"' in r.text and 'href="/dumps/"' in r.text
        csp = r.headers["content-security-policy"]
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp
            and "frame-ancestors 'none'" in csp
        )
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in r.headers


def test_page_embeds_json_ld_and_advertises_alternates(client: httpx.Client) -> None:
    html = page(client, PATH + "state/ITA")
    for ext, media_type in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ):
        assert f'<link rel="alternate" type="{media_type}" href="{PATH}state/ITA.{ext}"' in html
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert any(
        node.get("@id") == "https://w3id.org/untoc-kg/id/state/ITA"
        for node in json.loads(block)["@graph"]
    )


def test_query_page_offers_every_named_query(client: httpx.Client) -> None:
    html = page(client, "/query")
    assert '<script src="/static/query.js" defer></script>' in html
    for name in named_queries():
        assert f'<option value="{name}"' in html
    script = client.get("/static/query.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


CITING = """
<https://w3id.org/untoc-kg/id/recommendation/x/{n}> a <https://w3id.org/untoc-kg/ontology#Recommendation> ;
  <https://w3id.org/untoc-kg/ontology#cites> <https://w3id.org/untoc-kg/id/treaty/som/article/8> ;
  <https://w3id.org/untoc-kg/ontology#adoptedAt> <https://w3id.org/untoc-kg/id/meeting/ctoc-cop-wg7/3> .
"""


def test_long_lists_are_paged_without_gaps_or_repeats(tmp_path: Path, live_server) -> None:
    publish_sample(tmp_path, "".join(CITING.replace("{n}", str(n)) for n in range(120)))
    seen: list[str] = []
    with httpx.Client(base_url=live_server(create_app(tmp_path)), timeout=30, follow_redirects=True) as c:
        url, pages = PATH + "treaty/som/article/8", 0
        while url:
            html = page(c, url)
            cited_by = html.split("<h2>Cited by</h2>")[1].split("</section>")[0]
            rows = re.findall(r'<li><a href="([^"]+)"', cited_by)
            assert len(rows) <= 50
            seen += rows
            nxt = re.search(r'<a rel="next" href="([^"]+)"', cited_by)
            url = PATH + "treaty/som/article/8" + nxt.group(1).replace("&amp;", "&") if nxt else ""
            pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 122


def test_errors_carry_no_stack_trace(tmp_path: Path, live_server) -> None:
    publish_sample(tmp_path)
    manifest = (tmp_path / "current").resolve() / "build.json"
    os.chmod(manifest, 0o644)
    with httpx.Client(base_url=live_server(create_app(tmp_path)), timeout=30, follow_redirects=True) as c:
        manifest.write_text("{ not json")  # the next build to open breaks
        os.replace(tmp_path / "current", tmp_path / "was-current")
        os.symlink((tmp_path / "was-current").resolve(), tmp_path / "current")
        c.get("/")
        (tmp_path / "builds" / "broken").mkdir()
        (tmp_path / "builds" / "broken" / "build.json").write_text("{ not json")
        os.remove(tmp_path / "current")
        os.symlink(tmp_path / "builds" / "broken", tmp_path / "current")
        r = c.get(PATH + "state/ITA")
        assert r.status_code == 500
        assert (
            "Traceback" not in r.text and "JSONDecodeError" not in r.text and "File " not in r.text
        )
        assert r.text.strip() == "Internal server error."
