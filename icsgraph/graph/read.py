"""Reading query results back as plain Python values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, LiteralString

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

Row = dict[str, Any]


def plain(value: Any) -> Any:
    """Nodes, relationships and paths as dicts and lists, for JSON and tables."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **dict(value.items())}
    if isinstance(value, Relationship):
        return {"type": value.type, **dict(value.items())}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _collect(
    tx: ManagedTransaction, query: LiteralString, params: Mapping[str, Any]
) -> tuple[list[str], list[Row]]:
    result = tx.run(query, dict(params))
    keys = list(result.keys())
    rows = [{k: plain(record[k]) for k in keys} for record in result]
    return keys, rows


def run_query(
    driver: Driver,
    database: str,
    query: LiteralString,
    params: Mapping[str, Any],
    *,
    write: bool = False,
) -> tuple[list[str], list[Row]]:
    """Run one query in a read (or, asked for, write) transaction."""
    with driver.session(database=database) as session:
        if write:
            return session.execute_write(_collect, query, params)
        return session.execute_read(_collect, query, params)
