"""Search and lists over a real uvicorn server: each search semantic as a case (stemming,
irregular plurals, folded diacritics, phrases, AND/OR/NOT, prefixes, facets narrowing and found
by name), the JSON and CSV downloads, paging, the keyset-paged lists; and the index kept by
`build`, `add` and `remove` equal to the index of a fresh build of the same documents."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sample_build import publish_sample
from untoc_kg.server import create_app

PATH = "/untoc-kg/id/"
REC = "recommendation/ctoc-cop-wg7/3/"
EXTRA = """
<state/TUR> a untoc:State ; rdfs:label "Türkiye"@en ; dct:identifier "TUR" .
<recommendation/ctoc-cop-wg7/3/10> a untoc:Recommendation ; rdfs:label "Recommendation 10 of the third meeting"@en ;
  untoc:text "States should end discrimination against women in migration procedures."@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/3> ; untoc:position 10 ; untoc:mentions <organization/iom> .
<recommendation/ctoc-cop-wg7/3/11> a untoc:Recommendation ; rdfs:label "Recommendation 11 of the third meeting"@en ;
  untoc:text "States should strengthen law enforcement cooperation with Türkiye."@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/3> ; untoc:position 11 ; untoc:cites <treaty/som/article/8> .
<recommendation/ctoc-cop-wg7/3/12> a untoc:Recommendation ; rdfs:label "Recommendation 12 of the third meeting"@en ;
  untoc:text "The enforcement of the law at sea should respect the rights of each woman."@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/3> ; untoc:position 12 .
<recommendation/ctoc-cop-wg7/3/13> a untoc:Recommendation ; rdfs:label "Recommendation 13 of the third meeting"@en ;
  untoc:text "States should watch migratory routes by air."@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/3> ; untoc:position 13 .
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, live_server) -> httpx.Client:
    data_dir = tmp_path_factory.mktemp("search")
    publish_sample(data_dir, EXTRA)
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30) as c:
        yield c


def found(client: httpx.Client, q: str, **params: str) -> list[str]:
    """The local keys of every result of a search (JSON by Accept)."""
    r = client.get("/search", params={"q": q, "size": "100", **params},
                   headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return [hit["url"].removeprefix(PATH) for hit in r.json()["results"]]


def test_stemming_finds_other_forms_of_a_word(client: httpx.Client) -> None:
    assert found(client, "discriminate") == [REC + "10"]
    assert REC + "1" in found(client, "cooperating")  # "cooperate"


def test_irregular_plurals_find_each_other(client: httpx.Client) -> None:
    assert set(found(client, "woman")) == {REC + "10", REC + "12"}
    assert set(found(client, "women")) == {REC + "10", REC + "12"}


def test_diacritics_are_folded(client: httpx.Client) -> None:
    assert set(found(client, "Turkiye")) == {"state/TUR", REC + "11"}
    assert set(found(client, "türkiye")) == {"state/TUR", REC + "11"}


def test_a_quoted_phrase_needs_its_words_together(client: httpx.Client) -> None:
    assert found(client, '"law enforcement"') == [REC + "11"]
    assert set(found(client, "law enforcement")) == {REC + "11", REC + "12"}


def test_and_or_not_and_grouping(client: httpx.Client) -> None:
    assert set(found(client, "law AND sea")) == {REC + "12"}
    sea_or_air = set(found(client, "sea OR air"))
    assert {REC + "1", REC + "12", REC + "13"} <= sea_or_air
    assert REC + "10" not in sea_or_air
    assert REC + "12" not in found(client, "law NOT sea")
    assert set(found(client, "(sea OR air) AND routes")) == {REC + "13"}
    assert found(client, "law AND NOT sea") == found(client, "law NOT sea")


def test_a_prefix_finds_the_words_it_begins(client: httpx.Client) -> None:
    assert {REC + "10", REC + "13"} <= set(found(client, "migrat*"))
    # "migrati" begins "migration" but not "migratory", though both stem to "migrat"
    assert REC + "10" in found(client, "migrati*") and REC + "13" not in found(client, "migrati*")


def test_a_bad_search_is_a_clear_400(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "NOT sea"}, headers={"Accept": "application/json"})
    assert r.status_code == 400 and "NOT at character 1 needs a word before it" in r.json()["error"]
    r = client.get("/search", params={"q": '"sea'})
    assert r.status_code == 400 and "never closed" in r.text
    # FTS5's own syntax never gets through: column filters and NEAR are words
    assert client.get("/search", params={"q": "text:sea NEAR(a b) ^x"}).status_code == 200


