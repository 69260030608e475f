"""How values read from the graph are shown to a person.

The graph keeps times as seconds since the epoch (easy to compare and
subtract in Cypher); tables and reports show them as ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

TIME_SUFFIXES = ("_seen", "_time")


def is_time_column(name: str) -> bool:
    return name.endswith(TIME_SUFFIXES)


def iso_time(seconds: float) -> str:
    """``2023-11-14T22:13:20.050Z``: milliseconds, UTC."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def show_times(value: Any, name: str = "") -> Any:
    """Epoch seconds under a time-like name, at any depth, as ISO text."""
    if isinstance(value, dict):
        return {k: show_times(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [show_times(v, name) for v in value]
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and is_time_column(name):
        return iso_time(float(value))
    return value


def display_rows(keys: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: show_times(row[k], k) for k in keys} for row in rows]
