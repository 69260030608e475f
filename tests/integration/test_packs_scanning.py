"""Scanning packs on every shared capture: the scanner, the kind, the count.

On each scan capture the scanner, the kind of scan and how many ports,
addresses, controllers or targets it probed are those tshark shows of the
same capture; on every other shared capture no scanner is named.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DATA, PCAPS, shared_captures
from test_packs_answers import Graph, tshark_fields

from icsgraph.queries.config import load_thresholds
from icsgraph.queries.packs import find_query

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

SYN = "tcp.flags.syn == 1 && tcp.flags.ack == 0"
RULES = (
    "scanning/port_scan",
    "scanning/address_sweep",
    "scanning/plc_scan",
    "scanning/ics_discovery",
    "scanning/ics_port_probes",
    "scanning/arp_sweep",
)
SWEEPER, SWEEPER_IP = "c4:2c:03:3b:6c:aa", "192.168.1.71"
# Shared captures with a scan, by what the manifest says they contain.
SCAN_CAPTURES = frozenset(
    {
        "scan-nmap-syn-1000ports.pcap",
        "scan-nmap-version.pcap",
        "scan-nmap-hostsweep.pcap",
        "scan-enip-listidentity.pcap",
        "scan-s7-szl-ident.pcap",
        "modbus-devid-diag.pcap",
        "modbus-nonmodbus-p502.pcap",
    }
)
# Captures the manifest does not call scans but that hold one: none so far.
SCANS_NOT_IN_MANIFEST: dict[str, str] = {}


Found = dict[tuple[str, str], int]


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings, case: str) -> Graph:
    return Graph(driver, neo4j_settings, case)


def scanners(graph: Graph, **thresholds: dict[str, object]) -> Found:
    """``(scanner, kind) -> probed`` from scanning/scanners after recording."""
    th = load_thresholds()
    for table, values in thresholds.items():
        th[table] = {**th[table], **values}
    graph.record(thresholds=th)
    rows = graph.run("scanning/scanners", thresholds=th)
    return {(r["scanner"], r["scan_kind"]): r["probed"] for r in rows}


def distinct(capture: Path, display_filter: str, field: str) -> set[str]:
    return {v for (v,) in tshark_fields(capture, display_filter, field)}


def ics_ports() -> tuple[int, ...]:
    query = find_query("scanning/plc_scan")
    assert query is not None
    param = query.parameter("ics_ports")
    assert param is not None
    return tuple(param.default)


def nmap_port_scan(name: str) -> tuple[Found, Found]:
    capture = PCAPS / name
    flt = f"ip.src == 192.168.1.10 && ip.dst == 192.168.1.25 && {SYN}"
    ports = distinct(capture, flt, "tcp.dstport")
    return {("192.168.1.10", "port scan"): len(ports)}, {}


def enip_list_identity(_: str) -> tuple[Found, Found]:
    capture = PCAPS / "scan-enip-listidentity.pcap"
    requests = tshark_fields(
        capture, "enip.command == 0x0063 && enip.length == 0", "ip.src", "ip.dst"
    )
    (scanner,) = {src for src, _ in requests}
    return {(scanner, "ICS discovery"): len({dst for _, dst in requests})}, {}


def s7_szl(_: str) -> tuple[Found, Found]:
    capture = PCAPS / "scan-s7-szl-ident.pcap"
    flt = "s7comm.param.userdata.funcgroup == 4 && s7comm.param.userdata.type == 4"
    requests = tshark_fields(capture, flt, "ip.src", "ip.dst")
    (scanner,) = {src for src, _ in requests}
    return {(scanner, "ICS discovery"): len({dst for _, dst in requests})}, {}


def modbus_device_id(_: str) -> tuple[Found, Found]:
    capture = PCAPS / "modbus-devid-diag.pcap"
    flt = "modbus.func_code in {43, 17} && tcp.dstport == 502"
    requests = tshark_fields(capture, flt, "ip.src", "ip.dst")
    (scanner,) = {src for src, _ in requests}
    return {(scanner, "ICS discovery"): len({dst for _, dst in requests})}, {}


def port_502_probes(_: str) -> tuple[Found, Found]:
    """Internet sources whose streams to 502 carried data but no Modbus."""
    capture = PCAPS / "modbus-nonmodbus-p502.pcap"
    private = "ip.src == 10.0.0.0/8 || ip.src == 192.168.0.0/16"
    opened = tshark_fields(
        capture, f"tcp.dstport == 502 && {SYN} && !({private})", "tcp.stream", "ip.src"
    )
    with_data = distinct(capture, "tcp.dstport == 502 && tcp.len > 0", "tcp.stream")
    modbus = distinct(capture, "mbtcp", "tcp.stream")
    probes = [
        src for stream, src in opened if stream in with_data and stream not in modbus
    ]
    return {(src, "ICS port probe"): 1 for src in probes}, {}


def arp_targets(capture: Path, sender: str) -> set[str]:
    """The addresses ``sender`` asked for in ARP requests, as tshark reads them."""
    flt = f"arp.opcode == 1 && arp.src.proto_ipv4 == {sender}"
    return distinct(capture, flt, "arp.dst.proto_ipv4") - {sender}


def nmap_host_sweep(_: str) -> tuple[Found, Found]:
    """The ARP sweep; with a threshold of 5 addresses, the TCP probes after it."""
    capture = PCAPS / "scan-nmap-hostsweep.pcap"
    asked = arp_targets(capture, SWEEPER_IP)
    targets = distinct(capture, f"ip.src == {SWEEPER_IP} && {SYN}", "ip.dst")
    return {(SWEEPER_IP, "arp sweep"): len(asked)}, {
        (SWEEPER_IP, "address sweep"): len(targets)
    }


EXPECTED: dict[str, Callable[[str], tuple[Found, Found]]] = {
    "scan-nmap-syn-1000ports.pcap": nmap_port_scan,
    "scan-nmap-version.pcap": nmap_port_scan,
    "scan-nmap-hostsweep.pcap": nmap_host_sweep,
    "scan-enip-listidentity.pcap": enip_list_identity,
    "scan-s7-szl-ident.pcap": s7_szl,
    "modbus-devid-diag.pcap": modbus_device_id,
    "modbus-nonmodbus-p502.pcap": port_502_probes,
}


def test_every_scan_capture_has_an_expectation() -> None:
    assert set(EXPECTED) == SCAN_CAPTURES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scanning_names_the_scanner_kind_and_count_tshark_shows(
    graph: Graph, name: str
) -> None:
    default, lowered = EXPECTED[name](name)
    graph.ingest(PCAPS / name)

    found = scanners(graph)
    found_lowered = scanners(graph, address_sweep={"min_addresses": 5})

    assert found == default
    assert all(v > 0 for v in (default | lowered).values())
    assert {k: found_lowered.get(k) for k in lowered} == lowered


def test_the_replayed_plc_scan_agrees_with_tshark(graph: Graph) -> None:
    capture = DATA / "plc-scan-replay.pcap"
    scanner, switch = "10.10.10.66", "10.10.10.20"
    ports = distinct(
        capture, f"ip.src == {scanner} && ip.dst == {switch} && {SYN}", "tcp.dstport"
    )
    ics = ", ".join(str(p) for p in ics_ports())
    controllers = distinct(
        capture, f"ip.src == {scanner} && {SYN} && tcp.dstport in {{{ics}}}", "ip.dst"
    )
    identity = "enip.command == 0x0063 || modbus.func_code == 43"
    discovered = distinct(capture, f"ip.src == {scanner} && ({identity})", "ip.dst")
    graph.ingest(capture)

    found = scanners(graph)

    assert found == {
        (scanner, "port scan"): len(ports),
        (scanner, "PLC scan"): len(controllers),
        (scanner, "ICS discovery"): len(discovered),
    }
    assert (len(ports), len(discovered)) == (27, 2)
    assert len(controllers) >= 12


def test_arp_sweep_names_the_mac_and_as_many_addresses_as_tshark(
    graph: Graph,
) -> None:
    capture = PCAPS / "scan-nmap-hostsweep.pcap"
    asked = arp_targets(capture, SWEEPER_IP)
    macs = distinct(capture, f"arp.src.proto_ipv4 == {SWEEPER_IP}", "arp.src.hw_mac")
    graph.ingest(capture)

    rows = graph.run("scanning/arp_sweep")
    busiest = graph.run("scanning/arp_sweep", window=1.0)
    activity = {r["mac"]: r for r in graph.run("scanning/arp_activity")}
    others = graph.run("scanning/arp_sweep", suspect="192.168.1.1")

    assert macs == {SWEEPER}
    assert [(r["scanner"], r["mac"], r["scan_kind"]) for r in rows] == [
        (SWEEPER_IP, SWEEPER, "arp sweep")
    ]
    assert rows[0]["addresses"] == rows[0]["probed"] == len(asked)
    assert rows[0]["network"] == "192.168.0.0/16"
    assert rows[0]["hosts"] == [SWEEPER_IP]
    assert len(asked) > 200
    assert 0 < busiest[0]["probed"] < len(asked)
    assert activity[SWEEPER]["asked"] == len(asked)
    assert others == []


OTHERS = [p.name for p in shared_captures() if p.name not in SCAN_CAPTURES]


@pytest.mark.parametrize("name", OTHERS)
def test_no_scanner_is_named_on_captures_without_scans(graph: Graph, name: str) -> None:
    graph.ingest(PCAPS / name)

    found = scanners(graph)
    rows = {ref: graph.run(ref) for ref in RULES}

    expected = SCANS_NOT_IN_MANIFEST.get(name)
    if expected is None:
        assert found == {}
        assert rows == {ref: [] for ref in RULES}
    else:
        assert found, expected
