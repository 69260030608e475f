"""The icsgraph command line: one sub-module per command group."""

from __future__ import annotations

from typing import Annotated

import typer

from icsgraph.cli_support import configure_logging
from icsgraph.commands.alerts import alerts_app
from icsgraph.commands.cases import cases_app
from icsgraph.commands.db import db_app
from icsgraph.commands.diff import diff_command
from icsgraph.commands.flow import flow_command
from icsgraph.commands.follow import follow_command
from icsgraph.commands.ingest import ingest
from icsgraph.commands.investigate import investigate_command
from icsgraph.commands.map import map_command
from icsgraph.commands.packs import packs_app
from icsgraph.commands.query import query, summary

app = typer.Typer(
    no_args_is_help=True,
    help="OT/ICS packet captures as a Neo4j graph, for alert investigation.",
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging.")
    ] = 0,
) -> None:
    """Investigate OT/ICS network alerts with a graph of the capture."""
    configure_logging(verbose)


app.command()(ingest)
app.command()(query)
app.command()(summary)
app.command("map")(map_command)
app.command("flow")(flow_command)
app.command("follow")(follow_command)
app.command("diff")(diff_command)
app.command("investigate")(investigate_command)
app.add_typer(alerts_app, name="alerts")
app.add_typer(cases_app, name="cases")
app.add_typer(db_app, name="db")
app.add_typer(packs_app, name="packs")
