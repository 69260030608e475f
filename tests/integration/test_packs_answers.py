"""Known answers of the query packs on the shared captures, checked with tshark.

Captures are ingested with extraction, so the artifacts the packs read
(file transfers, credentials, ICS commands, identities) are in the graph.
`Graph` and `tshark_fields` are shared by the other test_packs_* modules.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import PCAPS
from graphcheck import scalar, values
from tshark_oracle import run_tables

from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.extraction import ExtractionStage
from icsgraph.ingest.pipeline import ingest_capture
from icsgraph.queries.config import load_thresholds
from icsgraph.queries.findings import record_findings
from icsgraph.queries.run import run_pack_query

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

Rows = list[dict[str, Any]]
Thresholds = dict[str, dict[str, Any]]


class Graph:
    """One test's case on the real Neo4j, with pack queries at hand."""

    def __init__(self, driver: Driver, settings: Neo4jSettings, case: str) -> None:
        self.driver, self.db, self.case = driver, settings.database, case

    def ingest(self, path: Path, case: str | None = None) -> None:
        ingest_capture(
            path,
            GraphSink(self.driver, self.db, case or self.case),
            extraction=ExtractionStage(),
        )

    def run(
        self,
        ref: str,
        case: str | None = None,
        thresholds: Thresholds | None = None,
        **params: Any,
    ) -> Rows:
        given = {"case": case or self.case, **params}
        return run_pack_query(self.driver, self.db, ref, given, thresholds)[1]

    def record(
        self, case: str | None = None, thresholds: Thresholds | None = None
    ) -> int:
        th = load_thresholds() if thresholds is None else thresholds
        return record_findings(self.driver, self.db, case or self.case, th)


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings, case: str) -> Graph:
    return Graph(driver, neo4j_settings, case)


@pytest.fixture
def other_case(graph: Graph) -> Iterator[str]:
    """A second case for correlation, emptied before and after the test."""
    from icsgraph.graph.cases import delete_case

    name = graph.case + "-other"
    delete_case(graph.driver, graph.db, name)
    yield name
    delete_case(graph.driver, graph.db, name)


def tshark_fields(capture: Path, display_filter: str, *fields: str) -> list[list[str]]:
    args = ["tshark", "-n", "-r", str(capture), "-Y", display_filter, "-T", "fields"]
    for field in fields:
        args += ["-e", field]
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def test_port_scan_names_the_scanner_and_as_many_ports_as_tshark(
    graph: Graph,
) -> None:
    capture = PCAPS / "scan-nmap-syn-1000ports.pcap"
    syn = "ip.src == 192.168.1.10 && ip.dst == 192.168.1.25 && "
    syn += "tcp.flags.syn == 1 && tcp.flags.ack == 0"
    ports = {int(p) for (p,) in tshark_fields(capture, syn, "tcp.dstport")}
    graph.ingest(capture)

    rows = graph.run("scanning/port_scan")

    assert [(r["scanner"], r["target"], r["transport"]) for r in rows] == [
        ("192.168.1.10", "192.168.1.25", "tcp")
    ]
    assert rows[0]["ports"] == len(ports)
    assert rows[0]["ports_in_window"] >= 25
    assert len(ports) > 990


def test_host_sweep_as_far_as_sessions_and_arp_tell(graph: Graph) -> None:
    capture = PCAPS / "scan-nmap-hostsweep.pcap"
    syn = "ip.src == 192.168.1.71 && tcp.flags.syn == 1 && tcp.flags.ack == 0"
    targets = {ip for (ip,) in tshark_fields(capture, syn, "ip.dst")}
    arp = tshark_fields(capture, "arp.opcode == 1", "eth.src", "arp.src.proto_ipv4")
    graph.ingest(capture)

    sweep = graph.run("scanning/address_sweep", min_addresses=5)
    arp_rows = {r["mac"]: r for r in graph.run("scanning/arp_activity")}

    assert [(r["scanner"], r["network"]) for r in sweep] == [
        ("192.168.1.71", "192.168.0.0/16")
    ]
    assert sweep[0]["addresses"] == len(targets)
    mac, ip = arp[0]
    assert ip in arp_rows[mac]["claimed"]


def test_conversations_of_a_host_are_tsharks_rows_involving_it(graph: Graph) -> None:
    capture = PCAPS / "ftp-retr-mp3.pcap"
    suspect = "192.168.0.114"
    expected = {
        (
            frozenset({(c.a_ip, c.a_port), (c.b_ip, c.b_port)}),
            c.frames_a_to_b + c.frames_b_to_a,
        )
        for c in run_tables(capture).tcp
        if suspect in (c.a_ip, c.b_ip)
    }
    graph.ingest(capture)

    rows = graph.run("conversations/of_host", suspect=suspect, transport="tcp")

    found = {
        (
            frozenset({(r["src_ip"], r["src_port"]), (r["dst_ip"], r["dst_port"])}),
            r["packets"],
        )
        for r in rows
    }
    assert found == expected


