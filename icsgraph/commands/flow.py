"""`icsgraph flow`: a host's (or a pair's) packets as a sequence diagram."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsgraph.cli_support import exits_cleanly

DEFAULT_LIMIT = 2000  # packets drawn unless --limit says otherwise


def _title(case: str, host: str, peer: str | None, shown: int, matched: int) -> str:
    pair = f"{host} and {peer}" if peer else host
    title = f"icsgraph flow: {pair} in {case}"
    if matched > shown:
        title += f" - first {shown} of {matched} packets (raise --limit for more)"
    return title


@exits_cleanly
def flow_command(
    case: Annotated[str, typer.Option(help="The investigation to read.")],
    host: Annotated[str, typer.Option(help="The host's IP address.")],
    peer: Annotated[
        str | None, typer.Option(help="Only packets between host and this IP.")
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, help="Draw at most this many packets.")
    ] = DEFAULT_LIMIT,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="HTML file (default out/flow-HOST.html)."),
    ] = None,
) -> None:
    """Wireshark's Flow Graph for a host or a pair, as offline HTML."""
    from icsgraph.graph.connect import connected
    from icsgraph.graph.flow_data import read_flow
    from icsgraph.graph.map_data import read_captures
    from icsgraph.settings import load_neo4j_settings
    from icsgraph.viz.flow import render_flow

    settings = load_neo4j_settings()
    with (
        connected(settings) as driver,
        driver.session(database=settings.database) as session,
    ):
        captures = read_captures(session, case)
    flow = read_flow(captures, case, host, peer, limit)
    path = out or Path("out") / f"flow-{host.replace(':', '_')}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = _title(case, host, peer, len(flow.events), flow.matched)
    render_flow(flow.events, path, title=title, case=case)
    typer.echo(f"flow of {host}: {len(flow.events)} packets written to {path}")
