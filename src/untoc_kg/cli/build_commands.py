"""`untoc-kg build`, `validate` and `query`: extract -> graph -> shapes -> store, and queries."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from untoc_kg.cli.options import DataDirOption, HiddenAlias, data_dir_of
from untoc_kg.cli.output import err, progress, reported
from untoc_kg.settings import DEFAULT_BASE_URI, default_data_dir

Format = typer.Option("--format", "-f", help="How to print the answer")


class AnswerFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Reports to build (default: the bundled corpus)"),
    ] = None,
    base_uri: Annotated[
        str, typer.Option("--base-uri", help="Base of every minted URI")
    ] = (DEFAULT_BASE_URI),
    store: Annotated[Path | None, DataDirOption] = None,
    out: Annotated[Path | None, HiddenAlias("--out")] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress, only errors")
    ] = False,
) -> None:
    """Build the validated graph into a new store and publish it if it conforms to the shapes."""
    from untoc_kg import publish
    from untoc_kg.corpus import corpus_files

    data_dir = data_dir_of(store, out)
    paths = list(files) if files else corpus_files()
    with reported(), progress(quiet) as shown:
        result = publish.build(paths, data_dir, base_uri, progress=shown)
    for failure in result.failures:
        err(f"error: could not read {failure}")
    if not quiet:
        for warning in result.warnings:
            err(f"warning: {warning}")
    report = result.build_dir / "validation" / "report.txt"
    if result.published is None:
        err(result.validation.report_text.rstrip())
        err(
            f"error: the graph does not conform to the shapes; NOT published "
            f"(the previous build, if any, is still served).\n"
            f"report: {report}\n        {report.with_suffix('.ttl')}"
        )
        raise typer.Exit(1)
    if result.dropped:
        names = ", ".join(Path(d).name for d in result.dropped[:5])
        more = f" and {len(result.dropped) - 5} more" if len(result.dropped) > 5 else ""
        dropped = (
            f"; DROPS {len(result.dropped)} document(s) the served graph had "
            f"(build {result.replaced}): {names}{more}"
        )
    else:
        dropped = ""
    manifest = result.manifest
    if quiet and dropped:
        err(f"warning: built {manifest.build_id}{dropped}")
    if not quiet:
        typer.echo(
            f"built {manifest.build_id}: {manifest.documents} documents, {manifest.store_triples} "
            f"triples, conforms{dropped}"
        )
        typer.echo(f"store:  {result.published.store_path}")
        typer.echo(f"dumps:  {result.published.dumps_path}")
        typer.echo(f"report: {report}")
        typer.echo(f"current -> {result.published.path}")
    if result.failures:
        err(f"error: {len(result.failures)} input(s) could not be read (see above)")
        raise typer.Exit(1)


def validate(
    target: Annotated[
        Path | None,
        typer.Argument(help="A Turtle/N-Triples file to validate", show_default=False),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Data dir, build dir or store to validate"),
    ] = None,
) -> None:
    """Validate a graph (a file, or the published store) against the SHACL shapes."""
    from rdflib import Graph

    from untoc_kg.shapes import validate as run_shapes

    if target is not None and store is not None:
        err("error: give a FILE or --store, not both")
        raise typer.Exit(2)
    if target is not None:
        from rdflib.util import guess_format

        rdf_format = guess_format(str(target))
        if rdf_format is None:
            err(f"error: {target}: not an RDF file by its name (give .ttl, .nt, .rdf, .jsonld, .trig)")
            raise typer.Exit(2)
        try:
            graph = Graph().parse(str(target), format=rdf_format)
        except Exception as error:
            err(f"error: cannot read {target} as {rdf_format}: {error}")
            raise typer.Exit(2) from error
    else:
        graph = _store_graph(store)
    result = run_shapes(graph)
    typer.echo(result.report_text.rstrip())
    if not result.conforms:
        raise typer.Exit(1)


def query(
    query_ref: Annotated[
        str,
        typer.Argument(
            metavar="NAME|FILE|-|TEXT",
            help="Named query, .rq file, - for stdin, or the query text itself",
        ),
    ] = "",
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Data dir, build dir or store to query"),
    ] = None,
    output_format: Annotated[AnswerFormat, Format] = AnswerFormat.TABLE,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value (repeatable)")
    ] = None,
    list_queries: Annotated[
        bool, typer.Option("--list", help="List the named queries")
    ] = False,
) -> None:
    """Run a named query, a SPARQL file, stdin or inline SPARQL against the built store.

    The vocabulary's prefixes (untoc, rdfs, dct, schema, ...) are declared for you."""
    from untoc_kg.sparql.named_queries import (
        QueryParameterError,
        named_queries,
        parse_query,
        run,
    )

    if list_queries or not query_ref:
        _list_queries(named_queries())
        return
    if query_ref == "-":
        named = parse_query("stdin", sys.stdin.read())
    elif query_ref in named_queries():
        named = named_queries()[query_ref]
    elif Path(query_ref).is_file():
        named = parse_query(
            Path(query_ref).stem, Path(query_ref).read_text(encoding="utf-8")
        )
    elif any(c.isspace() for c in query_ref.strip()) or "{" in query_ref:
        named = parse_query("inline", query_ref)  # the text itself, as Jena's `sparql` takes it
    else:
        err(
            f"error: {query_ref!r} is neither a named query, a file nor a query; named queries:"
        )
        _list_queries(named_queries(), err=True)
        raise typer.Exit(2)
    values = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            err(f"error: --param {item!r} must be name=value")
            raise typer.Exit(2)
        values[name.strip()] = value
    from untoc_kg.server.formats import PREFIXES
    from untoc_kg.sparql.named_queries import bound_text
    from untoc_kg.sparql.prologue import explain

    opened = _open_store(store)
    try:
        answer = run(opened, named, values, prefixes=PREFIXES)
    except QueryParameterError as error:
        err(f"error: {error}")
        raise typer.Exit(2) from error
    except SyntaxError as error:
        reason = explain(str(error), bound_text(named, values), PREFIXES)
        err(f"error: the query is not valid SPARQL: {reason}")
        raise typer.Exit(2) from error
    except (OSError, RuntimeError) as error:
        err(f"error: the query failed: {error}")
        raise typer.Exit(1) from error
    _print_answer(answer, output_format)