def test_default_zones_on_an_internet_download(graph: Graph) -> None:
    graph.ingest(PCAPS / "http-pdf-download.pcap")

    graph.run("zones/hosts")
    rows = graph.run("zones/hosts")
    between = graph.run("zones/between")
    placed = scalar(
        graph.driver,
        graph.db,
        "MATCH (:Host {case: $c})-[r:IN_ZONE]->(:Zone) RETURN count(r)",
        c=graph.case,
    )

    kinds = {r["host"]: r["kind"] for r in rows}
    assert placed == len(rows)
    assert kinds == {"37.187.126.138": "internet", "192.168.98.125": "internal"}
    assert {(r["client_kind"], r["server_kind"]) for r in between} == {
        ("internal", "internet")
    }


@pytest.mark.parametrize(
    ("name", "tool", "client", "server", "external"),
    [
        ("rdp-session.pcap", "rdp", "172.21.128.16", "10.226.24.52", False),
        ("vnc-session.pcap", "vnc", "192.168.2.115", "192.168.2.16", False),
        ("ssh-session-internet.pcap", "ssh", "192.150.186.169", "131.159.14.23", True),
        ("telnet-login-openbsd.pcap", "telnet", "192.168.0.2", "192.168.0.1", False),
    ],
)
def test_remote_access_sessions(
    graph: Graph, name: str, tool: str, client: str, server: str, external: bool
) -> None:
    graph.ingest(PCAPS / name)

    rows = graph.run("remote_access/sessions")

    assert rows
    assert {(r["tool"], r["client"], r["server"], r["external"]) for r in rows} == {
        (tool, client, server, external)
    }


@pytest.mark.parametrize(
    ("name", "channel", "pair"),
    [
        ("smb2-mimikatz-copy.pcap", "smb", {"192.168.10.31", "192.168.10.30"}),
        ("tftp-transfer.pcap", "tftp", {"192.168.0.10", "192.168.0.253"}),
        ("ftp-retr-mp3.pcap", "ftp-data", {"192.168.0.114", "192.168.0.193"}),
    ],
)
def test_transfer_channels_by_protocol(
    graph: Graph, name: str, channel: str, pair: set[str]
) -> None:
    graph.ingest(PCAPS / name)

    rows = graph.run("transfers/by_protocol")

    ours = [r for r in rows if r["channel"] == channel]
    assert ours
    assert all({r["client"], r["server"]} == pair for r in ours)
    assert max(r["bytes_out"] + r["bytes_in"] for r in ours) > 1000


def test_tftp_data_is_tied_to_its_request(graph: Graph) -> None:
    capture = PCAPS / "tftp-transfer.pcap"
    graph.ingest(capture)

    rows = graph.run("transfers/by_protocol")

    assert sorted(r["port"] == 69 for r in rows) == [False, True]


def test_findings_are_recorded_once_and_placed_in_attack(graph: Graph) -> None:
    graph.ingest(PCAPS / "scan-nmap-syn-1000ports.pcap")
    th = load_thresholds()

    first = record_findings(graph.driver, graph.db, graph.case, th)
    keys = values(
        graph.driver,
        graph.db,
        "MATCH (f:Finding {case: $c}) RETURN f.key",
        c=graph.case,
    )
    again = record_findings(graph.driver, graph.db, graph.case, th)
    techniques = {r["technique"]: r for r in graph.run("attack/techniques")}
    scan = [r for r in graph.run("attack/findings") if r["rule"] == "port_scan"]

    assert first == again == len(keys)
    assert sorted(keys) == sorted(
        values(
            graph.driver,
            graph.db,
            "MATCH (f:Finding {case: $c}) RETURN f.key",
            c=graph.case,
        )
    )
    assert techniques["T0846"]["name"] == "Remote System Discovery"
    assert [r["hosts"][0] for r in scan] == ["192.168.1.10"]
    actor = scalar(
        graph.driver,
        graph.db,
        "MATCH (f:Finding {case: $c, rule: 'port_scan'})-[:INVOLVES {role: 'actor'}]"
        "->(h:Host) RETURN h.ip",
        c=graph.case,
    )
    assert actor == "192.168.1.10"
    assert scan[0]["evidence"] >= 1000


