"""The options every command that reads or writes a data dir names the same way.

`--store DIR` is the data dir on every such command (build, add, remove, builds, rollback, serve,
load; on query and validate it may also be a build dir or a store). `build --out`, its name
before, is still read as a hidden alias.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from untoc_kg.settings import default_data_dir

DataDirOption = typer.Option("--store", help="Data dir (default: $UNTOC_KG_HOME)")


def HiddenAlias(name: str) -> Any:  # noqa: N802  (reads as the option it declares)
    """An old name of `--store`, still accepted, no longer shown."""
    return typer.Option(name, hidden=True, help="Old name of --store")


def data_dir_of(store: Path | None, *aliases: Path | None) -> Path:
    """The data dir the options name: `--store`, else an old alias, else $UNTOC_KG_HOME."""
    for given in (store, *aliases):
        if given is not None:
            return given
    return default_data_dir()


class TransferProtocol(StrEnum):
    """`load --protocol`: the values of `untoc_kg.sparql.push.Protocol`, declared here so that
    `untoc-kg --help` does not import the HTTP stack (tests/test_remote_store.py checks they agree)."""

    AUTO = "auto"
    GRAPH_STORE = "gsp"
    UPDATE = "update"
