"""`icsgraph investigate`: the whole investigation sequence, as a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsgraph.cli_support import exits_cleanly

DEFAULT_OUT = Path("out/investigation")


@exits_cleanly
def investigate_command(
    case: Annotated[str, typer.Option(help="The investigation to report on.")],
    suspect: Annotated[
        list[str] | None,
        typer.Option(
            help="A suspect's IP; repeatable. Default: the alert's "
            "source, else the top scanner of the findings."
        ),
    ] = None,
    alert: Annotated[
        str | None, typer.Option(help="The id of an imported alert to start from.")
    ] = None,
    show_secrets: Annotated[
        bool, typer.Option(help="Show passwords and communities in clear.")
    ] = False,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the report into.")
    ] = DEFAULT_OUT,
) -> None:
    """Run every step of the investigation and write report.md/.html/.json."""
    from dataclasses import replace

    from icsgraph.graph.connect import connected
    from icsgraph.graph.map_data import require_case
    from icsgraph.report.collect import investigate
    from icsgraph.report.draw import draw_flows, draw_map
    from icsgraph.report.write import write_report
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    db = settings.database
    with connected(settings) as driver:
        with driver.session(database=db) as session:
            require_case(session, case)
        inv = investigate(driver, db, case, suspect or [], alert, show_secrets)
        out.mkdir(parents=True, exist_ok=True)
        map_file = draw_map(driver, db, case, inv.suspects, out)
        flows, notes = draw_flows(driver, db, case, inv.suspects, out)
    inv = replace(inv, notes=[*inv.notes, *notes])
    files = {"map": map_file, "flows": flows}
    written = write_report(inv, out, files)
    typer.echo(
        f"investigation of {case} (suspects {', '.join(inv.suspects)}): "
        f"{len(inv.steps)} steps written to {written[1]}"
    )
