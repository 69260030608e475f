"""Every pack query compiles on the real Neo4j and names only what exists.

A case is filled first with captures that give every label, relationship
type and property the packs read: scans, remote access, cleartext logins,
file transfers, ICS commands, internet hosts; then zones are assigned and
findings recorded. A notification about an unknown label, relationship type
or property key fails the query's test, also when it is only because a
feature (artifacts, ICS commands) has not landed yet: the message names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import PCAPS

from icsgraph.graph.cases import delete_case
from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.extraction import ExtractionStage
from icsgraph.ingest.pipeline import ingest_capture
from icsgraph.queries.config import load_thresholds
from icsgraph.queries.findings import record_findings
from icsgraph.queries.packs import PackQuery, bind_parameters, load_packs

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

CASE = "test-packs-explain"
CAPTURES = (
    "scan-nmap-syn-1000ports.pcap",  # port scan, probes
    "telnet-login-openbsd.pcap",  # banner, credential
    "ftp-retr-mp3.pcap",  # file transfer
    "ssh-session-internet.pcap",  # internet zone, remote access
    "modbus-devid-diag.pcap",  # ICS commands, identity
    "dnp3-cold-restart.pcap",  # restart
    "s7-plc-stop.pcapng",  # mode change
)
# GQL statuses of "does not exist" warnings: label, relationship type, property.
UNKNOWN = {"01N50": "label", "01N51": "relationship type", "01N52": "property"}


@pytest.fixture(scope="module")
def filled(driver: Driver, neo4j_settings: Neo4jSettings) -> Iterator[str]:
    db = neo4j_settings.database
    delete_case(driver, db, CASE)
    for name in CAPTURES:
        ingest_capture(
            Path(PCAPS / name),
            GraphSink(driver, db, CASE),
            extraction=ExtractionStage(),
        )
    record_findings(driver, db, CASE, load_thresholds())
    yield CASE
    delete_case(driver, db, CASE)


def explain(
    driver: Driver, database: str, query: PackQuery, case: str
) -> tuple[list[str], list[str]]:
    """The columns EXPLAIN reports and its unknown-name warnings."""
    given = {"case": case, **{p.name: "x" for p in query.parameters if p.required}}
    params = bind_parameters(query, given, load_thresholds())
    with driver.session(
        database=database, notifications_min_severity="INFORMATION"
    ) as session:
        result = session.run("EXPLAIN " + query.cypher, params)
        keys = list(result.keys())
        summary = result.consume()
    unknown = [
        f"{UNKNOWN[g.gql_status]}: {g.status_description}"
        for g in summary.gql_status_objects
        if g.gql_status in UNKNOWN
    ]
    return keys, unknown


@pytest.mark.parametrize("query", load_packs(), ids=lambda q: q.ref)
def test_query_is_clean_and_returns_its_declared_columns(
    query: PackQuery, filled: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    keys, unknown = explain(driver, neo4j_settings.database, query, filled)

    assert keys == list(query.returns)
    assert unknown == [], f"{query.ref} names what the graph lacks: {unknown}"
