"""`icsgraph query` and `icsgraph summary`: asking the graph questions."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, LiteralString

import typer

from icsgraph.cli_support import exits_cleanly
from icsgraph.display import display_rows
from icsgraph.errors import ConfigError, QueryError


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_params(pairs: Sequence[str], case: str | None) -> dict[str, Any]:
    """``name=value`` pairs; a value that parses as JSON is taken as JSON."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.isidentifier():
            raise ConfigError(f"parameter {pair!r} is not of the form name=value")
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    if case is not None:
        params["case"] = case
    return params


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)


def format_rows(keys: list[str], rows: list[dict[str, Any]], fmt: OutputFormat) -> str:
    """Rows as text; JSON keeps raw values, tables and CSV show ISO times."""
    if fmt is OutputFormat.json:
        return json.dumps(rows, indent=2, default=str)
    rows = display_rows(keys, rows)
    if fmt is OutputFormat.csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows([[_cell(r[k]) for k in keys] for r in rows])
        return out.getvalue().rstrip("\n")
    return _table(keys, rows)


def _table(keys: list[str], rows: list[dict[str, Any]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for key in keys:
        table.add_column(key, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(row[k]) for k in keys])
    # On a terminal, fit it and fold long values; in a pipe, never cut a value.
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 100_000
    console = Console(width=width, record=True, file=io.StringIO(), markup=False)
    console.print(table)
    summary = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    return console.export_text().rstrip("\n") + "\n" + summary


def execute(
    text: str, params: dict[str, Any], *, write: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    from neo4j.exceptions import Neo4jError

    from icsgraph.graph.connect import connected
    from icsgraph.graph.read import run_query
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    # The analyst's own query, run as they wrote it; values stay parameters.
    query: LiteralString = text
    with connected(settings) as driver:
        try:
            return run_query(driver, settings.database, query, params, write=write)
        except Neo4jError as exc:
            message = (exc.message or str(exc)).splitlines()[0]
            if exc.code == "Neo.ClientError.Statement.AccessMode":
                message = "the query writes; add --write to allow it"
            raise QueryError(message) from exc


@exits_cleanly
def query(
    cypher: Annotated[
        str, typer.Argument(help="A Cypher query, or a pack query as PACK/ID.")
    ],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="name=value, JSON or text; repeatable."),
    ] = None,
    case: Annotated[str | None, typer.Option(help="Passed as $case.")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    write: Annotated[bool, typer.Option(help="Allow the query to write.")] = False,
    show_secrets: Annotated[
        bool, typer.Option(help="Print passwords and communities in clear.")
    ] = False,
) -> None:
    """Run Cypher or a pack query (`icsgraph packs list`), read-only unless --write."""
    from icsgraph.commands.packs import is_pack_ref, run_pack
    from icsgraph.secrets import mask_rows

    params = parse_params(param or [], case)
    if is_pack_ref(cypher):
        keys, rows = run_pack(cypher, params)
    else:
        keys, rows = execute(cypher, params, write=write)
    if not show_secrets:
        rows = mask_rows(keys, rows)
    typer.echo(format_rows(keys, rows, fmt))


@exits_cleanly
def summary(
    case: Annotated[str, typer.Option(help="The investigation to summarise.")],
    top: Annotated[int, typer.Option(help="How many top talkers.")] = 5,
) -> None:
    """Hosts, sessions per protocol and top talkers of a case."""
    from icsgraph.graph.statements import statement

    keys, rows = execute(statement("summary_counts"), {"case": case}, write=False)
    if not rows:
        raise QueryError(f"no case {case!r}; `icsgraph cases list` lists them")
    typer.echo(f"Case\n{format_rows(keys, rows, OutputFormat.table)}\n")
    for title, name in (
        ("Sessions per protocol", "summary_protocols"),
        ("Top talkers", "summary_talkers"),
    ):
        keys, rows = execute(statement(name), {"case": case, "top": top}, write=False)
        typer.echo(f"{title}\n{format_rows(keys, rows, OutputFormat.table)}\n")
