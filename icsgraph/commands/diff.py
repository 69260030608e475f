"""`icsgraph diff`: what a case has that its baseline has not."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icsgraph.cli_support import exits_cleanly

if TYPE_CHECKING:
    from neo4j import Driver

# Section name -> the pack query that answers it.
DIFF_QUERIES = (
    ("new_hosts", "correlation/diff_hosts"),
    ("new_talkers_to_controllers", "correlation/diff_talkers"),
    ("new_protocols", "correlation/diff_protocols"),
    ("new_function_codes", "correlation/diff_functions"),
)


class DiffFormat(StrEnum):
    table = "table"
    json = "json"


def run_diff(
    driver: Driver, database: str, case: str, baseline: str
) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Each section's columns and rows, both cases checked to exist first."""
    from icsgraph.graph.map_data import require_case
    from icsgraph.queries.run import run_pack_query

    with driver.session(database=database) as session:
        require_case(session, baseline)
        require_case(session, case)
    given = {"case": case, "baseline": baseline}
    return {
        name: run_pack_query(driver, database, ref, given) for name, ref in DIFF_QUERIES
    }


@exits_cleanly
def diff_command(
    baseline: Annotated[str, typer.Option(help="The case of normal traffic.")],
    case: Annotated[str, typer.Option(help="The case to compare with it.")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.table,
) -> None:
    """New hosts, talkers to controllers, protocols and ICS function codes."""
    from icsgraph.commands.query import OutputFormat, format_rows
    from icsgraph.graph.connect import connected
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    with connected(settings) as driver:
        sections = run_diff(driver, settings.database, case, baseline)
    if fmt is DiffFormat.json:
        body = {name: rows for name, (_, rows) in sections.items()}
        out = {"baseline": baseline, "case": case, **body}
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    for (name, ref), (keys, rows) in zip(DIFF_QUERIES, sections.values(), strict=True):
        title = name.replace("_", " ").capitalize()
        typer.echo(f"{title} ({ref})\n{format_rows(keys, rows, OutputFormat.table)}\n")
