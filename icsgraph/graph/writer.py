"""The one module that writes captures into Neo4j.

Every batch is written the same way: ``UNWIND $rows`` + ``MERGE`` on a
deterministic key (see ``keys``), inside a transaction function that the
driver may retry, so each function is idempotent. Counters that span captures
(host totals, TALKS_TO) are recomputed from per-capture facts after a capture
is loaded rather than incremented, which is what makes an interrupted ingest
followed by a re-run equal to one clean run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, LiteralString

from icsgraph.graph.artifacts import (
    OUI_CONFIDENCE,
    artifact_rows,
    best_identity,
    stream_rows,
)
from icsgraph.graph.keys import host_key, service_key, session_key
from icsgraph.graph.statements import statement, statements
from icsgraph.ingest.extraction import Found
from icsgraph.ingest.oui import vendor_for
from icsgraph.ingest.records import (
    ArpSummary,
    CaptureSummary,
    Evidence,
    HostRecord,
    MacRecord,
    SessionRecord,
)

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

log = logging.getLogger(__name__)

STATE_RANK = {"unanswered": 0, "rejected": 1, "answered": 2, "established": 3}
STATE_RANK["closed"] = 4
SERVED_STATES = frozenset({"answered", "established", "closed"})
ROUTER_MIN_ADDRESSES = 4  # an Ethernet source sending for this many IPs routes
ARP_PROPS = (
    "arp_targets", "arp_over_cap", "arp_senders", "arp_networks",
    "arp_seconds", "arp_counts", "arp_first_frames", "arp_last_frames",
)  # fmt: skip


def evidence_props(case: str, ev: Evidence) -> dict[str, Any]:
    return {
        "case": case,
        "capture": ev.capture,
        "first_frame": ev.first_frame,
        "last_frame": ev.last_frame,
        "first_seen": ev.first_seen,
        "last_seen": ev.last_seen,
    }


def session_row(case: str, rec: SessionRecord) -> dict[str, Any]:
    """The parameters of one session for ``merge_sessions``."""
    ev = rec.evidence
    key = session_key(case, ev.capture, rec.transport, rec.index)
    served = rec.state in SERVED_STATES
    return {
        "key": key,
        "case": case,
        "segment": rec.segment,
        "src_key": host_key(case, rec.src_ip),
        "dst_key": host_key(case, rec.dst_ip),
        "src_ip": rec.src_ip,
        "dst_ip": rec.dst_ip,
        "dst_port": rec.dst_port,
        "service_key": (
            service_key(case, rec.dst_ip, rec.transport, rec.dst_port)
            if served
            else None
        ),
        "props": {
            "case": case,
            "capture": ev.capture,
            "transport": rec.transport,
            "index": rec.index,
            "src_ip": rec.src_ip,
            "src_port": rec.src_port,
            "dst_ip": rec.dst_ip,
            "dst_port": rec.dst_port,
            "protocol": rec.protocol,
            "protocol_source": rec.protocol_source,
        },
        "packets_out": rec.packets_out,
        "packets_in": rec.packets_in,
        "bytes_out": rec.bytes_out,
        "bytes_in": rec.bytes_in,
        "tcp_flags": list(rec.tcp_flags),
        "state": rec.state,
        "state_rank": STATE_RANK.get(rec.state, -1),
        "first_seen": ev.first_seen,
        "last_seen": ev.last_seen,
        "first_frame": ev.first_frame,
        "last_frame": ev.last_frame,
        "evidence": evidence_props(case, ev),
    }


def host_row(case: str, rec: HostRecord) -> dict[str, Any]:
    return {
        "key": host_key(case, rec.ip),
        "case": case,
        "ip": rec.ip,
        "packets": rec.packets,
        "bytes": rec.bytes,
        "evidence": evidence_props(case, rec.evidence),
    }


def host_mac_rows(
    case: str, hosts: Sequence[HostRecord], macs: Sequence[MacRecord]
) -> list[dict[str, Any]]:
    """HAS_MAC rows: ARP claims always; Ethernet sources unless they route.

    A MAC that sent packets for many addresses is a router or gateway: tying
    every remote address to it would make them all look like one device.
    """
    claimed = {(ip, m.address) for m in macs if "arp" in m.protocols for ip in m.ips}
    senders: dict[str, int] = {}
    for host in hosts:
        for mac in host.macs:
            senders[mac] = senders.get(mac, 0) + 1
    rows = []
    for host in hosts:
        for mac in host.macs:
            arp = (host.ip, mac) in claimed
            if not arp and senders[mac] >= ROUTER_MIN_ADDRESSES:
                continue
            rows.append(_host_mac_row(case, host, mac, "arp" if arp else "ethernet"))
    return rows


def _host_mac_row(case: str, host: HostRecord, mac: str, source: str) -> dict[str, Any]:
    return {
        "host_key": host_key(case, host.ip),
        "mac": mac,
        "vendor": vendor_for(mac),
        "source": source,
        "evidence": evidence_props(case, host.evidence),
    }


def mac_row(case: str, rec: MacRecord, ip_senders: set[str]) -> dict[str, Any]:
    """A MAC's row; ``ip_senders`` are the MACs that sent IP packets.

    A device is layer-2 only when it never sent an IP packet itself: an
    address it merely claims (ARP, LLDP or DCP) does not make it an IP host.
    """
    return {
        "address": rec.address,
        "case": case,
        "vendor": vendor_for(rec.address),
        "ips": list(rec.ips),
        "protocols": list(rec.protocols),
        "names": list(rec.names),
        "layer2_only": rec.address not in ip_senders,
        "evidence": evidence_props(case, rec.evidence),
        "arp": arp_props(rec.arp),
    }


def arp_props(arp: ArpSummary | None) -> dict[str, Any]:
    """The ARP request summary as SAW properties; all null without requests.

    Entry ``i`` of the lists: ``arp_counts[i]`` addresses of the /16
    ``arp_networks[i]`` first asked for in the second ``arp_seconds[i]``.
    """
    if arp is None:
        return dict.fromkeys(ARP_PROPS)
    values = (
        arp.targets, arp.over_cap, arp.senders, arp.networks, arp.seconds,
        arp.counts, arp.first_frames, arp.last_frames,
    )  # fmt: skip
    return {
        name: list(v) if isinstance(v, tuple) else v
        for name, v in zip(ARP_PROPS, values, strict=True)
    }


def _run_rows(tx: ManagedTransaction, query: LiteralString, rows: list[Any]) -> None:
    tx.run(query, rows=rows).consume()


def _count_rows(tx: ManagedTransaction, query: LiteralString, rows: list[Any]) -> int:
    record = tx.run(query, rows=rows).single()
    return int(record["written"]) if record else 0


def _read_claims(
    tx: ManagedTransaction, case: str, sha256: str, oui: float
) -> list[tuple[str, list[dict[str, Any]]]]:
    result = tx.run(
        statement("identity_claims"), case=case, sha256=sha256, oui_confidence=oui
    )
    return [(r["host"], r["claims"]) for r in result]


def _run(tx: ManagedTransaction, query: LiteralString, /, **params: Any) -> None:
    tx.run(query, params).consume()


class GraphSink:
    """Receives one capture's records from the pipeline and writes them.

    Args:
        driver: an open driver (see ``connect.open_driver``).
        database: the Neo4j database name.
        case: the investigation the capture belongs to.
        batch_size: rows per transaction.
        path: where the capture file is, kept so `follow` can re-read it.
    """

    def __init__(
        self,
        driver: Driver,
        database: str,
        case: str,
        batch_size: int = 2000,
        path: str | None = None,
    ) -> None:
        self._driver = driver
        self._path = path
        self._database = database
        self._case = case
        self._batch_size = batch_size
        self._sha256 = ""
        self._hosts: list[HostRecord] = []
        self.sessions_written = 0
        self.artifacts_written = 0

    def _write(self, query: LiteralString, rows: list[dict[str, Any]]) -> None:
        with self._driver.session(database=self._database) as session:
            for start in range(0, len(rows), self._batch_size):
                batch = rows[start : start + self._batch_size]
                session.execute_write(_run_rows, query, batch)
                log.debug("wrote %d rows", len(batch))

    def _execute(self, query: LiteralString, **params: Any) -> None:
        with self._driver.session(database=self._database) as session:
            session.execute_write(_run, query, **params)

    def start_capture(self, sha256: str, file_name: str) -> None:
        self._sha256 = sha256
        self._execute(
            statement("start_capture"),
            case=self._case,
            sha256=sha256,
            file_name=file_name,
            path=self._path,
        )

    def write_sessions(self, rows: Sequence[SessionRecord]) -> None:
        params = [session_row(self._case, r) for r in rows]
        self._write(statement("merge_sessions"), params)
        self.sessions_written += len(params)

    def write_hosts(self, rows: Sequence[HostRecord]) -> None:
        self._hosts.extend(rows)
        self._write(statement("merge_hosts"), [host_row(self._case, r) for r in rows])

    def write_macs(self, rows: Sequence[MacRecord]) -> None:
        senders = {mac for h in self._hosts for mac in h.macs}
        self._write(
            statement("merge_macs"), [mac_row(self._case, r, senders) for r in rows]
        )
        links = host_mac_rows(self._case, self._hosts, rows)
        self._write(statement("merge_host_macs"), links)

    def write_artifacts(self, rows: Sequence[Found]) -> None:
        in_sessions, layer2 = artifact_rows(self._case, self._sha256, rows)
        written = self._write_counted(statement("merge_artifacts"), in_sessions)
        written += self._write_counted(statement("merge_layer2_artifacts"), layer2)
        missing = len(in_sessions) + len(layer2) - written
        if missing:
            log.warning("%d artifacts not written: their session is missing", missing)
        self.artifacts_written += written
        streams = stream_rows(self._case, self._sha256, rows)
        self._write(statement("mark_session_streams"), streams)

    def _write_counted(self, query: LiteralString, rows: list[dict[str, Any]]) -> int:
        written = 0
        with self._driver.session(database=self._database) as session:
            for start in range(0, len(rows), self._batch_size):
                batch = rows[start : start + self._batch_size]
                written += session.execute_write(_count_rows, query, batch)
        return written

    def _roll_up_identity(self) -> None:
        """Give each host of the capture the best of what identifies it."""
        with self._driver.session(database=self._database) as session:
            claims = session.execute_read(
                _read_claims, self._case, self._sha256, OUI_CONFIDENCE
            )
        rows = [{"host": host, "props": best_identity(c)} for host, c in claims]
        self._write(statement("set_identity"), [r for r in rows if r["props"]])

    def finish_capture(self, summary: CaptureSummary) -> None:
        """Recompute the case's totals, then mark the capture complete."""
        for name in ("total_hosts", "total_talks_to"):
            self._execute(statement(name), case=self._case, sha256=self._sha256)
        self._roll_up_identity()
        skipped = summary.skipped
        self._execute(
            statement("finish_capture"),
            case=self._case,
            sha256=summary.sha256,
            file_name=summary.file_name,
            packets=summary.packets,
            bytes=summary.bytes,
            first_seen=summary.first_seen,
            last_seen=summary.last_seen,
            link_types=list(summary.link_types),
            truncated=summary.truncated,
            skipped_packets=sum(p for p, _ in skipped.values()),
            skipped_bytes=sum(b for _, b in skipped.values()),
            skipped_reasons=json.dumps(skipped, sort_keys=True),
        )


def create_schema(driver: Driver, database: str) -> None:
    """Constraints and indexes, idempotently, before any write."""
    with driver.session(database=database) as session:
        for query in statements("schema"):
            session.run(query).consume()