def test_the_same_capture_in_two_cases_is_tied_by_mac_and_scanner(
    graph: Graph, other_case: str
) -> None:
    capture = PCAPS / "scan-nmap-syn-1000ports.pcap"
    other = other_case
    for case in (graph.case, other):
        graph.ingest(capture, case)
    record_findings(graph.driver, graph.db, other, load_thresholds())
    macs = set(
        values(
            graph.driver,
            graph.db,
            "MATCH (:Capture)-[:SAW {case: $c, kind: 'mac'}]->(m:Mac) RETURN m.address",
            c=graph.case,
        )
    )

    tied = graph.run("correlation/same_mac", other=other)
    scanners = graph.run("correlation/same_scanner", other=other)

    assert macs
    assert {r["mac"] for r in tied} == macs
    assert [(r["scanner_here"], r["matched_by"]) for r in scanners] == [
        ("192.168.1.10", "address")
    ]


def rewrite_addresses(source: Path, target: Path) -> dict[str, str]:
    """Copy a capture with every IPv4 address moved to 10.99.x.y; MACs kept."""
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.utils import rdpcap, wrpcap

    packets = rdpcap(str(source))
    moved: dict[str, str] = {}
    for packet in packets:
        if IP not in packet:
            continue
        for field in ("src", "dst"):
            old = getattr(packet[IP], field)
            new = moved.setdefault(old, "10.99." + ".".join(old.split(".")[2:]))
            setattr(packet[IP], field, new)
        del packet[IP].chksum
        for layer in (TCP, UDP):
            if layer in packet:
                del packet[layer].chksum
    wrpcap(str(target), packets)
    return moved


def test_a_capture_with_rewritten_addresses_is_tied_by_mac(
    graph: Graph, tmp_path: Path, other_case: str
) -> None:
    source = PCAPS / "modbus-devid-diag.pcap"
    rewritten = tmp_path / "rewritten.pcap"
    moved = rewrite_addresses(source, rewritten)
    other = other_case
    graph.ingest(source)
    graph.ingest(rewritten, other)

    tied = graph.run("correlation/same_mac", other=other)

    assert tied
    for row in tied:
        assert {moved[ip] for ip in row["ips_here"]} == set(row["ips_there"])


def test_file_transfers_name_the_files_tshark_sees(graph: Graph) -> None:
    capture = PCAPS / "ftp-retr-mp3.pcap"
    names = {
        arg
        for (arg,) in tshark_fields(
            capture, 'ftp.request.command == "RETR"', "ftp.request.arg"
        )
    }
    graph.ingest(capture)

    rows = graph.run("transfers/files", suspects=["192.168.0.114"])

    assert {r["name"] for r in rows if r["protocol"] == "ftp"} == names


def test_cleartext_logins_are_listed_with_their_session(graph: Graph) -> None:
    capture = PCAPS / "telnet-login-openbsd.pcap"
    graph.ingest(capture)

    rows = graph.run("remote_access/credentials")

    assert {(r["protocol"], r["client"], r["server"]) for r in rows} == {
        ("telnet", "192.168.0.2", "192.168.0.1")
    }
    assert all(r["username"] for r in rows)


def test_dnp3_cold_restart_is_a_state_change_mapped_to_t0816(graph: Graph) -> None:
    capture = PCAPS / "dnp3-cold-restart.pcap"
    codes = {
        int(c) for (c,) in tshark_fields(capture, "dnp3.al.func == 13", "dnp3.al.func")
    }
    graph.ingest(capture)

    rows = graph.run("ics_commands/state_changes")

    assert codes == {13}
    assert {(r["function_code"], r["command_kind"]) for r in rows} == {(13, "restart")}
    assert all("T0816" in r["techniques"] for r in rows)


def test_host_context_peers_and_protocol_hierarchy_agree_with_tshark(
    graph: Graph,
) -> None:
    capture = PCAPS / "ftp-retr-mp3.pcap"
    suspect = "192.168.0.114"
    tables = run_tables(capture)
    peers = {
        c.b_ip if c.a_ip == suspect else c.a_ip
        for c in tables.tcp + tables.udp
        if suspect in (c.a_ip, c.b_ip)
    }
    graph.ingest(capture)

    profile = graph.run("context/host_profile", suspect=suspect)
    peer_rows = graph.run("context/peers", suspect=suspect)
    hierarchy = graph.run("conversations/protocol_hierarchy")

    assert {r["peer"] for r in peer_rows} == peers
    assert profile[0]["peers"] == len(peers)
    assert sum(r["sessions"] for r in hierarchy) == len(tables.tcp) + len(tables.udp)
    assert sum(r["byte_share"] for r in hierarchy) == pytest.approx(1.0, abs=1e-3)


def test_an_internet_address_seen_in_two_cases_is_tied(
    graph: Graph, other_case: str
) -> None:
    capture = PCAPS / "http-pdf-download.pcap"
    other = other_case
    for case in (graph.case, other):
        graph.ingest(capture, case)

    rows = graph.run("correlation/same_external", other=other)

    assert [(r["address"], r["other_case"]) for r in rows] == [
        ("37.187.126.138", other)
    ]
    assert rows[0]["talked_to_here"] == ["192.168.98.125"]
