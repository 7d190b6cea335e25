"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from live import running


@pytest.fixture(scope="session")
def live_server() -> Iterator[Callable[[object], str]]:
    """Factory: `live_server(app)` serves an ASGI app with real uvicorn on 127.0.0.1 for the
    rest of the session and returns its base URL."""
    with ExitStack() as stack:
        yield lambda app, ready_path="/": stack.enter_context(running(app, ready_path=ready_path))