def facet(result: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for f in result["facets"] if f["name"] == name for v in f["values"]}


def test_facets_count_and_narrow(client: httpx.Client) -> None:
    everything = client.get("/search", params={"q": "States"},
                            headers={"Accept": "application/json"}).json()
    articles = facet(everything, "article")
    assert articles == {"treaty/som/article/8": 3}  # 3/1, 3/2 (a paragraph of it) and 3/11
    assert facet(everything, "kind")["recommendation"] == everything["total"] - 0
    narrowed = found(client, "States", article="treaty/som/article/8")
    assert set(narrowed) == {REC + "1", REC + "2", REC + "11"}
    # two facets narrow each other; two values of one facet are alternatives
    assert found(client, "", article="treaty/som/article/8", organization="organization/iom") == []
    assert set(found(client, "", meeting="meeting/ctoc-cop-wg7/3", kind="state")) == set()
    assert {"state/ITA", "state/TUR"} <= set(found(client, "", kind=["state", "organization"]))
    value = next(v for f in everything["facets"] if f["name"] == "article" for v in f["values"])
    assert value["url"] == "/search?q=States&article=treaty%2Fsom%2Farticle%2F8"
    assert value["label"].startswith("Article 8")


def test_facet_values_are_found_by_name(client: httpx.Client) -> None:
    result = client.get("/search", params={"kind": "state", "kind_name": "sta"},
                        headers={"Accept": "application/json"}).json()
    assert set(facet(result, "kind")) == {"state"}
    result = client.get("/search", params={"q": "", "year_name": "2015", "kind_name": "recomm"},
                        headers={"Accept": "application/json"}).json()
    assert set(facet(result, "kind")) == {"recommendation"}


def test_matches_are_highlighted_in_the_page(client: httpx.Client) -> None:
    html = client.get("/search", params={"q": "discriminate"}).text
    assert "<mark>discrimination</mark>" in html
    assert '<input type="search" name="q" aria-label="Search"' in html  # the box on every page
    assert 'value="discriminate"' in html


def test_paging(client: httpx.Client) -> None:
    first = client.get("/search", params={"q": "States", "size": "2"},
                       headers={"Accept": "application/json"}).json()
    keys, page = [], first
    while True:
        keys += [h["url"] for h in page["results"]]
        if page["next"] is None:
            break
        page = client.get(page["next"]).json()
    assert len(keys) == len(set(keys)) == first["total"] > 2


