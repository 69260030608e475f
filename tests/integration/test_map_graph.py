"""The device map read from the real Neo4j, then drawn by the real CLI.

Captures go in through the real pipeline; what the map reader returns is
checked against the graph itself (hosts, layer-2-only MACs, sessions) and
the drawn page against the reader, in headless Chromium with the network off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import Browser, chromium_available, ink_fraction, open_browser
from graphcheck import scalar, values

from icsgraph.errors import ConfigError, QueryError
from icsgraph.graph.map_data import CaseMap, MapRequest, read_map
from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.pipeline import ingest_capture

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

ICSGRAPH = Path(sys.executable).with_name("icsgraph")
PLANT = "plant1-mixed-ics.pcap"
SYN_SCAN = "scan-nmap-syn-1000ports.pcap"
HMI = "141.81.0.10"
PASSWORD = "s3cret-Pa55"  # a credential value that must never reach the map


def ingest(driver: Driver, settings: Neo4jSettings, case: str, path: Path) -> None:
    ingest_capture(path, GraphSink(driver, settings.database, case, path=str(path)))


def load_map(driver: Driver, settings: Neo4jSettings, request: MapRequest) -> CaseMap:
    with driver.session(database=settings.database) as session:
        return read_map(session, request)


def ip_of(key: str) -> str:
    return key.split("|", 1)[-1]


@pytest.fixture
def plant(pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str) -> str:
    ingest(driver, neo4j_settings, case, pcaps / PLANT)
    return case


def test_nodes_are_the_hosts_and_layer2_macs(
    plant: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    hosts = values(driver, db, "MATCH (h:Host {case: $c}) RETURN h.key", c=plant)
    layer2 = values(
        driver,
        db,
        "MATCH (:Capture)-[:SAW {case: $c, kind: 'mac', layer2_only: true}]->(m) "
        "RETURN DISTINCT m.address",
        c=plant,
    )
    sessions = scalar(
        driver, db, "MATCH (s:Session {case: $c}) RETURN count(s)", c=plant
    )

    case_map = load_map(driver, neo4j_settings, MapRequest(plant))

    keys = [n.key for n in case_map.nodes]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(hosts) | set(layer2)
    assert {n.key for n in case_map.nodes if n.layer2_only} == set(layer2)
    assert layer2, "plant1 has PROFINET devices seen only at layer 2"
    assert sum(e.sessions for e in case_map.edges) == sessions
    assert all(len(e.session_keys) == min(e.sessions, 20) for e in case_map.edges)


def test_plcs_are_controllers_and_their_poller_an_hmi(
    plant: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    plcs = values(
        driver,
        neo4j_settings.database,
        "MATCH (h:Host {case: $c})-[:OFFERS]->(v:Service) "
        "WHERE v.port IN [502, 102, 44818] RETURN DISTINCT h.ip",
        c=plant,
    )

    roles = {
        n.address: n.role
        for n in load_map(driver, neo4j_settings, MapRequest(plant)).nodes
    }

    assert len(plcs) >= 20
    assert all(ip.startswith("141.81.0.") for ip in plcs)
    assert {roles[ip] for ip in plcs} == {"controller"}
    assert roles[HMI] == "hmi"
    assert "scanner" not in roles.values()


def test_syn_scan_draws_rejected_edges_from_a_scanner(
    pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    db = neo4j_settings.database
    ingest(driver, neo4j_settings, case, pcaps / SYN_SCAN)
    rejected = scalar(
        driver,
        db,
        "MATCH (s:Session {case: $c, state: 'rejected'}) RETURN count(s)",
        c=case,
    )
    scanner = values(
        driver,
        db,
        "MATCH (h:Host {case: $c})-[:OPENED]->(s:Session) "
        "WITH h, count(s) AS n RETURN h.ip ORDER BY n DESC LIMIT 1",
        c=case,
    )[0]

    case_map = load_map(driver, neo4j_settings, MapRequest(case))

    failed = [e for e in case_map.edges if e.outcome == "rejected"]
    roles = {n.address: n.role for n in case_map.nodes}
    assert rejected > 900
    assert sum(e.sessions for e in failed) == rejected
    assert {ip_of(e.src) for e in failed} == {scanner}
    assert roles[scanner] == "scanner"
    assert max(len(e.ports) for e in failed) == 100  # capped sample of ports


def test_focus_keeps_the_neighbourhood(
    plant: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    plc = "141.81.0.104"
    full = load_map(driver, neo4j_settings, MapRequest(plant))

    one = load_map(driver, neo4j_settings, MapRequest(plant, (plc,), hops=1))
    two = load_map(driver, neo4j_settings, MapRequest(plant, (plc,), hops=2))

    assert {n.address for n in one.nodes} == {plc, HMI}
    assert one.focus == (f"{plant}|{plc}",)
    assert all({ip_of(e.src), ip_of(e.dst)} == {plc, HMI} for e in one.edges)
    assert len(one.nodes) < len(two.nodes) < len(full.nodes)
    assert not any(n.layer2_only for n in two.nodes)


def test_protocol_filter_keeps_edges_and_their_ends(
    plant: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    ends = values(
        driver,
        neo4j_settings.database,
        "MATCH (a:Host)-[:OPENED]->(s:Session {case: $c, protocol: 'modbus'})"
        "-[:TO]->(b:Host) UNWIND [a.ip, b.ip] AS ip RETURN DISTINCT ip",
        c=plant,
    )

    case_map = load_map(
        driver, neo4j_settings, MapRequest(plant, protocols=("modbus",))
    )

    assert {e.protocol for e in case_map.edges} == {"modbus"}
    assert {n.address for n in case_map.nodes} == set(ends)


def test_bad_requests_fail_in_one_line(
    plant: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    with pytest.raises(QueryError, match="icsgraph cases list"):
        load_map(driver, neo4j_settings, MapRequest(plant + "-missing"))
    with pytest.raises(QueryError, match=r"has no host 10\.9\.9\.9"):
        load_map(driver, neo4j_settings, MapRequest(plant, ("10.9.9.9",)))
    for hops in (0, 6):
        with pytest.raises(ConfigError, match=r"1\.\.5"):
            load_map(driver, neo4j_settings, MapRequest(plant, (HMI,), hops=hops))
    with pytest.raises(ConfigError, match="neither an IP nor a MAC"):
        load_map(driver, neo4j_settings, MapRequest(plant, ("' OR 1=1 //",)))


BADGE_FIXTURE = """
MATCH (h:Host {case: $c, ip: $hmi}), (p:Host {case: $c, ip: $plc})
MATCH (h)-[:OPENED]->(s:Session)-[:TO]->(p)
WITH h, p, s LIMIT 1
CREATE (a:Alert {case: $c, title: 'Unauthorized PLC access', severity: 'High'})
CREATE (a)-[:ABOUT]->(h)
CREATE (f:Finding {case: $c, rule: 'scanning/port_scan', title: 'Port scan'})
CREATE (f)-[:INVOLVES {role: 'scanner'}]->(h), (f)-[:INVOLVES {role: 'target'}]->(p)
CREATE (f)-[:EVIDENCED_BY]->(s)
MERGE (t:Technique {id: 'T0846'}) ON CREATE SET t.name = 'Remote System Discovery'
CREATE (f)-[:MAPS_TO]->(t)
CREATE (cr:Artifact {key: $c + '|cred', case: $c, kind: 'credential',
  protocol: 'telnet', username: 'admin', password: $password})
