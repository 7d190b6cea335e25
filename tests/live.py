"""A real uvicorn server on 127.0.0.1, on a free port, in a background thread of the test run."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from untoc_kg.server.http import uvicorn_options


@contextmanager
def running(app: object, *, ready_path: str = "/") -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL ("http://127.0.0.1:PORT")."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", **uvicorn_options()))
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url + ready_path, server)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _wait_until_up(url: str, server: uvicorn.Server, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.started:
            try:
                httpx.get(url, timeout=2)
                return
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"server did not answer at {url} within {timeout} s")
