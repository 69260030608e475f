"""`icsgraph follow`: a session's conversation, as Follow TCP/UDP Stream shows it."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icsgraph.cli_support import exits_cleanly
from icsgraph.errors import QueryError

if TYPE_CHECKING:
    from neo4j import ManagedTransaction


class FollowFormat(StrEnum):
    ascii = "ascii"
    hex = "hex"
    json = "json"


def _read(tx: ManagedTransaction, case: str, key: str) -> dict[str, Any] | None:
    from icsgraph.graph.statements import statement

    record = tx.run(statement("follow_session"), case=case, key=key).single()
    return None if record is None else record.data()


def find_session(case: str, key: str) -> dict[str, Any]:
    from icsgraph.graph.connect import connected
    from icsgraph.settings import load_neo4j_settings

    settings = load_neo4j_settings()
    with (
        connected(settings) as driver,
        driver.session(database=settings.database) as session,
    ):
        found = session.execute_read(_read, case, key)
    if found is None:
        raise QueryError(
            f"no session {key!r} in case {case!r}; session keys are in the "
            "`key` property of Session nodes"
        )
    return found


@exits_cleanly
def follow_command(
    session_key: Annotated[str, typer.Argument(help="The Session's `key`.")],
    case: Annotated[str, typer.Option(help="The investigation it belongs to.")],
    fmt: Annotated[
        FollowFormat, typer.Option("--format", "-f", help="ascii, hex or json.")
    ] = FollowFormat.ascii,
    show_secrets: Annotated[
        bool, typer.Option(help="Do not star out the passwords the client sent.")
    ] = False,
) -> None:
    """Print a session's payload both ways, re-read from its capture."""
    from icsgraph.graph.flow_data import CaptureFile, locate
    from icsgraph.ingest.follow import follow
    from icsgraph.ingest.refollow import mask_secrets, rebuild_conversation

    found = find_session(case, session_key)
    capture = CaptureFile(found["sha256"], found["file_name"], tuple(found["paths"]))
    path = locate(capture)
    conv = rebuild_conversation(
        path, found["transport"], found["index"], found["last_frame"], found["protocol"]
    )
    if conv is None:
        raise QueryError(f"session {session_key!r} has no frames in {path}")
    if not show_secrets:
        conv = mask_secrets(conv, found["secrets"])
    typer.echo(follow(conv, fmt.value), nl=False)
