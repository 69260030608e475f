"""`icsgraph alerts import`: a sensor's alert export as Alert nodes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsgraph.cli_support import exits_cleanly

alerts_app = typer.Typer(no_args_is_help=True, help="Alerts from an OT sensor.")


@alerts_app.command("import")
@exits_cleanly
def import_alerts(
    file: Annotated[
        Path, typer.Argument(help="Alert export, CSV or JSON (Defender for IoT).")
    ],
    case: Annotated[str, typer.Option(help="The investigation to add them to.")],
) -> None:
    """Import alerts, tied to their source and destination hosts.

    Columns are matched case-insensitively, spaces and punctuation ignored:
    Title (or Alert title, Alert name, Display name) and Source device address
    or Destination device address are required; Alert ID, Severity, Protocol,
    Time, Description, Source device MAC and Destination device MAC are read
    when present. Importing the same file again changes nothing.
    """
    from icsgraph.graph.alerts import load_alerts, parse_alerts
    from icsgraph.graph.connect import connected
    from icsgraph.settings import load_neo4j_settings

    parsed = parse_alerts(file, case)
    settings = load_neo4j_settings()
    with connected(settings) as driver:
        count = load_alerts(driver, settings.database, case, parsed.alerts)
    line = f"{file.name}: {count} alerts imported into {case}"
    if parsed.skipped:
        line += f"; {parsed.skipped} rows without a title or an address skipped"
    if parsed.bad_addresses:
        line += f"; {parsed.bad_addresses} address cells that are not IPs ignored"
    typer.echo(line)
