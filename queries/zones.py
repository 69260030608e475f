"""Placing a case's hosts in zones: ``(Host)-[:IN_ZONE]->(Zone)``.

CIDR matching is done here in Python, from the zones file, and the result
written as parameters; the graph only stores which zone each host fell in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from icsgraph.graph.keys import host_key
from icsgraph.graph.statements import split_statements
from icsgraph.queries.config import ZoneMap, zone_of
from icsgraph.queries.packs import write_statement

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

log = logging.getLogger(__name__)


def zone_key(case: str, name: str) -> str:
    return f"{case}|zone|{name}"


def zone_rows(case: str, ips: list[str], zones: ZoneMap) -> list[dict[str, Any]]:
    """One row per host: its key and the zone its address falls in."""
    rows = []
    for ip in ips:
        zone = zone_of(zones, ip)
        rows.append(
            {
                "host_key": host_key(case, ip),
                "zone_key": zone_key(case, zone.name),
                "zone": zone.name,
                "kind": zone.kind,
                "cidrs": list(zone.cidrs),
            }
        )
    return rows


def _assign(tx: ManagedTransaction, case: str, zones: ZoneMap) -> int:
    ips = [r["ip"] for r in tx.run(write_statement("host_ips"), case=case)]
    tx.run(write_statement("clear_zones"), case=case).consume()
    rows = zone_rows(case, ips, zones)
    tx.run(write_statement("merge_zones"), case=case, rows=rows).consume()
    return len(rows)


def create_pack_schema(driver: Driver, database: str) -> None:
    """Constraints for Zone, Finding and Technique, idempotently."""
    with driver.session(database=database) as session:
        for statement in split_statements(write_statement("schema")):
            session.run(statement).consume()


def assign_zones(driver: Driver, database: str, case: str, zones: ZoneMap) -> int:
    """Recompute the case's zones in one transaction; returns hosts placed.

    Idempotent: the case's Zone nodes are replaced whole, so running it again
    (or with another zones file) leaves exactly one placement per host.
    """
    create_pack_schema(driver, database)
    with driver.session(database=database) as session:
        placed = session.execute_write(_assign, case, zones)
    log.info("placed %d hosts of case %s in zones", placed, case)
    return placed
