"""Reading a case back from Neo4j as sets of tuples, for assertions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neo4j import Driver

VOLATILE = {"started", "finished", "created"}  # wall-clock times of a run

SNAPSHOT_QUERIES = (
    "MATCH (n:Host {case: $case}) RETURN 'Host' AS kind, n{.*} AS props",
    "MATCH (n:Session {case: $case}) RETURN 'Session' AS kind, n{.*} AS props",
    "MATCH (n:Service {case: $case}) RETURN 'Service' AS kind, n{.*} AS props",
    "MATCH (n:Artifact {case: $case}) RETURN 'Artifact' AS kind, n{.*} AS props",
    "MATCH (a:Host {case: $case})-[r]->(b) "
    "RETURN type(r) AS kind, r{.*, a: a.key, b: coalesce(b.key, b.address)} AS props",
    "MATCH (a:Session {case: $case})-[r]->(b) "
    "RETURN type(r) AS kind, r{.*, a: a.key, b: b.key} AS props",
    "MATCH (a:Artifact {case: $case})-[r]->(b) "
    "RETURN type(r) AS kind, r{.*, a: a.key, b: coalesce(b.key, b.address)} AS props",
    "MATCH (c:Capture)-[r:SAW {case: $case}]->(b) "
    "RETURN 'SAW' AS kind, r{.*, a: c.sha256, b: coalesce(b.key, b.address)} AS props",
    "MATCH (k:Case {id: $case})-[r:HAS_CAPTURE]->(c) "
    "RETURN 'HAS_CAPTURE' AS kind, r{.*, b: c.sha256} AS props",
)


def _normal(props: dict[str, Any], case: str) -> str:
    clean = {k: v for k, v in props.items() if k not in VOLATILE}
    text = json.dumps(clean, sort_keys=True, default=str)
    return text.replace(json.dumps(case)[1:-1], "<case>")


def snapshot(driver: Driver, database: str, case: str) -> set[tuple[str, str]]:
    """Every node and relationship of a case, the case name made generic."""
    found: set[tuple[str, str]] = set()
    with driver.session(database=database) as session:
        for query in SNAPSHOT_QUERIES:
            for record in session.run(query, case=case):
                found.add((record["kind"], _normal(record["props"], case)))
    return found


def scalar(driver: Driver, database: str, query: str, **params: Any) -> Any:
    with driver.session(database=database) as session:
        record = session.run(query, params).single()
        return None if record is None else record[0]


def values(driver: Driver, database: str, query: str, **params: Any) -> list[Any]:
    with driver.session(database=database) as session:
        return [r[0] for r in session.run(query, params)]
