"""The icsgraph command line."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="OT/ICS captures as a Neo4j graph.")


@app.callback()
def main() -> None:
    """Investigate OT/ICS network alerts with a graph of the capture."""