CREATE (s)-[:YIELDED]->(cr)-[:ABOUT]->(p)
CREATE (ft:Artifact {key: $c + '|file', case: $c, kind: 'file_transfer',
  protocol: 'ftp', name: 'logic.bin', sha256: $sha, direction: 'download'})
CREATE (s)-[:YIELDED]->(ft)-[:ABOUT]->(p)
RETURN s.key AS session
"""


def test_badges_follow_sessions_and_hide_secrets(
    plant: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    plc = "141.81.0.104"
    session = scalar(
        driver,
        neo4j_settings.database,
        BADGE_FIXTURE,
        c=plant,
        hmi=HMI,
        plc=plc,
        password=PASSWORD,
        sha="ab" * 32,
    )

    nodes = {
        n.address: n for n in load_map(driver, neo4j_settings, MapRequest(plant)).nodes
    }

    hmi = {(b.kind, b.label): b for b in nodes[HMI].badges}
    target = {(b.kind, b.label): b for b in nodes[plc].badges}
    assert set(hmi) == {
        ("alert", "Unauthorized PLC access"),
        ("finding", "scanning/port_scan"),
        ("technique", "T0846"),
    }
    assert hmi[("technique", "T0846")].sessions == (session,)
    assert nodes[HMI].role == "scanner"  # the finding names it the actor
    assert nodes[plc].role == "controller"  # a target, not a scanner
    assert set(target) == {
        ("finding", "scanning/port_scan"),
        ("technique", "T0846"),
        ("credential", "password for user admin"),
        ("file", "logic.bin"),
    }
    assert target[("credential", "password for user admin")].sessions == (session,)
    assert "ab" * 32 in target[("file", "logic.bin")].detail
    assert PASSWORD not in repr(nodes)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip("chromium and chromedriver are not installed")
    with open_browser() as opened:
        yield opened


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ICSGRAPH), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
        check=False,
    )


@pytest.mark.browser
def test_cli_map_draws_the_graph_offline(
    plant: str,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    browser: Browser,
    tmp_path: Path,
) -> None:
    out = tmp_path / "map.html"
    expected = load_map(driver, neo4j_settings, MapRequest(plant))

    done = run_cli("map", "--case", plant, "-o", str(out))
    page = browser.open(out)

    assert done.returncode == 0, done.stderr
    assert f"{len(expected.nodes)} nodes, {len(expected.edges)} edges" in done.stdout
    assert page.state == {
        "nodes": len(expected.nodes),
        "edges": len(expected.edges),
        "drawnNodes": len(expected.nodes),
        "drawnEdges": len(expected.edges),
    }
    assert page.foreign_requests() == []
    assert ink_fraction(browser.screenshot(), (20, 60, 880, 600)) > 0.002


@pytest.mark.browser
def test_cli_focus_and_protocol_map(
    plant: str,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    browser: Browser,
    tmp_path: Path,
) -> None:
    out = tmp_path / "focus.html"
    request = MapRequest(plant, (HMI,), 2, ("s7comm",))
    expected = load_map(driver, neo4j_settings, request)

    done = run_cli(
        "map", "--case", plant, "--focus", HMI, "--hops", "2",
        "--protocol", "s7comm", "-o", str(out),
    )  # fmt: skip
    page = browser.open(out)

    assert done.returncode == 0, done.stderr
    assert page.state["drawnNodes"] == len(expected.nodes)
    assert page.state["drawnEdges"] == len(expected.edges)
    assert page.foreign_requests() == []


def test_cli_unknown_case_is_one_line() -> None:
    done = run_cli("map", "--case", "no-such-case-for-map", "-o", "/dev/null")

    assert done.returncode == QueryError.exit_code
    assert done.stderr.strip().count("\n") == 0
    assert "icsgraph cases list" in done.stderr


def test_demo_replay_roles(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    replay = Path(__file__).resolve().parents[1] / "data" / "plc-scan-replay.pcap"
    ingest(driver, neo4j_settings, case, replay)

    roles = {
        n.address: n.role
        for n in load_map(driver, neo4j_settings, MapRequest(case)).nodes
    }

    assert roles.pop("10.10.10.66") == "scanner"
    assert roles.pop("10.10.10.20") != "controller"  # the switch, only probed
    assert set(roles.values()) == {"controller"}
    assert len(roles) == 12
