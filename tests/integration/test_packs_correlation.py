"""Correlation packs tie two cases that share a device.

Two pairs of cases: the same captures ingested under two names, and the
same captures with every IPv4 address moved (rewritten with scapy; MACs and
payloads kept). The replayed PLC scan gives MACs, identities with serial
numbers, Telnet logins and a scanner; the TFTP capture a file whose hash
tshark's object export gives.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DATA, PCAPS
from graphcheck import values
from test_packs_answers import Graph, rewrite_addresses, tshark_fields

from icsgraph.graph.cases import delete_case

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

SCAN = DATA / "plc-scan-replay.pcap"
TFTP = PCAPS / "tftp-transfer.pcap"
SCANNER = "10.10.10.66"


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings, case: str) -> Graph:
    return Graph(driver, neo4j_settings, case)


@pytest.fixture(params=["twice", "rewritten"])
def pair(
    request: pytest.FixtureRequest, graph: Graph, tmp_path: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    """The other case, and how addresses moved from this case to it."""
    other = graph.case + "-other"
    delete_case(graph.driver, graph.db, other)
    moved: dict[str, str] = {}
    for source in (SCAN, TFTP):
        graph.ingest(source)
        copy = source
        if request.param == "rewritten":
            copy = tmp_path / source.name
            moved |= rewrite_addresses(source, copy)
        graph.ingest(copy, other)
    graph.record()
    graph.record(other)
    yield other, moved
    delete_case(graph.driver, graph.db, other)


def exported_sha256(capture: Path, protocol: str, folder: Path) -> set[str]:
    args = ["tshark", "-n", "-r", str(capture), "--export-objects"]
    subprocess.run([*args, f"{protocol},{folder}"], capture_output=True, check=True)
    return {hashlib.sha256(f.read_bytes()).hexdigest() for f in folder.iterdir()}


def test_the_same_macs_tie_the_cases(
    graph: Graph, pair: tuple[str, dict[str, str]]
) -> None:
    other, moved = pair
    macs = {m for (m,) in tshark_fields(SCAN, "eth", "eth.src")}

    rows = graph.run("correlation/same_mac", other=other)

    assert macs <= {r["mac"] for r in rows}
    for row in rows:
        assert {moved.get(ip, ip) for ip in row["ips_here"]} == set(row["ips_there"])


def test_the_same_device_identity_ties_the_cases(
    graph: Graph, pair: tuple[str, dict[str, str]]
) -> None:
    other, moved = pair
    (enip_serial,) = {
        s for (s,) in tshark_fields(SCAN, "enip.lir.serial", "enip.lir.serial")
    }
    moxa = tshark_fields(SCAN, 'telnet contains "09404"', "ip.src")

    rows = graph.run("correlation/same_identity", other=other)

    tied = {(r["serial"], r["host_here"], r["host_there"]) for r in rows}
    assert (
        enip_serial,
        "10.10.10.109",
        moved.get("10.10.10.109", "10.10.10.109"),
    ) in tied
    assert ("09404", "10.10.10.20", moved.get("10.10.10.20", "10.10.10.20")) in tied
    assert {ip for (ip,) in moxa} == {"10.10.10.20"}
    assert {r["vendor"] for r in rows} == {"Moxa", "Rockwell Automation"}


def test_the_same_credential_ties_the_cases(
    graph: Graph, pair: tuple[str, dict[str, str]]
) -> None:
    other, _ = pair
    users = set(
        values(
            graph.driver,
            graph.db,
            "MATCH (a:Artifact {case: $c, kind: 'credential'}) RETURN a.username",
            c=graph.case,
        )
    )

    rows = graph.run("correlation/same_credential", other=other)

    assert users
    assert {r["username"] for r in rows} == users
    assert all(r["same_password"] for r in rows)
    assert {r["protocol"] for r in rows} == {"telnet"}


def test_the_same_file_hash_ties_the_cases(
    graph: Graph, pair: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    other, _ = pair
    folder = tmp_path / "objects"
    folder.mkdir()
    hashes = exported_sha256(TFTP, "tftp", folder)

    rows = graph.run("correlation/same_file", other=other)

    assert {r["sha256"] for r in rows} == hashes
    assert {r["name_there"] for r in rows} == {p.name for p in folder.iterdir()}


def test_the_same_scanner_ties_the_cases(
    graph: Graph, pair: tuple[str, dict[str, str]]
) -> None:
    other, moved = pair
    there = moved.get(SCANNER, SCANNER)

    rows = graph.run("correlation/same_scanner", other=other)

    assert {(r["scanner_here"], r["scanner_there"]) for r in rows} == {(SCANNER, there)}
    assert {r["matched_by"] for r in rows} == {"mac" if moved else "address"}
    assert set(rows[0]["rules_here"]) == {"port_scan", "plc_scan", "ics_discovery"}
