"""The one command-line interface, `untoc-kg`. Commands are assembled here, in one place; each
lives in the module named after the stage it drives. Heavy imports happen inside the commands, so
`untoc-kg --help` stays fast."""

import typer

from untoc_kg.cli import (
    build_commands,
    citation_commands,
    data_commands,
    eval_commands,
    extract_commands,
    living_commands,
    load_commands,
    serve_commands,
)

app = typer.Typer(
    name="untoc-kg",
    help="UN working-group reports as a validated, public linked-data knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        from untoc_kg import __version__

        typer.echo(f"untoc-kg {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit"
    ),
) -> None:
    """UN working-group reports as a validated, public linked-data knowledge graph."""

app.command("extract")(extract_commands.extract)
app.command("citations")(citation_commands.citations)
app.command("eval")(eval_commands.evaluate)
app.command("build")(build_commands.build)
app.command("add")(living_commands.add)
app.command("remove")(living_commands.remove)
app.command("builds")(data_commands.builds)
app.command("rollback")(data_commands.rollback)
app.command("validate")(build_commands.validate)
app.command("query")(build_commands.query)
app.command("serve")(serve_commands.serve)
app.command("load")(load_commands.load)


def main() -> None:
    app()
