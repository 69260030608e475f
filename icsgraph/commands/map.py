"""`icsgraph map`: the device map of a case as one offline HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsgraph.cli_support import exits_cleanly

DEFAULT_OUT = Path("out/map.html")


def _title(case: str, focus: list[str], hops: int, protocols: list[str]) -> str:
    parts = [f"icsgraph map: {case}"]
    if focus:
        parts.append(f"focus {', '.join(focus)} ({hops} hop{'s' * (hops > 1)})")
    if protocols:
        parts.append(f"protocols {', '.join(protocols)}")
    return " - ".join(parts)


@exits_cleanly
def map_command(
    case: Annotated[str, typer.Option(help="The investigation to draw.")],
    focus: Annotated[
        list[str] | None,
        typer.Option(help="A suspect's IP (or MAC); repeatable.", show_default=False),
    ] = None,
    hops: Annotated[
        int,
        typer.Option(min=1, max=5, help="Neighbourhood of the focus, in hops."),
    ] = 1,
    protocol: Annotated[
        list[str] | None,
        typer.Option(help="Keep only sessions of this protocol; repeatable."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = (
        DEFAULT_OUT
    ),
) -> None:
    """Draw the hosts and sessions of a case as a self-contained HTML map."""
    from icsgraph.graph.connect import connected
    from icsgraph.graph.map_data import MapRequest, read_map
    from icsgraph.settings import load_neo4j_settings
    from icsgraph.viz.render import render_map

    focus, protocols = focus or [], [p.lower() for p in protocol or []]
    request = MapRequest(case, tuple(focus), hops, tuple(protocols))
    settings = load_neo4j_settings()
    with (
        connected(settings) as driver,
        driver.session(database=settings.database) as session,
    ):
        case_map = read_map(session, request)
    out.parent.mkdir(parents=True, exist_ok=True)
    render_map(
        case_map.nodes,
        case_map.edges,
        out,
        title=_title(case, focus, hops, protocols),
        focus=case_map.focus,
        case=case,
    )
    typer.echo(
        f"map of {case}: {len(case_map.nodes)} nodes, {len(case_map.edges)} edges "
        f"written to {out}"
    )
