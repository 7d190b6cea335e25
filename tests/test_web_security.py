"""Web security of the whole app on a real uvicorn server, beyond what tests/test_pages.py,
test_dereference.py and test_metadata.py check page by page: every error answer (4xx, and 500s
forced on every route by a broken build) carries the security headers and CORS without
credentials and no stack trace; markup in a request is never reflected as markup; dot segments,
however encoded, never reach a file outside what is published; and in Chromium the
Content-Security-Policy is enforced (inline script and inline handlers blocked, framing refused)
while the query page works under it and shows hostile data from its results as text."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from live import raw_get
from sample_build import BASE, HOSTILE_TEXT, publish_sample

from untoc_kg.server import create_app

PATH = "/untoc-kg/id/"
ORIGIN = "https://elsewhere.example"
STACK_TRACE_MARKS = ["Traceback", 'File "', ".py", "Error:", "line "]
SCRIPT = "<script>alert(1)</script>"
SCRIPT_QUOTED = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, live_server) -> str:
    data_dir = tmp_path_factory.mktemp("web-security")
    publish_sample(data_dir)
    return live_server(create_app(data_dir))


def assert_safe(response: httpx.Response, what: str) -> None:
    """The headers every answer carries, and no trace of the server's insides in the body."""
    headers = response.headers
    assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get("access-control-allow-origin") == "*", what
    assert "access-control-allow-credentials" not in headers, what
    for mark in STACK_TRACE_MARKS:
        assert mark not in response.text, (what, mark, response.text[:300])


