"""The spine against the real Neo4j: captures in, the graph checked.

The oracle is tshark, run on the same file inside the test: the graph must
hold as many TCP and UDP sessions as tshark's conversation tables list, and
exactly the addresses of its endpoint tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import shared_captures
from graphcheck import scalar, snapshot, values
from tshark_oracle import run_tables

from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.extraction import ExtractionStage
from icsgraph.ingest.pipeline import ingest_capture

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

# Captures whose graph differs from tshark's tables, with the reason.
KNOWN_DIFFERENCES: dict[str, str] = {}

EVIDENCE = ("case", "capture", "first_frame", "last_frame", "first_seen", "last_seen")


def ingest(driver: Driver, settings: Neo4jSettings, case: str, path: Path) -> None:
    sink = GraphSink(driver, settings.database, case)
    ingest_capture(path, sink, extraction=ExtractionStage())


@pytest.mark.parametrize("capture", shared_captures(), ids=lambda p: p.name)
def test_sessions_and_hosts_match_tshark(
    capture: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    tables = run_tables(capture)
    db = neo4j_settings.database

    ingest(driver, neo4j_settings, case, capture)

    count = "MATCH (s:Session {case: $case, transport: $t}) RETURN count(s)"
    tcp = scalar(driver, db, count, case=case, t="tcp")
    udp = scalar(driver, db, count, case=case, t="udp")
    hosts = values(driver, db, "MATCH (h:Host {case: $case}) RETURN h.ip", case=case)
    if capture.name in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[capture.name])
    assert (tcp, udp) == (len(tables.tcp), len(tables.udp))
    assert set(hosts) == tables.hosts
    assert len(hosts) == len(set(hosts))


def test_every_node_and_edge_carries_evidence(
    pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    db = neo4j_settings.database
    ingest(driver, neo4j_settings, case, pcaps / "modbus-devid-diag.pcap")

    missing_nodes = scalar(
        driver,
        db,
        "MATCH (n) WHERE (n:Host OR n:Session OR n:Service) AND n.case = $case "
        "AND any(p IN $props WHERE n[p] IS NULL) RETURN count(n)",
        case=case,
        props=EVIDENCE,
    )
    edges = values(
        driver,
        db,
        "MATCH (n)-[r]-() WHERE (n:Host OR n:Session) AND n.case = $case "
        "AND NOT type(r) IN ['HAS_CAPTURE'] "
        "RETURN [p IN $props WHERE r[p] IS NULL] + type(r)",
        case=case,
        props=EVIDENCE,
    )
    assert missing_nodes == 0
    assert edges, "the capture made no relationships"
    assert {tuple(e[:-1]) for e in edges} == {()}
    assert {e[-1] for e in edges} >= {"OPENED", "TO", "USES", "OFFERS", "SAW"}


def test_reingest_changes_nothing_and_second_case_adds_only_itself(
    pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    from icsgraph.graph.cases import delete_case

    db = neo4j_settings.database
    capture = pcaps / "ftp-retr-mp3.pcap"
    other = case + "-second"
    delete_case(driver, db, other)
    ingest(driver, neo4j_settings, case, capture)
    first = snapshot(driver, db, case)

    ingest(driver, neo4j_settings, case, capture)
    again = snapshot(driver, db, case)
    ingest(driver, neo4j_settings, other, capture)

    assert again == first
    assert {kind for kind, _ in first} >= {"Artifact", "ABOUT", "YIELDED"}
    assert snapshot(driver, db, case) == first
    assert snapshot(driver, db, other) == first
    assert (
        scalar(
            driver,
            db,
            "MATCH (c:Capture)<-[:HAS_CAPTURE]-(k:Case) WHERE k.id IN $ids "
            "RETURN count(DISTINCT c)",
            ids=[case, other],
        )
        == 1
    )


class _Interrupting(GraphSink):
    """A writer that is interrupted after its first batch of sessions."""

    def write_sessions(self, rows):  # type: ignore[no-untyped-def]
        super().write_sessions(rows)
        raise KeyboardInterrupt


def test_interrupted_ingest_then_rerun_equals_one_clean_run(
    pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    from icsgraph.graph.cases import delete_case

    db = neo4j_settings.database
    capture = pcaps / "scan-nmap-syn-1000ports.pcap"
    clean = case + "-clean"
    delete_case(driver, db, clean)
    with pytest.raises(KeyboardInterrupt):
        ingest_capture(
            capture,
            _Interrupting(driver, db, case),
            batch_size=100,
            extraction=ExtractionStage(),
        )
    partial = scalar(
        driver, db, "MATCH (s:Session {case: $case}) RETURN count(s)", case=case
    )

    ingest(driver, neo4j_settings, case, capture)
    ingest(driver, neo4j_settings, clean, capture)

    assert 0 < partial < 1000
    assert snapshot(driver, db, case) == snapshot(driver, db, clean)


def test_talks_to_sums_the_sessions(
    pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    db = neo4j_settings.database
    ingest(driver, neo4j_settings, case, pcaps / "plant1-mixed-ics.pcap")

    sessions = scalar(
        driver, db, "MATCH (s:Session {case: $case}) RETURN count(s)", case=case
    )
    summed = scalar(
        driver,
        db,
        "MATCH (:Host {case: $case})-[t:TALKS_TO]->() RETURN sum(t.sessions)",
        case=case,
    )
    assert sessions == summed > 0
