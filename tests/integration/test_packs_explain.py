"""Every pack query compiles on the real Neo4j and names only what exists.

A case is filled first with captures that give every label, relationship
type and property the packs read: scans, remote access, cleartext logins,
file transfers, ICS commands, internet hosts, identities with serials, and
an alert export; then zones are assigned and findings recorded. Since
EXPLAIN only knows property keys of the whole database, each query's reads
are also checked against the keys the case's nodes of that label hold. A
notification about an unknown label, relationship type or property key
fails the query's test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DATA, PCAPS

from icsgraph.graph.alerts import load_alerts, parse_alerts
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
    "ftp-anon-retr-internet.pcap",  # file transfer, whole: it has a hash
    "ssh-session-internet.pcap",  # internet zone, remote access
    "modbus-devid-diag.pcap",  # ICS commands, identity
    "dnp3-cold-restart.pcap",  # restart
    "s7-plc-stop.pcapng",  # mode change
    "modbus-nonmodbus-p502.pcap",  # internet probes of an ICS port
)
REPLAY = DATA / "plc-scan-replay.pcap"  # identities with serials, logins
BINDING = re.compile(r"\(([a-z]\w*):([A-Z]\w*)")
PROPERTY = re.compile(r"\b([a-z]\w*)\.([a-z_]\w*)")
# GQL statuses of "does not exist" warnings: label, relationship type, property.
UNKNOWN = {"01N50": "label", "01N51": "relationship type", "01N52": "property"}


@pytest.fixture(scope="module")
def filled(driver: Driver, neo4j_settings: Neo4jSettings) -> Iterator[str]:
    db = neo4j_settings.database
    delete_case(driver, db, CASE)
    for path in [PCAPS / name for name in CAPTURES] + [REPLAY]:
        ingest_capture(
            Path(path),
            GraphSink(driver, db, CASE),
            extraction=ExtractionStage(),
        )
    alerts = parse_alerts(DATA / "alerts-plc-scan.csv", CASE).alerts
    load_alerts(driver, db, CASE, alerts)
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


def properties_read(query: PackQuery) -> dict[str, set[str]]:
    """Label -> the properties the query reads of nodes bound with it."""
    body = "\n".join(ln for ln in query.text.splitlines() if not ln.startswith("//"))
    labels: dict[str, set[str]] = {}
    for var, label in BINDING.findall(body):
        labels.setdefault(var, set()).add(label)
    read: dict[str, set[str]] = {}
    for var, prop in PROPERTY.findall(body):
        for label in labels.get(var, ()):
            read.setdefault(label, set()).add(prop)
    return read


def keys_of(driver: Driver, database: str, case: str) -> dict[str, set[str]]:
    """Label -> every property key some node of the case (or shared) has."""
    found: dict[str, set[str]] = {}
    with driver.session(database=database) as session:
        for record in session.run(
            "MATCH (n) WHERE n.case = $case OR n:Mac OR n:Technique OR n:Capture "
            "UNWIND labels(n) AS label UNWIND keys(n) AS key "
            "RETURN label, collect(DISTINCT key) AS keys",
            case=case,
        ):
            found[record["label"]] = set(record["keys"])
    return found


@pytest.mark.parametrize("query", load_packs(), ids=lambda q: q.ref)
def test_query_reads_only_properties_its_labels_have(
    query: PackQuery, filled: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    keys = keys_of(driver, neo4j_settings.database, filled)

    missing = {
        label: sorted(props - keys.get(label, set()))
        for label, props in properties_read(query).items()
        if props - keys.get(label, set())
    }

    assert missing == {}, f"{query.ref} reads what no node of the case has"
