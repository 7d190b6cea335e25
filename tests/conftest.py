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


CORPUS_BUILD_TIME = "2026-01-01T00:00:00+00:00"
"""A fixed build time: the provenance records it, so fixed time -> byte-identical dumps."""


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory):
    """The bundled corpus built ONCE per session (extract -> graph -> shapes -> store, dumps)
    into a temporary data dir; returns the `untoc_kg.publish.build.BuildResult`."""
    from datetime import datetime

    from untoc_kg import publish as pipeline
    from untoc_kg.corpus import corpus_files
    from untoc_kg.settings import DEFAULT_BASE_URI

    data_dir = tmp_path_factory.mktemp("corpus-build")
    return pipeline.build(
        corpus_files(), data_dir, DEFAULT_BASE_URI, build_time=datetime.fromisoformat(CORPUS_BUILD_TIME)
    )