def test_csv_and_json_downloads_hold_every_result(client: httpx.Client) -> None:
    total = client.get("/search", params={"q": "States"},
                       headers={"Accept": "application/json"}).json()["total"]
    r = client.get("/search.csv", params={"q": "States", "article": "treaty/som/article/8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["iri"].removeprefix("https://w3id.org" + PATH) for row in rows} == {
        REC + "1", REC + "2", REC + "11"}
    assert all(row["article"] == "treaty/som/article/8" for row in rows)
    assert rows[0]["meeting"] == "meeting/ctoc-cop-wg7/3" and rows[0]["year"] == "2015"
    r = client.get("/search.json", params={"q": "States"})
    assert r.status_code == 200 and r.json()["total"] == total == len(r.json()["results"])
    assert all("facets" in row and row["kind"] for row in r.json()["results"])


LISTS = {
    "recommendation/": 6, "meeting/": 1, "document/": 1, "state/": 3, "organization/": 1,
    "treaty/": 1, "article/": 1, "treaty/som/article/": 1, "recommendation/ctoc-cop-wg7/3/": 6,
}


@pytest.mark.parametrize("path,total", sorted(LISTS.items()))
def test_every_list_pages_through_all_its_rows(client: httpx.Client, path: str, total: int) -> None:
    seen: list[str] = []
    href = PATH + path + "?size=2"
    while href:
        html = client.get(href).text
        assert int(re.search(r'<span class="total">(\d+)</span>', html).group(1)) == total
        body = html.split("<tbody>")[1].split("</tbody>")[0]
        seen += re.findall(r'<tr><td><a href="([^"]+)"', body)
        found_next = re.search(r'<a rel="next" href="([^"]+)"', html)
        href = found_next.group(1).replace("&amp;", "&") if found_next else None
        assert href is None or "size=2" in href
    assert len(seen) == len(set(seen)) == total


def test_lists_sort_by_count_and_name(client: httpx.Client) -> None:
    html = client.get(PATH + "state/", params={"sort": "-count"}).text
    states = re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>.*?<td class="number">(\d+)</td>', html)
    assert states[0] == ("Italy", "1")  # attended the meeting; the others did not
    html = client.get(PATH + "state/", params={"sort": "-label"}).text
    assert [s for s in re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>', html)] == [
        "Türkiye", "Mexico", "Italy"]
    assert client.get(PATH + "state/", params={"sort": "colour"}).status_code == 400
    assert client.get(PATH + "nothing-here/").status_code == 404


def test_home_says_what_the_data_covers_and_leads_to_every_list(client: httpx.Client) -> None:
    html = client.get("/").text
    assert "Meetings from 2015" in html
    for path in ("recommendation/", "meeting/", "document/", "state/", "organization/",
                 "treaty/", "article/"):
        assert f'href="{PATH}{path}"' in html, path
    assert client.get(PATH + "state/").status_code == 200


def test_each_chart_has_its_numbers_as_csv(client: httpx.Client) -> None:
    rows = list(csv.reader(io.StringIO(client.get("/charts/articles.csv").text)))
    assert rows == [["article", "treaty", "citing recommendations"],
                     ["Article 8: Measures against the smuggling of migrants by sea",
                      "Smuggling of Migrants Protocol", "3"]]
    rows = list(csv.reader(io.StringIO(client.get("/charts/meetings.csv").text)))
    assert rows[1] == ["Third meeting of the Working Group", "", "2015-11-18", "6"]
    rows = list(csv.reader(io.StringIO(client.get("/charts/attendance.csv").text)))
    assert rows[1:] == [["Italy", "ITA", "1"]]
    assert client.get("/charts/nothing.csv").status_code == 404
    html = client.get("/charts").text
    assert "style=" not in html and "<script" not in html  # clean under the CSP


# -- the index kept by build, add and remove ---------------------------------------------------


def index_content(build_dir: Path) -> tuple[set, set, set]:
    with sqlite3.connect(build_dir / "search.sqlite") as connection:
        entries = set(connection.execute(
            "SELECT key, kind, label, text, more, date, count FROM entries"))
        facets = set(connection.execute(
            "SELECT e.key, f.facet, f.value FROM facets f JOIN entries e ON e.id = f.entry"))
        labels = set(connection.execute(
            "SELECT l.value, l.label FROM labels l WHERE l.value IN (SELECT value FROM facets)"))
    from untoc_kg.search import SearchRequest, open_searcher
    from untoc_kg.search.query import all_rows

    searcher = open_searcher(build_dir)
    try:  # the engine finds the same things, and counts them the same
        matched = {(q, row["key"]) for q in ("smuggling", "States", "Vienna", "")
                   for row in all_rows(searcher, SearchRequest(q))}
    finally:
        searcher.close()
    return entries, facets, labels | matched


def test_add_and_remove_keep_the_index_a_build_would_write(tmp_path: Path) -> None:
    from untoc_kg.corpus import corpus_files
    from untoc_kg.publish import update
    from untoc_kg.publish import build, extract_all
    from untoc_kg.settings import DEFAULT_BASE_URI
    from untoc_kg.datadir import current_build

    time = datetime(2026, 1, 1, tzinfo=UTC)
    documents, failures = extract_all(corpus_files())
    assert not failures
    whole = build(corpus_files(), tmp_path / "whole", DEFAULT_BASE_URI, build_time=time)
    assert (whole.build_dir / "search.sqlite").is_file()
    last = documents[-1]
    rest = [d for d in documents if d is not last]
    partial = tmp_path / "partial"
    from untoc_kg.publish import build_documents

    base = build_documents(rest, partial, DEFAULT_BASE_URI, build_time=time)
    engine_files = lambda build_dir: {  # noqa: E731
        p.name: p.read_bytes() for p in (build_dir / "search.tantivy").iterdir() if p.is_file()
    }
    before, base_content = engine_files(base.build_dir), index_content(base.build_dir)
    added = update(partial, added=[last], time=time)
    assert added.ok
    assert index_content(added.build_dir) == index_content(whole.build_dir)
    # the update shares the previous build's engine files (hard links) and leaves them as they were
    assert engine_files(base.build_dir) == before
    assert index_content(base.build_dir) == base_content

    symbol = next(d.symbol for d in documents if d.symbol)
    removed = update(partial, removed_symbols=[symbol], time=time)
    assert removed.ok
    fresh = build_documents(
        [d for d in documents if d.symbol != symbol], tmp_path / "fresh", DEFAULT_BASE_URI,
        build_time=time,
    )
    assert index_content(current_build(partial).path) == index_content(fresh.build_dir)


def test_hostile_text_stays_text_in_results(client: httpx.Client) -> None:
    html = client.get("/search", params={"q": "alert"}).text
    assert f"{PATH}{REC}2" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;/script&gt;" in html
    html = client.get("/search", params={"q": '<script>alert(1)</script>'}).text
    assert "<script>alert(1)</script>" not in html


def test_an_index_is_made_for_a_build_published_without_one(tmp_path: Path, live_server) -> None:
    data_dir = tmp_path / "data"
    publish_sample(data_dir)
    from untoc_kg.datadir import current_build

    build = current_build(data_dir)
    assert not (build.path / "search.sqlite").exists()
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30) as c:
        assert c.get("/search", params={"q": "cooperate"},
                     headers={"Accept": "application/json"}).json()["total"] == 1
    assert (build.path / "search.sqlite").is_file() and (build.path / "search.tantivy").is_dir()


