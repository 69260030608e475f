"""`icsgraph cases`: list the investigations in the graph, or delete one."""

from __future__ import annotations

from typing import Annotated

import typer

from icsgraph.cli_support import exits_cleanly
from icsgraph.commands.query import OutputFormat, format_rows

cases_app = typer.Typer(no_args_is_help=True, help="List or delete cases.")


@cases_app.command("list")
@exits_cleanly
def list_command(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    """Every case with its captures, packets and hosts."""
    from icsgraph.graph.cases import list_cases
    from icsgraph.graph.connect import connected
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    with connected(settings) as driver:
        rows = list_cases(driver, settings.database)
    keys = ["case", "captures", "packets", "hosts"]
    typer.echo(format_rows(keys, [dict(r) for r in rows], fmt))


@cases_app.command("delete")
@exits_cleanly
def delete_command(
    case: Annotated[str, typer.Argument(help="The case to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Delete one case; other cases and shared captures they use stay."""
    from icsgraph.graph.cases import delete_case
    from icsgraph.graph.connect import connected
    from icsgraph.settings import load_neo4j_settings

    if not yes:
        typer.confirm(f"Delete case {case!r} and all its nodes?", abort=True)
    settings = load_neo4j_settings()
    with connected(settings) as driver:
        deleted = delete_case(driver, settings.database, case)
    typer.echo(f"deleted case {case!r}: {deleted} nodes")
