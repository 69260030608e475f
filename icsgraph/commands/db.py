"""`icsgraph db start|stop|status`: the local Neo4j under $ICSGRAPH_HOME."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from icsgraph.cli_support import exits_cleanly

if TYPE_CHECKING:
    from icsgraph.localdb import ServerStatus

db_app = typer.Typer(
    no_args_is_help=True,
    help="Start, stop or inspect the local Neo4j (127.0.0.1 only).",
)


@db_app.command("start")
@exits_cleanly
def start_command() -> None:
    """Start the local Neo4j (building it on first use); no-op if it runs."""
    from icsgraph.localdb import server_status, start_server
    from icsgraph.settings import load_local_settings

    settings = load_local_settings()
    started = start_server(settings)
    status = server_status(settings)
    what = "started" if started else "already running"
    typer.echo(f"local Neo4j {what}: {status.uri} (pid {status.pid})")
    typer.echo(f"password file: {settings.password_file}")


@db_app.command("stop")
@exits_cleanly
def stop_command() -> None:
    """Stop the local Neo4j cleanly; no-op if it is not running."""
    from icsgraph.localdb import stop_server
    from icsgraph.settings import load_local_settings

    settings = load_local_settings()
    stopped = stop_server(settings)
    typer.echo("local Neo4j stopped" if stopped else "local Neo4j was not running")


@db_app.command("status")
@exits_cleanly
def status_command() -> None:
    """Whether the local Neo4j runs, where, and how big its store is."""
    from icsgraph.localdb import server_status
    from icsgraph.settings import load_local_settings

    status = server_status(load_local_settings())
    typer.echo(format_status(status))


def format_status(status: ServerStatus) -> str:
    """A few ``key: value`` lines, stable for scripts and tests."""
    state = "running" if status.running else "stopped"
    pid = str(status.pid) if status.pid is not None else "-"
    return "\n".join(
        [
            f"state: {state}",
            f"pid: {pid}",
            f"uri: {status.uri}",
            f"data: {status.data_dir}",
            f"store: {status.store_bytes / 2**20:.1f} MiB",
            f"log: {status.log_file}",
        ]
    )
