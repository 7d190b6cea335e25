"""`untoc-kg builds` and `rollback`: the builds a data dir keeps, and making an earlier one current."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from untoc_kg.cli.options import DataDirOption, data_dir_of
from untoc_kg.cli.output import err, reported


def builds(store: Annotated[Path | None, DataDirOption] = None) -> None:
    """List the builds the data dir keeps, oldest first: id, time, documents, triples, whether it
    conforms, and which is current (*)."""
    from rich.console import Console
    from rich.table import Table

    from untoc_kg.datadir import current_id, kept_builds

    data_dir = data_dir_of(store)
    current = current_id(data_dir)
    table = Table("", "build", "created (UTC)", "made by", "documents", "triples", "conforms")
    for build in kept_builds(data_dir):
        manifest = build.manifest
        made_by = "build" if manifest.update is None else "add/remove"
        table.add_row(
            "*" if build.build_id == current else "",
            build.build_id,
            manifest.created.strftime("%Y-%m-%d %H:%M:%S"),
            made_by,
            str(manifest.documents),
            str(manifest.store_triples if manifest.store_triples is not None else manifest.triples),
            "yes" if manifest.conforms else "no",
        )
    if not table.rows:
        err(f"no builds in {data_dir}")
        raise typer.Exit(1)
    Console(width=140).print(table)


def rollback(
    build_id: Annotated[
        str | None,
        typer.Argument(metavar="[BUILD]", help="Build to make current (default: the one before)"),
    ] = None,
    store: Annotated[Path | None, DataDirOption] = None,
) -> None:
    """Make an earlier build current again, atomically: a served site answers from it from its
    next request on. The newer builds are kept (`untoc-kg builds`), so a rollback can be undone."""
    from untoc_kg.datadir import rollback as roll_back

    with reported():
        before, now = roll_back(data_dir_of(store), build_id, on_wait=err)
    typer.echo(f"current -> {now.build_id} (was {before})")