def _open_store(store: Path | None):
    from untoc_kg.datadir import NoPublishedBuild, open_store, resolve_store

    try:
        return open_store(resolve_store(store or default_data_dir()))
    except (NoPublishedBuild, OSError) as error:
        err(f"error: {error}")
        raise typer.Exit(2) from error


def _store_graph(store: Path | None):
    import pyoxigraph
    from rdflib import Graph

    data = _open_store(store).dump(
        format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()
    )
    return Graph().parse(data=data, format="nt")


def _list_queries(queries, err: bool = False) -> None:
    for name, named in queries.items():
        params = " ".join(
            f"--param {p.name}=<{p.kind}>"
            + (f" (default {p.default})" if p.default else " (optional)" if p.optional else "")
            for p in named.parameters
        )
        typer.echo(f"{name}  {params}\n    {named.title}", err=err)
        for p in named.parameters:
            if p.description:
                typer.echo(f"    {p.name}: {p.description}", err=err)


def _print_answer(answer, output_format: str) -> None:
    import pyoxigraph

    if isinstance(answer, pyoxigraph.QueryBoolean):
        typer.echo("true" if bool(answer) else "false")
        return
    if isinstance(answer, pyoxigraph.QueryTriples):
        rdf = (
            pyoxigraph.RdfFormat.N_TRIPLES
            if output_format != "json"
            else pyoxigraph.RdfFormat.JSON_LD
        )
        sys.stdout.buffer.write(answer.serialize(format=rdf))
        return
    if output_format in ("csv", "json"):
        results = (
            pyoxigraph.QueryResultsFormat.CSV
            if output_format == "csv"
            else pyoxigraph.QueryResultsFormat.JSON
        )
        sys.stdout.buffer.write(answer.serialize(format=results))
        return
    from rich.console import Console
    from rich.table import Table

    names = [v.value for v in answer.variables]
    table = Table(show_lines=False)
    for name in names:
        table.add_column(name, overflow="fold")  # IRIs differ at their end: wrap, never cut
    count = 0
    for solution in answer:
        table.add_row(
            *(solution[n].value if solution[n] is not None else "" for n in names)
        )
        count += 1
    console = Console()
    console.print(table)
    console.print(f"{count} row(s)")
