"""`untoc-kg add` and `remove`: change the published graph one document at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from untoc_kg.cli.options import DataDirOption, data_dir_of
from untoc_kg.cli.output import err, progress, reported


def add(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Reports to add: PDF, Word (.docx), web page, markdown or plain text."
        ),
    ],
    data_dir: Annotated[Path | None, DataDirOption] = None,
) -> None:
    """Add reports to the published graph: extract only them, merge them with what the graph
    holds (a reprinted recommendation joins the existing one; a Rev./Corr. issue replaces the
    earlier issue), validate what they bring and publish the result as a new build."""
    from untoc_kg.publish import extract_all

    documents, failures = extract_all(files)
    for failure in failures:
        err(f"error: could not read {failure}")
    if failures:
        err("error: nothing added (fix or leave out the files above)")
        raise typer.Exit(1)
    _run(data_dir, added=documents)


def remove(
    symbols: Annotated[
        list[str],
        typer.Argument(
            metavar="SYMBOL...",
            help="UN symbols of the documents to withdraw (CTOC/COP/WG.7/2013/5).",
        ),
    ],
    data_dir: Annotated[Path | None, DataDirOption] = None,
) -> None:
    """Withdraw documents from the published graph. What no other document supports answers
    410 Gone from then on, pointing to the withdrawal; the withdrawn copies stay as history."""
    _run(data_dir, removed_symbols=symbols)


def _run(data_dir: Path | None, **change: object) -> None:
    from untoc_kg.publish import update

    with reported(), progress(quiet=True) as shown:
        result = update(data_dir_of(data_dir), progress=shown, **change)  # type: ignore[arg-type]
    for source in result.skipped:
        err(f"note: {source} is in the graph already (same checksum); skipped")
    if not result.ok:
        err(result.validation.report_text.rstrip())
        err(
            "error: the change does not conform to the shapes; NOT published (the previous "
            f"build is still served).\nreport: {result.build_dir / 'validation' / 'report.txt'}"
        )
        raise typer.Exit(1)
    for old, new in sorted(result.replaced.items()):
        typer.echo(f"reissue: {new[:12]} replaces {old[:12]}")
    typer.echo(
        f"published {result.manifest.build_id}: {len(result.added)} added, "
        f"{len(result.removed)} withdrawn, {result.manifest.store_triples} triples"
    )
    typer.echo(f"update: {result.activity}")
