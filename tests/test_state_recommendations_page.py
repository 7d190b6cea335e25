"""A State's page shows the review recommendations it made and those it received (issue 13, item
7), over a real uvicorn server on a build of a review report of our own (tests/texts/upr_wg_decimal
with many more recommendations by one State) and a UNTOC report: made, to which State under review
and in which session, with the standing; received, under each recommending State, with the count
per State; each list keyset-paged apart; a State outside the review shows neither list."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from untoc_kg import publish
from untoc_kg.corpus import corpus_files
from untoc_kg.server import create_app
from untoc_kg.server.pages.resource import PAGE_SIZE
from untoc_kg.settings import DEFAULT_BASE_URI

TEXTS = Path(__file__).parent / "texts"
PATH = "/untoc-kg/id/"
MORE = PAGE_SIZE + 7
"""Recommendations Ghana makes beyond the report's own: more than one page."""


def review_text() -> str:
    """The review of Norway with MORE supported recommendations by Ghana after its first."""
    lines = (TEXTS / "upr_wg_decimal.txt").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("7.1 "))
    numbered = [line for line in lines if re.match(r"^7\.\d+ ", line)]
    extra = [f"7.{n} Strengthen the national programme number {n} on human rights education (Ghana);"
             for n in range(len(numbered) + 1, len(numbered) + 1 + MORE)]
    return "\n".join(lines[: first + len(numbered)] + extra + lines[first + len(numbered):]) + "\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, live_server) -> httpx.Client:
    folder = tmp_path_factory.mktemp("review-text")
    (folder / "upr_wg_many.txt").write_text(review_text(), encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("state-pages")
    result = publish.build([folder / "upr_wg_many.txt", corpus_files()[0]], data_dir, DEFAULT_BASE_URI,
                           build_time=datetime.fromisoformat("2031-05-01T00:00:00+00:00"))
    assert result.published is not None, result.validation.report_text
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30,
                      follow_redirects=True) as c:  # a thing's IRI answers 303 to its page
        yield c


def page(client: httpx.Client, path: str) -> str:
    r = client.get(path if path.startswith("/") else PATH + path, headers={"Accept": "text/html"})
    assert r.status_code == 200, path
    return r.text


def section(html: str, heading: str) -> str:
    return html.split(f">{heading}</h2>")[1].split("</section>")[0]


def recommendation_links(html: str) -> list[str]:
    return re.findall(rf'href="{PATH}(recommendation/a-hrc-wg6/[^"]+)"', html)


def every_page(client: httpx.Client, path: str, heading: str) -> list[str]:
    """The section's recommendations over all its pages, following its "Next page" link."""
    seen, url = [], PATH + path
    while True:
        html = page(client, url)
        listed = section(html, heading)
        seen += recommendation_links(listed)
        nxt = re.search(r'rel="next" href="(\?after=[^"]*)"', listed)
        if not nxt:
            return seen
        assert "Attended</h2>" not in html or url == PATH + path  # a deeper page is of one list
        url = PATH + path + nxt.group(1).replace("&amp;", "&")


def test_a_recommending_state_shows_what_it_made_to_whom_and_when(client) -> None:
    made = section(page(client, "state/PER"), "Recommendations made")
    assert "Continue its efforts against domestic violence" in made
    assert f'href="{PATH}state/NOR"' in made and f'href="{PATH}meeting/a-hrc-wg6/50"' in made
    assert "supported" in made and "to be examined" in made and "noted" not in made
    assert "Recommendations received</h2>" not in page(client, "state/PER")


def test_made_is_keyset_paged_each_once_in_order(client) -> None:
    links = every_page(client, "state/GHA", "Recommendations made")
    assert len(links) == len(set(links)) == MORE + 3  # 7.1, 8.1 and 8.2 of the report are Ghana's too
    positions = [int(link.rsplit("/", 1)[1]) for link in links]
    assert positions == sorted(positions)


def test_the_state_under_review_shows_what_it_received_with_counts_per_state(client) -> None:
    html = page(client, "state/NOR")
    received = section(html, "Recommendations received")
    counts = received.split("<h3>")[0]
    assert re.search(rf'href="{PATH}state/GHA">Ghana</a> <span class="note">{MORE + 3} recommendations: '
                     rf'{MORE + 1} supported</span>', counts)
    assert re.search(rf'href="{PATH}state/VNM">[^<]+</a> <span class="note">1 recommendation: 1 noted</span>',
                     counts)
    assert "<h3>From Ghana</h3>" in received and "Peru" in counts  # Ghana's fill the first page
    assert "Recommendations made</h2>" not in html


def test_received_is_keyset_paged_under_each_recommending_state(client) -> None:
    links = every_page(client, "state/NOR", "Recommendations received")
    # the recommendation Peru and Ghana made together (8.2) is listed under each
    assert len(links) == MORE + 3 + 2 + 1 and len(set(links)) == MORE + 3 + 1 + 1
    html = page(client, "state/NOR")
    nxt = re.search(r'rel="next" href="\?after=([^"]*)"', section(html, "Recommendations received"))
    deeper = page(client, PATH + "state/NOR?after=" + nxt.group(1))
    assert "<h3>From Peru</h3>" in section(deeper, "Recommendations received")
    assert "<h3>From Viet Nam</h3>" in section(deeper, "Recommendations received")
    assert "1 recommendation: 1 noted" not in deeper  # the counts are on the first page


def test_a_state_outside_the_review_has_neither_list(client) -> None:
    html = page(client, "state/ITA")
    assert "Attended</h2>" in html
    assert "Recommendations made</h2>" not in html and "Recommendations received</h2>" not in html


def search(client: httpx.Client, **params: str) -> dict:
    r = client.get("/search", params={"q": "", "size": "100", **params},
                   headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()


def facet(result: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for f in result["facets"] if f["name"] == name for v in f["values"]}


def test_search_facets_by_recommending_state_and_state_under_review(client) -> None:
    everything = search(client, kind="recommendation")
    assert facet(everything, "recommender") == {"state/GHA": MORE + 3, "state/PER": 2, "state/VNM": 1}
    assert facet(everything, "reviewed") == {"state/NOR": MORE + 5}
    by_peru = {hit["url"].removeprefix(PATH) for hit in search(client, recommender="state/PER")["results"]}
    assert by_peru == {"recommendation/a-hrc-wg6/50/nor/2", f"recommendation/a-hrc-wg6/50/nor/{MORE + 4}"}
    # values of one facet are alternatives; the State under review narrows them
    both = search(client, recommender=["state/PER", "state/VNM"], reviewed="state/NOR")
    assert both["total"] == 3
    assert search(client, recommender="state/PER", reviewed="state/ITA")["total"] == 0