def test_many_valued_facets_go_uncounted_over_a_very_broad_search(tmp_path: Path, monkeypatch) -> None:
    import pyoxigraph

    from untoc_kg.search import SearchRequest, build_index, open_searcher, query, search
    from untoc_kg.datadir import current_build

    publish_sample(tmp_path, EXTRA)
    build = current_build(tmp_path)
    build_index(pyoxigraph.Store.read_only(str(build.store_path)), build.path, build.manifest["base_uri"])
    searcher = open_searcher(build.path)
    try:
        monkeypatch.setattr(query, "COUNTED_UP_TO", 2)
        facets = {f.name: f for f in search(searcher, SearchRequest("States")).facets}
        assert not facets["meeting"].counted and facets["meeting"].values == ()
        assert facets["article"].counted and facets["kind"].counted
        chosen = SearchRequest("States", filters={"meeting": ("meeting/ctoc-cop-wg7/3",)})
        facets = {f.name: f for f in search(searcher, chosen).facets}
        assert facets["meeting"].counted and facets["meeting"].values[0].selected
        monkeypatch.setattr(query, "COUNTED_UP_TO", 1000)
        facets = {f.name: f for f in search(searcher, SearchRequest("States")).facets}
        assert facets["meeting"].counted and facets["meeting"].values[0].count > 2
    finally:
        searcher.close()
