"""`untoc-kg serve`: the SPARQL endpoint and linked-data pages over the built store."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated, Optional

import typer

from untoc_kg.server.limits import QueryLimits
from untoc_kg.settings import default_data_dir

DEFAULTS = QueryLimits()
"""The limits' defaults, shown in --help (in parentheses: Rich reads square brackets as markup)."""
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on")] = 8000,
    store: Annotated[
        Optional[Path], typer.Option("--store", help="Data dir (default: $UNTOC_KG_HOME)")
    ] = None,
    sparql_endpoint: Annotated[
        Optional[str],
        typer.Option(
            "--sparql-endpoint",
            help="Read the graph from this SPARQL 1.1 query endpoint (loaded with "
            "`untoc-kg load --to`) instead of the build's embedded store",
        ),
    ] = None,
    graph: Annotated[
        Optional[str],
        typer.Option("--graph", help="The graph of --sparql-endpoint holding the data "
                     "(default: its default graph)"),
    ] = None,
    query_timeout: Annotated[
        Optional[float],
        typer.Option("--query-timeout", help="Seconds a SPARQL query may run before it is "
                     f"stopped (504) (default: {DEFAULTS.timeout_seconds:g})", min=0.1),
    ] = None,
    max_rows: Annotated[
        Optional[int],
        typer.Option("--max-rows", help="Rows (or triples) of a SPARQL answer; a longer one "
                     f"is cut and says so (default: {DEFAULTS.max_result_rows})", min=1),
    ] = None,
    max_body: Annotated[
        Optional[int],
        typer.Option("--max-body", help="Bytes of a POSTed query; a larger one gets 413 "
                     f"(default: {DEFAULTS.max_request_bytes})", min=1),
    ] = None,
    query_workers: Annotated[
        Optional[int],
        typer.Option("--query-workers", help="SPARQL queries evaluated at the same time "
                     f"(one worker process each) (default: {DEFAULTS.workers})", min=1),
    ] = None,
    log_level: Annotated[
        str,
        typer.Option("--log-level", help="What the server prints: info logs every request, "
                     "warning only problems (" + ", ".join(LOG_LEVELS) + ")"),
    ] = "info",
) -> None:
    """Serve the published build: pages, dereferenceable URIs, SPARQL endpoint, dumps."""
    if log_level.lower() not in LOG_LEVELS:
        typer.echo(f"error: --log-level must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}",
                   err=True)
        raise typer.Exit(code=2)
    import uvicorn

    from untoc_kg.server import create_app
    from untoc_kg.server.app import ServerSettings
    from untoc_kg.server.http import uvicorn_options
    from untoc_kg.server.limits import QueryLimits
    from untoc_kg.datadir import NoPublishedBuild, current_build

    data_dir = store or default_data_dir()
    try:
        build = current_build(data_dir)
    except NoPublishedBuild:
        typer.echo(
            f"Nothing is built in {data_dir} yet: run `untoc-kg build` first"
            + (f" (with --out {data_dir})" if store else "")
            + ".",
            err=True,
        )
        raise typer.Exit(code=1)
    listening = _listen(host, port)  # bound first: the URL is printed only once it answers
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(f"Serving build {build.build_id} from {data_dir}")
    typer.echo(f"Open http://{shown_host}:{port}/  (SPARQL endpoint: /sparql)")
    given = {
        "timeout_seconds": query_timeout,
        "max_result_rows": max_rows,
        "max_request_bytes": max_body,
        "workers": query_workers,
    }
    limits = QueryLimits(**{name: value for name, value in given.items() if value is not None})
    remote = None
    if sparql_endpoint:
        from untoc_kg.sparql.remote import RemoteEndpoint

        remote = RemoteEndpoint(sparql_endpoint, graph)
        typer.echo(f"Graph read from {sparql_endpoint}" + (f", graph <{graph}>" if graph else ""))
    settings = ServerSettings(limits=limits, remote=remote)
    config = uvicorn.Config(
        create_app(data_dir, settings=settings), host=host, port=port,
        **uvicorn_options(log_level.lower()),
    )
    uvicorn.Server(config).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or a one-line error naming the problem."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        typer.echo(f"error: cannot listen on {host}:{port}: {error.strerror or error} "
                   "(another server there? pass --port)", err=True)
        raise typer.Exit(code=1) from error
