"""`icsgraph diff`: a case that holds its baseline's capture and a new one.

The baseline is modbus-devid-diag.pcap; the new case ingests that capture
again plus plant1-mixed-ics.pcap, so the diff must leave out everything of the
baseline and name exactly what the plant capture adds, as the graph holds it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import PCAPS
from graphcheck import values

from icsgraph.graph.cases import delete_case

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

ICSGRAPH = Path(sys.executable).with_name("icsgraph")
BASELINE, NEW = "test-diff-baseline", "test-diff-new"
BASE_PCAP, NEW_PCAP = "modbus-devid-diag.pcap", "plant1-mixed-ics.pcap"

HOST_IPS = "MATCH (h:Host {case: $case}) RETURN h.ip"
PROTOCOLS = """
MATCH (s:Session {case: $case}) WHERE s.protocol IS NOT NULL
  AND s.protocol <> 'unknown'
RETURN DISTINCT [s.transport, s.protocol]
"""
FUNCTIONS = """
MATCH (a:Artifact {case: $case, kind: 'ics_functions'})
RETURN a.protocol, a.function
"""
TALKERS = """
MATCH (a:Host {case: $case})-[:TALKS_TO]->(c:Host)-[:OFFERS]->(s:Service)
WHERE s.port IN [502, 102, 44818, 2222, 20000, 2404, 47808, 4840, 34962, 34964]
   OR s.protocol IN ['modbus', 's7comm', 'enip', 'cip', 'dnp3', 'iec104',
                     'bacnet', 'opcua']
RETURN DISTINCT [a.ip, c.ip]
"""
PAIRS = "MATCH (a:Host {case: $case})-[:TALKS_TO]->(c:Host) RETURN [a.ip, c.ip]"


def icsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(ICSGRAPH), *args], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def diff(driver: Driver, neo4j_settings: Neo4jSettings) -> Iterator[dict[str, Any]]:
    db = neo4j_settings.database
    for name in (BASELINE, NEW):
        delete_case(driver, db, name)
    icsgraph("ingest", str(PCAPS / BASE_PCAP), "--case", BASELINE)
    icsgraph("ingest", str(PCAPS / BASE_PCAP), str(PCAPS / NEW_PCAP), "--case", NEW)
    out = icsgraph("diff", "--baseline", BASELINE, "--case", NEW, "--format", "json")
    yield json.loads(out.stdout)
    for name in (BASELINE, NEW):
        delete_case(driver, db, name)


def graph(driver: Driver, database: str, query: str, case: str) -> set[Any]:
    found = set()
    for value in values(driver, database, query, case=case):
        found.add(tuple(value) if isinstance(value, list) else value)
    return found


def functions(driver: Driver, database: str, case: str) -> set[tuple[str, str]]:
    found = set()
    with driver.session(database=database) as session:
        for protocol, function in session.run(FUNCTIONS, case=case).values():
            names = function if isinstance(function, list) else [function]
            found |= {(protocol, str(n).split(":", 1)[0]) for n in names}
    return found


def test_new_hosts_are_the_plant_hosts_only(
    diff: dict[str, Any], driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    expected = graph(driver, db, HOST_IPS, NEW) - graph(driver, db, HOST_IPS, BASELINE)

    found = {r["host"] for r in diff["new_hosts"]}

    assert found == expected
    assert graph(driver, db, HOST_IPS, BASELINE).isdisjoint(found)
    assert len(found) > 10


def test_new_protocols(
    diff: dict[str, Any], driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    expected = graph(driver, db, PROTOCOLS, NEW) - graph(
        driver, db, PROTOCOLS, BASELINE
    )

    found = {(r["transport"], r["protocol"]) for r in diff["new_protocols"]}

    assert found == expected
    assert ("tcp", "s7comm") in found
    assert ("tcp", "modbus") not in found


def test_new_function_codes(
    diff: dict[str, Any], driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    expected = functions(driver, db, NEW) - functions(driver, db, BASELINE)

    found = {(r["protocol"], r["function_code"]) for r in diff["new_function_codes"]}

    assert found == expected
    assert ("modbus", "15") in found
    assert ("modbus", "1") not in found  # Read Coils is in the baseline


def test_new_talkers_to_controllers(
    diff: dict[str, Any], driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    expected = graph(driver, db, TALKERS, NEW) - graph(driver, db, PAIRS, BASELINE)

    found = {(r["talker"], r["controller"]) for r in diff["new_talkers_to_controllers"]}

    assert found == expected
    assert found


def test_a_case_against_itself_has_nothing_new(
    diff: dict[str, Any],
) -> None:
    out = icsgraph("diff", "--baseline", NEW, "--case", NEW, "--format", "json")

    same = json.loads(out.stdout)

    assert [same[k] for k in diff if k not in ("baseline", "case")] == [[]] * 4
