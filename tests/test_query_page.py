"""The query page and the vocabulary page in a real browser (Debian's Chromium, Playwright, as
tests/test_browser.py): permalinks, labels, links that stay on the local site whatever the base
URI, the named queries' forms, readable errors; the vocabulary page under the site's CSP with
no violation. Conditions are polled from outside the page (the CSP refuses Playwright's in-page
polling: see tests/test_web_security.py's wait_until)."""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from test_browser import ARTIFACTS, browser, pytestmark  # noqa: F401  (the browser fixture; skip without chromium)

from untoc_kg.server import create_app

OTHER_BASE = "http://data.example.org/kg/"
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.violations.push(event.violatedDirective));
"""


def wait_until(tab, expression: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not tab.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


def wait_for_status(tab, timeout: float = 60) -> str:
    wait_until(
        tab,
        "/rows?$|^Answer|^Error|^Graph/.test(document.getElementById('status').textContent)",
        timeout,
    )
    return tab.locator("#status").inner_text()


@pytest.fixture()
def tab(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


@pytest.fixture(scope="module")
def site(corpus_build, live_server) -> str:
    assert corpus_build.ok
    return live_server(create_app(corpus_build.build_dir.parent.parent))


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory, live_server) -> str:
    """The corpus built with a base URI of another host: the local site must still link locally."""
    from untoc_kg import publish
    from untoc_kg.corpus import corpus_files

    data_dir = tmp_path_factory.mktemp("other-base")
    built = publish.build(
        corpus_files(), data_dir, OTHER_BASE, build_time=datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    )
    assert built.ok
    return live_server(create_app(data_dir))


STATES = "SELECT ?state WHERE { ?state a untoc:State } ORDER BY ?state LIMIT 5"


def test_results_show_labels_and_link_to_local_pages_whatever_the_base_uri(
    elsewhere: str, tab
) -> None:
    tab.goto(elsewhere + "/query")
    tab.fill("#query", "SELECT ?state WHERE { ?state a untoc:State } LIMIT 5")
    tab.click("#run")
    assert wait_for_status(tab) == "5 rows"
    # the missing PREFIX line was added to the text, so the permalink runs on any store
    assert tab.input_value("#query").startswith("PREFIX untoc: <https://w3id.org/untoc-kg/ontology#>")
    wait_until(tab, "document.querySelectorAll('#results a.labelled').length === 5")
    links = tab.locator("#results tbody a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(5)]
    assert all(h.startswith("/kg/state/") for h in hrefs), hrefs
    label = links.nth(0).inner_text()
    assert label and not label.startswith("http"), label
    shown_iri = tab.locator("#results tbody .iri").nth(0).inner_text()
    assert shown_iri == OTHER_BASE + hrefs[0].removeprefix("/kg/")
    tab.screenshot(path=str(ARTIFACTS / "query-labels.png"), full_page=True)
    links.nth(0).click()
    tab.wait_for_url("**" + hrefs[0] + ".html")
    assert tab.locator("h1").inner_text() == label
    assert tab.problems == [] and tab.evaluate("window.violations") == []


def test_a_permalink_opens_and_runs_the_query(site: str, tab) -> None:
    tab.goto(site + "/query?query=" + quote(STATES))
    assert wait_for_status(tab) == "5 rows"
    assert tab.input_value("#query").endswith(STATES)
    # the text is highlighted under the textarea, character for character
    assert tab.locator("#highlight").inner_text().rstrip("\n") == tab.input_value("#query")
    assert tab.locator("#highlight .kw", has_text="SELECT").count() == 1
    assert tab.locator("#highlight .pname", has_text="untoc:State").count() == 1
    # running another query makes the address bar its permalink
    other = "SELECT ?m WHERE { ?m a untoc:Meeting } LIMIT 3"
    tab.fill("#query", other)
    tab.evaluate("document.getElementById('status').textContent = ''")
    tab.click("#run")
    assert wait_for_status(tab) == "3 rows"
    shared = tab.url
    assert urlsplit(shared).path == "/query"
    assert parse_qs(urlsplit(shared).query)["query"][0].endswith(other)
    assert tab.locator("#permalink").get_attribute("href") == shared.removeprefix(site)
    download = tab.locator("#download").get_attribute("href")
    assert download.startswith("/sparql?query=") and download.endswith("&format=csv")
    fresh = tab.context.new_page()
    fresh.goto(shared)
    assert wait_for_status(fresh) == "3 rows"
    fresh.close()
    # links of the results are local (the canonical base is w3id.org)
    hrefs = tab.locator("#results tbody a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("/untoc-kg/id/meeting/") for h in hrefs), hrefs
    assert tab.problems == [] and tab.evaluate("window.violations") == []


def test_a_named_query_runs_from_its_form_with_parameters(site: str, tab) -> None:
    tab.goto(site + "/query")
    tab.select_option("#example", "recommendations-citing-article")
    form = tab.locator("#form-recommendations-citing-article")
    assert form.is_visible()
    assert tab.locator("#form-articles-by-citations").is_hidden()
    assert form.locator("input[name=article]").input_value() == "8"
    form.locator("input[name=article]").fill("6")
    tab.evaluate("document.getElementById('status').textContent = ''")
    form.locator("button[type=submit]").click()
    status = wait_for_status(tab)
    assert status.endswith("rows") and status != "0 rows", status
    rows = tab.locator("#results tbody tr").count()
    asked = parse_qs(urlsplit(tab.url).query)
    assert asked["name"] == ["recommendations-citing-article"] and asked["article"] == ["6"]
    wait_until(tab, "document.getElementById('query').value.includes('VALUES')")
    assert '"6"^^' in tab.input_value("#query")
    csv_link = form.locator("a.api", has_text="CSV").get_attribute("href")
    assert csv_link.endswith("/queries/recommendations-citing-article.csv?treaty=SOM&article=6")
    tab.screenshot(path=str(ARTIFACTS / "query-named-form.png"), full_page=True)
    # the permalink of a named query opens its form and runs it
    fresh = tab.context.new_page()
    fresh.goto(tab.url)
    assert wait_for_status(fresh) == status
    assert fresh.locator("#results tbody tr").count() == rows
    assert fresh.locator("#form-recommendations-citing-article input[name=article]").input_value() == "6"
    fresh.close()
    # editing the text leaves the named query
    tab.fill("#query", "ASK {}")
    assert tab.locator("#example").input_value() == ""
    assert tab.problems == [] and tab.evaluate("window.violations") == []


def test_an_error_is_readable_and_clears_the_old_results(site: str, tab) -> None:
    tab.goto(site + "/query?query=" + quote(STATES))
    assert wait_for_status(tab) == "5 rows"
    tab.fill("#query", "SELECT * WHERE { ?s foo:cites ?o }")
    tab.click("#run")
    status = wait_for_status(tab)
    assert status.startswith("Error 400") and "prefix foo: is not declared; add PREFIX foo:" in status
    assert tab.locator("#results tbody tr").count() == 0
    assert tab.evaluate("window.violations") == []
    assert [p for p in tab.problems if "400" not in p] == []  # the failed request is logged


def test_sparql_in_a_browser_is_the_query_page(site: str, tab) -> None:
    tab.goto(site + "/sparql")
    assert tab.locator("h1").inner_text() == "Query the graph"
    assert urlsplit(tab.url).path == "/query"


def test_the_vocabulary_page_renders_under_the_csp(site: str, tab) -> None:
    tab.goto(site + "/untoc-kg/ontology")
    assert tab.title().startswith("untoc-kg vocabulary")
    assert tab.locator("h1").all_inner_texts() == ["untoc-kg vocabulary"]
    assert tab.locator("header nav a", has_text="Query").count() == 1  # the site's header
    assert "#CitationModes" not in tab.locator("#metadata").inner_text()
    # pyLODE's stylesheet applies: its table of contents is fixed beside the text
    assert tab.evaluate("getComputedStyle(document.getElementById('toc')).position") == "fixed"
    assert tab.locator("a[href^='https://w3id.org/untoc-kg/']").count() == 0
    assert tab.evaluate("document.documentElement.scrollHeight") > 1000
    tab.screenshot(path=str(ARTIFACTS / "ontology.png"))
    assert tab.evaluate("window.violations") == []
    assert tab.problems == []
