"""`untoc-kg extract`: drive the extract stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from untoc_kg.records import Document


def extract(
    files: Annotated[list[Path], typer.Argument(help="Report files: PDF, Word (.docx), web page, markdown or plain text (the format is read from the content).")],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print a JSON array with one object per file extracted, in the shape of the gold "
            "annotations (tests/gold/SCHEMA.md).",
        ),
    ] = False,
) -> None:
    """Extract documents, meetings, recommendations and citations from report files.

    A file that cannot be extracted is reported on stderr with the problem; the other files are
    still extracted, and the exit status is 1."""
    from untoc_kg.extract import ExtractionError, extract_document
    from untoc_kg.extract.gold_json import document_to_json

    extracted: list[dict] = []
    failed = False
    for path in files:
        try:
            document = extract_document(path)
        except ExtractionError as error:
            failed = True
            typer.echo(f"error: {error}", err=True)
            continue
        for warning in document.warnings:
            typer.echo(f"warning: {document.source}: {warning}", err=True)
        if as_json:
            extracted.append(document_to_json(document))
        else:
            typer.echo(_summary(document))
    if as_json:
        typer.echo(json.dumps(extracted, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)


def _summary(document: Document) -> str:
    recommendations = document.recommendations
    citations = sum(len(r.citations) for r in recommendations)
    meetings = ", ".join(str(m.ordinal or f"one without a number, from {m.start}") for m in document.meetings) or "none"
    lines = [
        f"{document.source}",
        f"  {document.kind}: {document.title}",
        f"  symbol {document.symbol or '-'}, issued {document.issued or '-'}, body {document.body.name}",
        f"  meetings named: {meetings}",
        f"  {len(recommendations)} recommendations, {citations} treaty citations",
    ]
    return "\n".join(lines)
