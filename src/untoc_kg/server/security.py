"""What every answer carries for safety on the open web, and what no answer ever carries.

- security headers on every response: a Content-Security-Policy strict enough that injected
  markup could not run (scripts and styles from this origin only, no inline script; the query
  page loads its script from /static), `nosniff`, no framing;
- CORS `*` without credentials: everything served is public and read-only;
- errors: a generic 500 with no stack trace, whatever went wrong, carrying the headers above
  like any other answer.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
EXPOSED_HEADERS = ["ETag", "Link", "Content-Location", "Last-Modified", "Vary", "X-SPARQL-MaxRows"]

log = logging.getLogger(__name__)


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task, unlike BaseHTTPMiddleware): adds the headers
    to every response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


INTERNAL_ERROR = "Internal server error.\n"


class InternalErrors:
    """Pure ASGI middleware, innermost: an exception of the app becomes the generic 500 here,
    inside the security headers and CORS. (Starlette's handler for `Exception` answers from
    its outermost middleware, so its 500 would carry neither.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except Exception:
            if started:
                raise  # the status is sent: the server can only cut the connection
            log.exception("error answering %s %s", scope.get("method"), scope.get("path"))
            await PlainTextResponse(INTERNAL_ERROR, status_code=500)(scope, receive, send)


async def internal_error(request: Request, error: Exception) -> PlainTextResponse:
    """The last resort, for an error in the middleware itself."""
    log.exception("error answering %s %s", request.method, request.url.path)
    return PlainTextResponse(INTERNAL_ERROR, status_code=500)


def secure(app: FastAPI) -> None:
    """Install the error handlers and the middleware (security headers outermost, so they are
    on CORS preflight answers and on errors too; the last added is the outermost)."""
    app.add_exception_handler(Exception, internal_error)
    app.add_middleware(InternalErrors)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
        expose_headers=EXPOSED_HEADERS,
        max_age=86400,
    )
    app.add_middleware(SecurityHeaders)
