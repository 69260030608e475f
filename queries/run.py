"""Running one pack query on an open driver, with what it requires first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from icsgraph.errors import ConfigError
from icsgraph.graph.read import Row, run_query
from icsgraph.queries.config import ZoneMap, load_thresholds, load_zones
from icsgraph.queries.findings import record_findings
from icsgraph.queries.packs import bind_parameters, find_query
from icsgraph.queries.zones import assign_zones

if TYPE_CHECKING:
    from neo4j import Driver


def run_pack_query(
    driver: Driver,
    database: str,
    ref: str,
    given: Mapping[str, Any],
    thresholds: Mapping[str, Mapping[str, Any]] | None = None,
    zones: ZoneMap | None = None,
) -> tuple[list[str], list[Row]]:
    """Bind ``given`` (which holds ``case``), assign zones or record findings
    when the query requires them, and run it; returns its keys and rows."""
    query = find_query(ref)
    if query is None:
        raise ConfigError(f"no query {ref!r}; see `icsgraph packs list`")
    th = load_thresholds() if thresholds is None else thresholds
    params = bind_parameters(query, given, th)
    case = params["case"]
    if "findings" in query.requires:
        record_findings(driver, database, case, th, zones)
    elif "zones" in query.requires:
        assign_zones(driver, database, case, zones or load_zones())
    return run_query(driver, database, query.cypher, params, write=query.writes)