ERRORS = {
    # name: (method, path, headers, body, expected status)
    "unknown resource": ("GET", PATH + "state/XYZ", {"accept": "text/html"}, None, 404),
    "markup in a resource path": ("GET", PATH + SCRIPT_QUOTED, {"accept": "text/html"}, None, 404),
    "markup in an unknown page path": ("GET", "/" + SCRIPT_QUOTED, {"accept": "text/html"}, None, 404),
    "format not offered": ("GET", PATH + "state/ITA", {"accept": "image/png"}, None, 406),
    "markup in a query": ("GET", f"/sparql?query={SCRIPT_QUOTED}", {"accept": "text/html"}, None, 400),
    "markup in an update": ("POST", "/sparql", {"content-type": "application/x-www-form-urlencoded"},
                            f"update=INSERT%20DATA%20%7B%20%3Ca%3A{SCRIPT_QUOTED}%3E%20%3Ca%3Ab%3E%201%20%7D", 403),
    "markup in a graph parameter": ("GET", f"/sparql?query=ASK%7B%7D&default-graph-uri={SCRIPT_QUOTED}",
                                    {"accept": "text/html"}, None, 400),
    "unsupported body type": ("POST", "/sparql", {"content-type": "text/html"}, SCRIPT, 415),
    "body too large": ("POST", "/sparql", {"content-type": "application/sparql-query"}, "#" * 2_000_000, 413),
    "method not allowed": ("PUT", "/sparql", {"content-type": "text/turtle"}, "<a:a> <a:b> <a:c> .", 405),
    "unknown dump": ("GET", "/dumps/untoc-kg.exe", {}, None, 404),
    "unknown static file": ("GET", "/static/" + SCRIPT_QUOTED, {}, None, 404),
    "preflight for a credentials header": ("OPTIONS", "/sparql", {
        "access-control-request-method": "POST", "access-control-request-headers": "authorization"}, None, 400),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_answers_are_safe_and_never_reflect_markup(site: str, name: str) -> None:
    method, path, headers, body, status = ERRORS[name]
    response = httpx.request(method, site + path, headers={"origin": ORIGIN, **headers}, content=body, timeout=30)
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert_safe(response, name)
    if SCRIPT in response.text:  # quoted back in a message: as plain text the browser won't sniff
        assert response.headers["content-type"].startswith("text/plain"), response.headers
    assert response.text.strip(), "an error says what is wrong"


def test_a_credentialed_request_gets_no_credentials(site: str) -> None:
    response = httpx.get(site + "/sparql", params={"query": "ASK {}"}, timeout=30, headers={
        "origin": ORIGIN, "cookie": "session=1", "authorization": "Basic dXNlcjpwYXNz",
        "accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert_safe(response, "credentialed ASK")
    assert "set-cookie" not in response.headers


@pytest.fixture()
def broken_site(tmp_path: Path, live_server) -> str:
    """A server whose `current` build has a manifest that is not JSON: every route that reads
    the build fails inside the app."""
    publish_sample(tmp_path)
    url = live_server(create_app(tmp_path))
    broken = tmp_path / "builds" / "broken"
    broken.mkdir()
    (broken / "build.json").write_text('{ "build_id": "File \\"x.py\\", line 1 ')
    os.remove(tmp_path / "current")
    os.symlink(broken, tmp_path / "current")
    return url


FAILING = [
    ("GET", "/", {"accept": "text/html"}),
    ("GET", "/query", {"accept": "text/html"}),
    ("GET", "/sparql?query=ASK%7B%7D", {"accept": "application/sparql-results+json"}),
    ("POST", "/sparql", {"accept": "application/sparql-results+json", "content-type": "application/sparql-query"}),
    ("GET", "/sparql", {"accept": "text/turtle"}),
    ("GET", "/.well-known/void", {"accept": "text/turtle"}),
    ("GET", "/dumps/", {}),
    ("GET", "/dumps/untoc-kg.nt", {}),
    ("GET", PATH + "state/ITA", {"accept": "text/html"}),
    ("GET", PATH + "state/ITA.ttl", {}),
    ("GET", PATH + "nothing", {"accept": "text/html"}),
]


def test_failures_inside_the_app_are_a_bare_500_with_the_headers(broken_site: str) -> None:
    statuses = {}
    for method, path, headers in FAILING:
        response = httpx.request(method, broken_site + path, headers={"origin": ORIGIN, **headers},
                                 content="ASK {}" if method == "POST" else None, timeout=30)
        statuses[path] = response.status_code
        assert response.status_code in (500, 503), (path, response.status_code, response.text[:300])
        assert_safe(response, f"{method} {path}")
        assert "JSONDecodeError" not in response.text and "build_id" not in response.text
    print(f"\nanswers over a broken build: {statuses}")
    assert 500 in statuses.values()


TRAVERSALS = [
    "/static/..%2f..%2fserver%2fapp.py",
    "/static/%2e%2e/app.py",
    "/static/..%5capp.py",
    "/static/%2e%2e%2fapp.py",
    "/dumps/..%252fbuild.json",
    "/dumps/%2fetc%2fpasswd",
    "/dumps/..%5cbuild.json",
    "/dumps/....%2f%2fbuild.json",
    "/dumps/%2e%2e",
    "/dumps/untoc-kg.nt%00.json",
    "/untoc-kg/dumps/%2e%2e%2f%2e%2e%2fbuild.json",
    "/untoc-kg/dumps/..%5c..%5cbuild.json",
    PATH + "state/..%5c..%5c..%5cbuild.json",
    PATH + "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    PATH + "state/ITA%00/../../build.json",
    PATH + "..;/..;/build.json",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_encoded_dot_segments_reach_nothing_unpublished(site: str, path: str) -> None:
    status, answer = raw_get(site, path)
    assert status in (400, 404), (status, answer[:300])
    for leaked in (b"build_id", b"root:", b"create_app", b"import "):
        assert leaked not in answer, (path, leaked)


# -- in a real browser -------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.violations.push(event.violatedDirective));
"""

browser_only = pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
    reason="Debian chromium is not installed (run tests/install.sh)",
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def tab(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.problems = []
    page.dialogs = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


@browser_only
def test_the_query_page_shows_hostile_results_as_text_under_the_policy(site: str, tab) -> None:
    tab.goto(site + "/query")
    tab.fill("#query", f"SELECT ?text {{ <{BASE}recommendation/ctoc-cop-wg7/3/2> "
                       "<https://w3id.org/untoc-kg/ontology#text> ?text }")
    tab.click("#run")
    tab.wait_for_selector("#results tbody tr", timeout=30_000)
    assert tab.locator("#results tbody td").first.inner_text() == HOSTILE_TEXT
    assert tab.locator("#results img, #results script").count() == 0
    # an error message quoting the query is text too
    tab.fill("#query", f'SELECT * {{ ?s ?p "{SCRIPT}"><img src=x onerror=alert(3)> }}')
    tab.click("#run")
    wait_until(tab, "document.getElementById('status').textContent.startsWith('Error')")
    assert tab.locator("img").count() == 0
    assert tab.evaluate("window.violations") == [] and tab.dialogs == []
    # the browser logs the failed request of the second query, nothing else
    assert [p for p in tab.problems if "400" not in p] == []


@browser_only
def test_the_policy_blocks_injected_inline_script_and_handlers(site: str, tab) -> None:
    """What if markup did get into a page: the policy still keeps it from running."""
    tab.goto(site + PATH + "recommendation/ctoc-cop-wg7/3/2")
    assert HOSTILE_TEXT in tab.locator("main").inner_text() and tab.dialogs == []
    tab.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = 'script'";
        document.body.append(script);
        document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<img src="/none.png" onerror="window.ran = \\'handler\\'">');
    }""")
    wait_until(tab, "window.violations.length >= 2")
    assert tab.evaluate("window.ran") is None
    directives = tab.evaluate("window.violations")
    assert any(d.startswith("script-src") for d in directives), directives


def wait_until(tab, expression: str, timeout: float = 30) -> None:
    """Poll `expression` from outside the page. Not `wait_for_function`: once its first check
    fails, Playwright polls by evaluating the string inside the page, which the page's own CSP
    (no 'unsafe-eval') refuses, so it fails whenever the page is slower than that first check."""
    deadline = time.monotonic() + timeout
    while not tab.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def other_site(tmp_path: Path) -> Iterator[str]:
    """Another origin on 127.0.0.1 (a public page may not frame a local one at all, so the
    test would prove nothing about our headers): a static server of `tmp_path`."""
    handler = partial(QuietHandler, directory=str(tmp_path))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


@browser_only
def test_no_page_can_be_framed(site: str, other_site: str, tmp_path: Path, tab) -> None:
    paths = ["/", "/query", PATH + "state/ITA"]
    frames = "".join(f'<iframe src="{site}{path}"></iframe>' for path in paths)
    (tmp_path / "framer.html").write_text(f"<!doctype html><title>framer</title>{frames}")
    tab.goto(other_site + "/framer.html")
    tab.wait_for_timeout(1000)
    framed = [frame for frame in tab.frames if frame is not tab.main_frame]
    assert len(framed) == len(paths)
    for frame in framed:
        assert not frame.url.startswith(site) or frame.locator("h1").count() == 0, frame.url
    refused = [p for p in tab.problems if "frame-ancestors 'none'" in p]
    assert len(refused) == len(paths), tab.problems
