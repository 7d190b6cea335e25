"""`untoc-kg load --to URL`: the published graph into another SPARQL 1.1 store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from untoc_kg.cli.options import DataDirOption, TransferProtocol, data_dir_of


def load(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Graph Store Protocol endpoint of the store (or its SPARQL Update endpoint)",
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Graph to replace (default: the store's default graph)"),
    ] = None,
    sparql_endpoint: Annotated[
        str | None,
        typer.Option(
            "--sparql-endpoint", help="Query endpoint for the check (default: the --to URL)"
        ),
    ] = None,
    protocol: Annotated[
        TransferProtocol,
        typer.Option(
            "--protocol",
            help="gsp (Graph Store Protocol), update (SPARQL Update INSERT DATA) or auto",
        ),
    ] = TransferProtocol.AUTO,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Triples per request")
    ] = 50_000,
    restart: Annotated[
        bool, typer.Option("--restart", help="Ignore an unfinished load and start again")
    ] = False,
    store: Annotated[Path | None, DataDirOption] = None,
) -> None:
    """Push the published, validated graph into a SPARQL 1.1 store in batches (resumable: run
    it again after an interruption), then check the store holds exactly the published triples."""
    from untoc_kg.datadir import NoPublishedBuild, current_build
    from untoc_kg.sparql.client import public_url
    from untoc_kg.sparql.push import LoadError, Protocol, Target
    from untoc_kg.sparql.push import load as push

    try:
        build = current_build(data_dir_of(store))
    except NoPublishedBuild as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1)
    target = Target(to, sparql_endpoint or to, graph, Protocol(protocol.value))
    try:
        report = push(
            build, target, batch_size=batch_size, restart=restart, echo=typer.echo
        )
    except LoadError as error:
        typer.echo(f"load failed: {error}", err=True)
        typer.echo("Run the same command again to resume.", err=True)
        raise typer.Exit(code=1)
    typer.echo(
        f"Loaded build {report.build_id}: {report.triples} triples in {report.batches} batches "
        f"({report.protocol.value}) in {report.load_seconds:.1f} s "
        f"({report.triples_per_second:,.0f} triples/s); checked in {report.verify_seconds:.1f} s: "
        f"{public_url(to)} holds exactly the published triples."
    )
