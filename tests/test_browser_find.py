"""Search, lists and charts in a real browser (Debian's Chromium through Playwright, as
test_browser.py): facets narrow the results, the search box on every page works, every list
pages to its end, the charts render under the CSP with their numbers beside them."""

from __future__ import annotations

import re

import pytest

from sample_build import publish_sample
from test_browser import ARTIFACTS, browser, page, pytestmark  # noqa: F401 (fixtures, skip)
from test_search import EXTRA, LISTS
from untoc_kg.server import create_app

PATH = "/untoc-kg/id/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, live_server) -> str:
    data_dir = tmp_path_factory.mktemp("browser-find")
    publish_sample(data_dir, EXTRA)
    return live_server(create_app(data_dir))


def total(page) -> int:
    return int(page.locator("#result-count .total").inner_text())


def test_facets_narrow_the_results(site: str, page) -> None:
    page.goto(site + "/search?q=States")
    before = total(page)
    assert before > 3
    assert page.locator("mark").count() > 0
    article = page.locator('.facet[data-facet="article"] a').first
    assert article.inner_text().startswith("Article 8")
    article.click()
    page.wait_for_url(re.compile(r".*article=treaty%2Fsom%2Farticle%2F8.*"))
    assert total(page) == 3 < before
    assert page.locator('.facet[data-facet="article"] li.selected').count() == 1
    # a second facet narrows further; clicking the selected value again widens
    page.locator('.facet[data-facet="kind"] a').first.click()
    page.wait_for_url(re.compile(r".*kind=recommendation.*"))
    assert total(page) == 3
    page.locator('.facet[data-facet="article"] li.selected a').click()
    page.wait_for_url(lambda url: "article=" not in url)
    assert total(page) > 3
    page.screenshot(path=str(ARTIFACTS / "search-facets.png"), full_page=True)
    assert page.problems == []


def test_the_search_box_on_any_page(site: str, page) -> None:
    page.goto(site + PATH + "state/ITA")
    page.fill('header input[name="q"]', "Turkiye")
    page.press('header input[name="q"]', "Enter")
    page.wait_for_url(re.compile(r".*/search\?q=Turkiye"))
    hits = page.locator(".hit > a").all_inner_texts()
    assert "Türkiye" in hits
    assert page.locator("header input[name=q]").input_value() == "Turkiye"
    page.get_by_role("link", name="Türkiye", exact=True).click()
    page.wait_for_url(re.compile(r".*/state/TUR(\.html)?$"))  # the IRI answers 303 to its page
    assert page.problems == []


@pytest.mark.parametrize("path", sorted(LISTS))
def test_every_list_pages_to_its_end(site: str, page, path: str) -> None:
    page.goto(site + PATH + path + "?size=2")
    expected = int(page.locator("span.total").inner_text())
    assert expected == LISTS[path]
    seen: list[str] = []
    while True:
        rows = page.locator("table.list tbody tr td:first-child > a")
        seen += rows.all_inner_texts()
        following = page.locator('a[rel="next"]')
        if following.count() == 0:
            break
        before = page.url
        following.click()  # the link carries the order, the cursor and the page size
        page.wait_for_url(lambda url: url != before)
    assert len(seen) == len(set(seen)) == expected
    assert page.problems == []


def test_the_charts_render_with_their_numbers(site: str, page) -> None:
    page.goto(site + "/charts")
    articles = page.locator("#articles svg rect.bar")
    numbers = page.locator('table[data-chart="articles"] tbody tr')
    assert articles.count() == numbers.count() == 1  # article 8, cited by three
    assert numbers.first.inner_text().split("\t")[-1].strip() == "3"
    width = float(articles.first.get_attribute("width"))
    assert width > 100 and articles.first.bounding_box()["width"] > 50  # drawn, not collapsed
    meetings = page.locator("#meetings svg rect.bar")
    assert meetings.count() == page.locator('table[data-chart="meetings"] tbody tr').count() == 1
    tiles = page.locator("#attendance svg polygon.tile")
    assert tiles.count() >= 193
    italy = page.locator('#attendance polygon[data-iso3="ITA"]')
    mexico = page.locator('#attendance polygon[data-iso3="MEX"]')
    assert italy.get_attribute("fill") != mexico.get_attribute("fill")  # 1 meeting against none
    assert "Italy" in page.locator('table[data-chart="attendance"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / "charts.png"), full_page=True)
    assert page.problems == []  # no CSP violation: nothing inline


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory: pytest.TempPathFactory, live_server) -> str:
    from test_reader_pages import EXTRA as READER_EXTRA

    data_dir = tmp_path_factory.mktemp("browser-reader")
    publish_sample(data_dir, READER_EXTRA)
    return live_server(create_app(data_dir))


def test_a_meeting_page_collapses_long_attendance_and_opens_it(reader_site: str, page) -> None:
    page.goto(reader_site + PATH + "meeting/ctoc-cop-wg7/3")
    parties = page.locator("section", has=page.locator("h3", has_text="Attendance: State party (16)"))
    links = parties.locator("details a")
    assert links.count() == 16 and not links.first.is_visible()  # collapsed
    parties.locator("summary").click()
    assert links.first.is_visible()
    recommendations = page.locator("section", has=page.locator("h2", has_text="Recommendations: A."))
    assert "States parties should cooperate at sea" in recommendations.inner_text()
    page.screenshot(path=str(ARTIFACTS / "meeting-reader.png"), full_page=True)
    page.goto(reader_site + PATH + "meeting/ctoc-cop-wg7/4")
    assert "Attendance not recorded" in page.locator("main").inner_text()
    assert page.problems == []
