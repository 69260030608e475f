"""Listing and deleting cases: the only place icsgraph removes data.

Deletion stays inside one case, in bounded batches, and removes a shared node
(a Capture or a Mac) only once no case refers to it any more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString

from icsgraph.graph.statements import statement

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

CASE_SCOPED_LABELS: tuple[LiteralString, ...] = (
    "Session",
    "Service",
    "Artifact",
    "Finding",
    "Alert",
    "Zone",
    "Host",
)
BATCH = 5000


def _delete_batch(tx: ManagedTransaction, query: LiteralString, case: str) -> int:
    record = tx.run(query, case=case, batch=BATCH).single()
    return int(record["deleted"]) if record else 0


def delete_case(driver: Driver, database: str, case: str) -> int:
    """Delete everything of one case; returns how many nodes went."""
    total = 0
    with driver.session(database=database) as session:
        for label in CASE_SCOPED_LABELS:
            query: LiteralString = (
                "MATCH (n:" + label + " {case: $case}) WITH n LIMIT $batch "
                "DETACH DELETE n RETURN count(*) AS deleted"
            )
            while deleted := session.execute_write(_delete_batch, query, case):
                total += deleted
        total += session.execute_write(
            _delete_batch, statement("delete_case_rest"), case
        )
    return total


def _list(tx: ManagedTransaction) -> list[dict[str, object]]:
    return [r.data() for r in tx.run(statement("list_cases"))]


def list_cases(driver: Driver, database: str) -> list[dict[str, object]]:
    with driver.session(database=database) as session:
        return session.execute_read(_list)
