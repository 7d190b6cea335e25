"""`untoc-kg citations`: treaty citations in any English text."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

_PROTOCOLS = ("SOM", "TIP", "FIR")
_TREATIES = ("UNTOC", *_PROTOCOLS)


def citations(
    file: Annotated[Path, typer.Argument(help='A UTF-8 text file, or "-" for standard input.')],
    protocol: Annotated[
        Optional[str],
        typer.Option(help='What a bare "the Protocol" means: SOM, TIP or FIR.'),
    ] = None,
    treaty: Annotated[
        Optional[str],
        typer.Option(help='The instrument whose own text this is ("this Protocol"): UNTOC, SOM, TIP or FIR.'),
    ] = None,
    article: Annotated[
        Optional[int],
        typer.Option(help='The article whose own text this is ("paragraph 1 of this article").'),
    ] = None,
    rejected: Annotated[
        bool,
        typer.Option("--rejected", help="Also print the provisions found but not emitted, with the reason."),
    ] = False,
) -> None:
    """Print the treaty citations found in a text as JSON: treaty, article, paragraph,
    subparagraph, chapter, how ("explicit" or "context"), text, start, end (character offsets
    into the text as read)."""
    from untoc_kg.extract.citations import CitationContext, scan_citations

    protocol = _choice("--protocol", protocol, _PROTOCOLS)
    treaty = _choice("--treaty", treaty, _TREATIES)
    text = _read(file)
    scan = scan_citations(text, CitationContext(protocol=protocol, treaty=treaty, article=article))
    found = [
        {
            "treaty": c.treaty,
            "article": c.article,
            "paragraph": c.paragraph,
            "subparagraph": c.subparagraph,
            "chapter": c.chapter,
            "how": c.how,
            "text": c.text,
            "start": c.span.start,
            "end": c.span.end,
        }
        for c in scan.citations
    ]
    if rejected:
        dropped = [
            {"text": r.text, "start": r.span.start, "end": r.span.end, "reason": r.reason}
            for r in scan.rejected
        ]
        output: object = {"citations": found, "rejected": dropped}
    else:
        output = found
        if scan.rejected:  # say so on stderr: stdout stays the JSON
            typer.echo(
                f"note: {len(scan.rejected)} provision(s) found but not emitted "
                f"(e.g. {scan.rejected[0].text!r}: {scan.rejected[0].reason}); "
                "--rejected lists them, --protocol says what a bare \"the Protocol\" means",
                err=True,
            )
    typer.echo(json.dumps(output, ensure_ascii=False, indent=2))


def _choice(option: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value.upper() not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}", param_hint=option)
    return value.upper()


def _read(file: Path) -> str:
    if str(file) == "-":
        return sys.stdin.read()
    try:
        data = file.read_bytes()
    except OSError as error:
        raise typer.BadParameter(f"{file}: cannot be read ({error.strerror})", param_hint="FILE")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise typer.BadParameter(
            f"{file}: not UTF-8 text (byte {error.start}: {data[error.start:error.start + 1]!r})",
            param_hint="FILE",
        )
