"""The one HTTP client for other SPARQL stores: the read side (`remote.RemoteStore`) and the write
side (`push`) send their requests through a `SparqlClient`, so the stores' quirks (Virtuoso's, the
credentials in a URL, a token in its query string) and the failure messages are handled once.

It takes an `httpx.Client`, so a test can hand it one over `httpx.MockTransport`; each side says
which error a failure becomes (`RemoteStoreError` when reading, `LoadError` when loading).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import httpx

SPARQL_JSON = "application/sparql-results+json"


class UrlCredentials(httpx.Auth):
    """The user and password written in a store's URL, sent the way the store asks for them
    when it answers 401: Digest (Virtuoso's `/sparql-graph-crud-auth`) or Basic (httpx alone
    would only ever send Basic)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        if challenge.startswith("digest"):
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already sent
            yield flow.send(response)
        else:
            yield next(self._basic.auth_flow(request))


def url_credentials(url: str) -> UrlCredentials | None:
    """The credentials in `url` (http://user:password@host/...), if any."""
    parsed = httpx.URL(url)
    if not parsed.username and not parsed.password:
        return None
    return UrlCredentials(parsed.username, parsed.password)


def public_url(url: str) -> str:
    """`url` without the password it may hold, for messages."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(password=None)) if parsed.password else url


def describe_failure(url: str, error: Exception | httpx.Response) -> str:
    """One line saying what went wrong talking to `url`: the transport error, or the status and
    the store's own message."""
    url = public_url(url)
    if isinstance(error, httpx.Response):
        text = " ".join(error.text.split())[:500]
        return f"{url} answered {error.status_code} {error.reason_phrase}: {text or '(no message)'}"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect to {url} ({error}); is the store running there?"
    if isinstance(error, httpx.TimeoutException):
        return f"{url} did not answer in time ({type(error).__name__})"
    return f"request to {url} failed: {error}"


def http_client(url: str, *urls: str, timeout: float, connect: float) -> httpx.Client:
    """An `httpx.Client` for a store at `url`, authenticating with the credentials the first of
    `url`, `*urls` holds."""
    auth = next((found for u in (url, *urls) if (found := url_credentials(u)) is not None), None)
    return httpx.Client(timeout=httpx.Timeout(timeout, connect=connect), auth=auth)


class SparqlClient:
    """SPARQL 1.1 Protocol requests over one `httpx.Client`; a transport failure or (with `ok`) an
    error status becomes `failure(message)`, the message naming the URL without its password."""

    def __init__(self, http: httpx.Client, failure: type[Exception]) -> None:
        self.http, self.failure = http, failure

    def send(
        self, method: str, url: str, *, params: dict[str, str] | None = None, stream: bool = False,
        **request: object,
    ) -> httpx.Response:
        if params:
            # Merged into the URL's own query, which httpx would otherwise drop (a store may
            # take its access token there: QLever's `?access-token=`).
            url = str(httpx.URL(url).copy_merge_params(params))
        try:
            built = self.http.build_request(method, url, **request)  # type: ignore[arg-type]
            return self.http.send(built, stream=stream)
        except httpx.HTTPError as error:
            raise self.failure(describe_failure(url, error)) from error

    def ok(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 300:
            if not response.is_closed:
                response.read()
            raise self.failure(describe_failure(str(response.request.url), response))
        return response

    def query(
        self,
        url: str,
        query: str,
        dataset: Sequence[tuple[str, str]] = (),
        accept: str = SPARQL_JSON,
        stream: bool = False,
    ) -> httpx.Response:
        """A query, as a form POST: every store takes it (Virtuoso 7.2 never answers a POST of
        application/sparql-query), and a long query does not hit a URL length limit."""
        return self.send(
            "POST", url, stream=stream,
            content=urlencode([("query", query), *dataset]).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )

    def update(self, url: str, text: str) -> httpx.Response:
        return self.send(
            "POST", url, content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def close(self) -> None:
        self.http.close()
