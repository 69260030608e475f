"""`icsgraph packs list|show`, and running a pack query by its ``PACK/ID``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icsgraph.cli_support import exits_cleanly
from icsgraph.errors import ConfigError, QueryError

if TYPE_CHECKING:
    from icsgraph.queries.packs import PackQuery

packs_app = typer.Typer(no_args_is_help=True, help="The investigation query packs.")


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def _describe(q: PackQuery) -> dict[str, Any]:
    return {
        "query": q.ref,
        "title": q.title,
        "description": q.description,
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": list(p.default)
                if isinstance(p.default, tuple)
                else p.default,
                "threshold": p.threshold,
                "description": p.description,
            }
            for p in q.parameters
        ],
        "returns": list(q.returns),
        "attack": list(q.attack),
        "finding": q.finding,
        "requires": list(q.requires),
        "step": q.step,
        "limitations": q.limitations,
    }


def _load(pack: str | None = None) -> tuple[PackQuery, ...]:
    from icsgraph.queries.packs import PACKS, load_packs

    if pack is not None and pack not in PACKS:
        raise ConfigError(f"no pack {pack!r}; packs: {', '.join(PACKS)}")
    return tuple(q for q in load_packs() if pack is None or q.pack == pack)


@packs_app.command("list")
@exits_cleanly
def list_packs(
    pack: Annotated[str | None, typer.Option(help="Only this pack.")] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.table,
) -> None:
    """The queries of every pack: id, title, parameters, ATT&CK ids."""
    from icsgraph.commands.query import OutputFormat, format_rows

    queries = _load(pack)
    if fmt is ListFormat.json:
        typer.echo(json.dumps([_describe(q) for q in queries], indent=2))
        return
    keys = ["query", "title", "parameters", "attack"]
    rows = [
        {
            "query": q.ref,
            "title": q.title,
            "parameters": " ".join(
                p.name + ("" if p.required else "?") for p in q.parameters
            ),
            "attack": " ".join(q.attack),
        }
        for q in queries
    ]
    typer.echo(format_rows(keys, rows, OutputFormat.table))


@packs_app.command("show")
@exits_cleanly
def show_pack(
    ref: Annotated[str, typer.Argument(help="PACK/ID, e.g. scanning/port_scan.")],
) -> None:
    """A query's metadata and its Cypher."""
    from icsgraph.queries.packs import find_query

    q = find_query(ref)
    if q is None:
        raise ConfigError(f"no query {ref!r}; see `icsgraph packs list`")
    typer.echo(q.text.rstrip("\n"))


def is_pack_ref(text: str) -> bool:
    """True when ``text`` names a known pack query rather than being Cypher."""
    from icsgraph.queries.packs import find_query

    return find_query(text.strip()) is not None


def run_pack(ref: str, given: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Run a pack query on the configured Neo4j; one-line errors."""
    from neo4j.exceptions import Neo4jError

    from icsgraph.graph.connect import connected
    from icsgraph.queries.config import load_thresholds
    from icsgraph.queries.packs import bind_parameters, find_query
    from icsgraph.queries.run import run_pack_query
    from icsgraph.settings import load_neo4j_settings

    query = find_query(ref.strip())
    if query is None:
        raise ConfigError(f"no query {ref!r}; see `icsgraph packs list`")
    bind_parameters(query, given, load_thresholds())  # fail before connecting
    settings = load_neo4j_settings()
    with connected(settings) as driver:
        try:
            return run_pack_query(driver, settings.database, ref.strip(), given)
        except Neo4jError as exc:
            message = (exc.message or str(exc)).splitlines()[0]
            raise QueryError(f"{ref}: {message}") from exc
