"""The rows the writer sends to Neo4j, built from records without a database."""

from __future__ import annotations

from icsgraph.graph.keys import host_key, service_key, session_key
from icsgraph.graph.writer import host_mac_rows, session_row
from icsgraph.ingest.records import Evidence, HostRecord, MacRecord, SessionRecord

EV = Evidence("ab" * 32, 3, 9, 100.0, 105.5)


def _session(state: str, segment: int = 0) -> SessionRecord:
    return SessionRecord(
        transport="tcp",
        index=7,
        src_ip="10.0.0.9",
        src_port=50000,
        dst_ip="10.0.0.3",
        dst_port=502,
        protocol="modbus",
        protocol_source="payload",
        packets_out=4,
        packets_in=3,
        bytes_out=300,
        bytes_in=200,
        tcp_flags=("ACK", "SYN"),
        state=state,
        evidence=EV,
        segment=segment,
    )


def test_session_keys_are_deterministic_and_case_scoped() -> None:
    row = session_row("plant", _session("closed"))

    assert row["key"] == session_key("plant", "ab" * 32, "tcp", 7)
    assert row["key"] == "plant|abababababab|tcp|7"
    assert row["key"] != session_row("other", _session("closed"))["key"]
    assert row["src_key"] == host_key("plant", "10.0.0.9")
    assert row["evidence"] == {
        "case": "plant",
        "capture": "ab" * 32,
        "first_frame": 3,
        "last_frame": 9,
        "first_seen": 100.0,
        "last_seen": 105.5,
    }


def test_only_a_port_that_answered_becomes_a_service() -> None:
    served = session_row("c", _session("established"))["service_key"]
    rejected = session_row("c", _session("rejected"))["service_key"]
    unanswered = session_row("c", _session("unanswered"))["service_key"]

    assert served == service_key("c", "10.0.0.3", "tcp", 502) == "c|10.0.0.3|tcp/502"
    assert rejected is None
    assert unanswered is None


def test_state_rank_orders_segments() -> None:
    ranks = [
        session_row("c", _session(s))["state_rank"]
        for s in ("unanswered", "rejected", "answered", "established", "closed")
    ]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == 5


def _host(ip: str, *macs: str) -> HostRecord:
    return HostRecord(ip=ip, packets=1, bytes=60, evidence=EV, macs=macs)


def test_a_mac_sending_for_many_addresses_is_a_router_not_their_mac() -> None:
    gateway = "00:11:22:33:44:55"
    hosts = [_host(f"8.8.8.{i}", gateway) for i in range(5)]
    hosts.append(_host("10.0.0.9", "00:90:e8:27:8c:37"))
    arp = MacRecord(address=gateway, evidence=EV, ips=("10.0.0.1",), protocols=("arp",))
    hosts.append(_host("10.0.0.1", gateway))

    rows = host_mac_rows("c", hosts, [arp])

    pairs = {(r["host_key"], r["mac"], r["source"]) for r in rows}
    assert pairs == {
        ("c|10.0.0.9", "00:90:e8:27:8c:37", "ethernet"),
        ("c|10.0.0.1", gateway, "arp"),
    }
