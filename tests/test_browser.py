"""The site in a real browser: Debian's headless Chromium driven by Playwright (never a
downloaded browser). Pages render under the Content-Security-Policy, links navigate, the query
page runs a query against /sparql and shows its rows. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sample_build import publish_sample
from untoc_kg.server import create_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian chromium is not installed (run tests/install.sh)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, live_server) -> str:
    data_dir = tmp_path_factory.mktemp("browser")
    publish_sample(data_dir)
    return live_server(create_app(data_dir))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context()
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.problems = problems
    yield tab
    context.close()


def test_links_navigate_home_meeting_recommendation_article(site: str, page) -> None:
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "untoc-kg sample"
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    page.get_by_role("link", name="Third meeting of the Working Group").first.click()
    page.wait_for_url("**/meeting/ctoc-cop-wg7/3.html")  # the 303 from the thing
    assert page.locator("h1").inner_text() == "Third meeting of the Working Group"
    page.screenshot(path=str(ARTIFACTS / "meeting.png"), full_page=True)
    page.get_by_role("link", name="Recommendation 1 of the third meeting").first.click()
    page.wait_for_url("**/recommendation/ctoc-cop-wg7/3/1.html")
    assert "States parties should cooperate at sea" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "recommendation.png"), full_page=True)
    page.get_by_role(
        "link", name="Article 8: Measures against the smuggling of migrants by sea"
    ).first.click()
    page.wait_for_url("**/treaty/som/article/8.html")
    assert page.locator("h1").inner_text().startswith("Article 8")
    assert page.locator("h2", has_text="Cited by").count() == 1
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)
    assert page.problems == []


def test_hostile_data_renders_as_text(site: str, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site + "/untoc-kg/id/recommendation/ctoc-cop-wg7/3/2")
    text = page.locator("main").inner_text()
    assert "</script><script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)>' in text
    assert page.locator("main img").count() == 0
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)


def test_query_page_runs_a_query_and_shows_rows(site: str, page) -> None:
    page.goto(site + "/query")
    page.fill(
        "#query",
        "SELECT ?state ?name WHERE { ?state a <https://w3id.org/untoc-kg/ontology#State> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name",
    )
    page.click("#run")
    page.wait_for_selector("#results tbody tr", timeout=30_000)
    rows = page.locator("#results tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[-1].strip() == "Italy"
    assert page.locator("#results thead th").all_inner_texts() == ["state", "name"]
    assert page.locator("#status").inner_text() == "2 rows"
    page.screenshot(path=str(ARTIFACTS / "query.png"), full_page=True)
    assert page.problems == []


@pytest.fixture(scope="module")
def corpus_site(corpus_build, live_server) -> str:
    assert corpus_build.ok
    return live_server(create_app(corpus_build.build_dir.parent.parent))


def test_every_named_query_example_runs_on_the_corpus(corpus_site: str, corpus_build, page) -> None:
    """Each example runs without an error and shows what the store answers: rows where the
    corpus holds its data, none where it has none (the bundled corpus has no review reports)."""
    from playwright.sync_api import expect

    from untoc_kg.datadir import open_store
    from untoc_kg.sparql.named_queries import named_queries, run

    store = open_store(corpus_build.published.store_path)
    answers = {name: bool(list(run(store, q))) for name, q in named_queries().items()}
    del store
    assert sum(answers.values()) >= 3
    page.goto(corpus_site + "/query")
    names = [
        v for v in page.locator("#example option").evaluate_all("os => os.map(o => o.value)") if v
    ]
    assert len(names) >= 3
    for name in names:
        page.select_option("#example", name)
        assert page.input_value("#query").strip() != ""
        page.evaluate("document.getElementById('status').textContent = ''")
        page.click("#run")
        expect(page.locator("#status")).to_have_text(
            re.compile("rows|Answer|Error"), timeout=60_000
        )
        status = page.locator("#status").inner_text()
        assert "Error" not in status, f"{name}: {status}"
        shown = page.locator("#results tbody tr").count()
        assert (shown > 0) == answers[name], f"{name}: {shown} rows shown, the store answers {answers[name]}"
        page.screenshot(path=str(ARTIFACTS / f"query-{name}.png"), full_page=True)
    assert page.problems == []
