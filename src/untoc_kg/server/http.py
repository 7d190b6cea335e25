"""How the application is put on the wire: the uvicorn settings every server of untoc-kg uses."""

from __future__ import annotations

from typing import Any

# uvicorn's httptools parser answers 400 to a POST that asks to upgrade to h2c (Java's
# HttpClient, hence Jena's rsparql and Fuseki clients, send exactly that); h11 ignores the
# upgrade and serves the request, which is what RFC 9110 allows a server to do.
HTTP_IMPLEMENTATION = "h11"


def uvicorn_options(log_level: str = "warning") -> dict[str, Any]:
    """Keyword arguments for `uvicorn.Config` / `uvicorn.run` shared by the CLI and the tests.
    At "info" uvicorn logs every request (its access log) and its start-up."""
    return {"http": HTTP_IMPLEMENTATION, "log_level": log_level, "access_log": True}
