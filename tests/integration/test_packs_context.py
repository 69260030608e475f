"""Known answers of the context, conversation, zone and scan-detail packs.

Each query here is run on a shared capture and its answer compared with what
tshark shows of the same capture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import DATA, PCAPS
from test_packs_answers import Graph, tshark_fields

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

SYN = "tcp.flags.syn == 1 && tcp.flags.ack == 0"


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings, case: str) -> Graph:
    return Graph(driver, neo4j_settings, case)


def test_hosts_are_tsharks_ip_endpoints_with_their_packets(graph: Graph) -> None:
    capture = PCAPS / "ftp-retr-mp3.pcap"
    packets: dict[str, int] = {}
    for src, dst in tshark_fields(capture, "ip", "ip.src", "ip.dst"):
        for ip in {src, dst}:
            packets[ip] = packets.get(ip, 0) + 1
    graph.ingest(capture)

    rows = graph.run("context/hosts")

    assert {r["host"]: r["packets"] for r in rows} == packets


def test_protocols_of_a_host_are_the_ports_it_opened_and_served(graph: Graph) -> None:
    capture = PCAPS / "ftp-retr-mp3.pcap"
    suspect = "192.168.0.114"
    opened = tshark_fields(capture, f"ip.src == {suspect} && {SYN}", "tcp.dstport")
    # A stream that began before the capture has no SYN: the lower port of
    # the suspect's frames is the server's, as the ingest orients it.
    with_syn = {st for (st,) in tshark_fields(capture, SYN, "tcp.stream")}
    late = {
        (st, dport)
        for st, sport, dport in tshark_fields(
            capture, f"ip.src == {suspect}", "tcp.stream", "tcp.srcport", "tcp.dstport"
        )
        if st not in with_syn and int(dport) < int(sport)
    }
    opened += [(dport,) for _, dport in late]
    served = tshark_fields(capture, f"ip.dst == {suspect} && {SYN}", "tcp.dstport")
    graph.ingest(capture)

    rows = graph.run("context/protocols", suspect=suspect)

    ports = {
        role: {r["port"] for r in rows if r["role"] == role}
        for role in ("client", "server")
    }
    assert ports == {
        "client": {int(p) for (p,) in opened},
        "server": {int(p) for (p,) in served},
    }
    clients = sum(r["sessions"] for r in rows if r["role"] == "client")
    assert clients == len(with_syn) + len(late)


def test_artifacts_of_a_host_carry_its_banner_and_login(graph: Graph) -> None:
    capture = PCAPS / "telnet-login-openbsd.pcap"
    banner = tshark_fields(capture, 'telnet.data contains "OpenBSD"', "frame.number")
    graph.ingest(capture)

    rows = graph.run("context/artifacts", suspect="192.168.0.1")

    kinds = {r["kind"] for r in rows}
    texts = [str(v) for r in rows if r["kind"] == "banner" for _, v in r["values"]]
    assert {"banner", "credential"} <= kinds
    assert any("OpenBSD/i386 (oof)" in t for t in texts)
    assert min(r["first_frame"] for r in rows if r["kind"] == "banner") <= int(
        banner[0][0]
    )


def test_layer2_devices_never_sent_an_ip_frame(graph: Graph) -> None:
    capture = PCAPS / "profinet-mixed.pcap"
    every = {m for (m,) in tshark_fields(capture, "eth", "eth.src")}
    with_ip = {m for (m,) in tshark_fields(capture, "ip || ipv6", "eth.src")}
    graph.ingest(capture)

    rows = graph.run("context/layer2_devices")

    found = {r["mac"] for r in rows}
    assert found
    assert found <= every - with_ip
    assert all(r["protocols"] for r in rows)


def test_failed_connections_are_the_syns_answered_by_a_reset(graph: Graph) -> None:
    capture = PCAPS / "scan-nmap-syn-1000ports.pcap"
    syns = {s for (s,) in tshark_fields(capture, SYN, "tcp.stream")}
    resets = {
        s
        for (s,) in tshark_fields(
            capture, "tcp.flags.reset == 1 && tcp.flags.ack == 1", "tcp.stream"
        )
    }
    answered = {
        s
        for (s,) in tshark_fields(
            capture, "tcp.flags.syn == 1 && tcp.flags.ack == 1", "tcp.stream"
        )
    }
    graph.ingest(capture)

    rows = graph.run("conversations/failed", limit=5000)

    by_state = {
        state: sum(
            r["attempts"]
            for r in rows
            if r["state"] == state and r["transport"] == "tcp"
        )
        for state in ("rejected", "unanswered")
    }
    assert by_state["rejected"] == len((syns & resets) - answered)
    assert by_state["unanswered"] == len(syns - resets - answered)
    assert by_state["rejected"] > 990


def test_internet_sessions_are_the_download_from_outside(graph: Graph) -> None:
    capture = PCAPS / "http-pdf-download.pcap"
    streams = tshark_fields(capture, SYN, "ip.src", "ip.dst", "tcp.dstport")
    graph.ingest(capture)

    rows = graph.run("zones/internet_sessions")

    assert {(r["client"], r["server"], r["port"]) for r in rows} == {
        (src, dst, int(port)) for src, dst, port in streams
    }
    assert {r["direction"] for r in rows} == {"outbound"}


def test_plc_scan_counts_the_controllers_tshark_shows(graph: Graph) -> None:
    capture = DATA / "plc-scan-replay.pcap"
    scanner = "10.10.10.66"
    targets = tshark_fields(
        capture,
        f"ip.src == {scanner} && {SYN} && tcp.dstport in {{502, 102, 44818}}",
        "ip.dst",
    )
    graph.ingest(capture)

    rows = graph.run("scanning/plc_scan")

    assert [r["scanner"] for r in rows] == [scanner]
    assert rows[0]["controllers"] == len({t for (t,) in targets})
    assert len({t for (t,) in targets}) >= 12
    assert {502, 102, 44818} <= set(rows[0]["ports"])


def test_ics_discovery_counts_the_identification_requests(graph: Graph) -> None:
    capture = PCAPS / "modbus-devid-diag.pcap"
    requests = tshark_fields(
        capture, "modbus.func_code in {43, 17} && tcp.dstport == 502", "ip.src"
    )
    graph.ingest(capture)

    rows = graph.run("scanning/ics_discovery")

    assert [(r["scanner"], r["messages"]) for r in rows] == [
        ("10.0.0.57", len(requests))
    ]
    assert set(rows[0]["functions"]) == {
        "Encapsulated Interface Transport",
        "Report Slave ID",
    }


def test_ics_port_probes_are_the_internet_sources_on_502(graph: Graph) -> None:
    capture = PCAPS / "modbus-nonmodbus-p502.pcap"
    private = "ip.src == 10.0.0.0/8 || ip.src == 192.168.0.0/16"
    sources = tshark_fields(
        capture, f"tcp.dstport == 502 && {SYN} && !({private})", "ip.src"
    )
    graph.ingest(capture)

    rows = graph.run("scanning/ics_port_probes")

    assert {r["scanner"] for r in rows} == {s for (s,) in sources}
    assert {p for r in rows for p in r["ports"]} == {502}
    assert sum(r["sessions"] for r in rows) == len(sources)


def test_host_profile_shows_the_best_identity_and_the_alerts(
    graph: Graph, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    from icsgraph.graph.alerts import load_alerts, parse_alerts

    graph.ingest(DATA / "plc-scan-replay.pcap")
    exported = parse_alerts(DATA / "alerts-plc-scan.csv", graph.case)
    load_alerts(driver, neo4j_settings.database, graph.case, exported.alerts)

    (switch,) = graph.run("context/host_profile", suspect="10.10.10.20")

    identity = {k: switch[k] for k in ("vendor", "model", "firmware", "serial")}
    assert identity == {
        "vendor": "Moxa",
        "model": "EDS-516A",
        "firmware": "2.6",
        "serial": "09404",
    }
    assert switch["macs"] == ["00:90:e8:27:8c:37"]
    assert switch["alerts"] == 2  # the Telnet access and the port scan
