"""The header pipeline counts what tshark 4.0 counts, on every shared capture.

For each capture in ../shared/pcaps: TCP sessions (distinct indexes) equal
tshark's ``conv,tcp`` rows, UDP sessions its ``conv,udp`` rows, and the set
of host addresses its ``endpoints,ip`` and ``endpoints,ipv6``. tshark runs in
the test, on the same file. Per conversation, the packet counts match too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from icsgraph.errors import CaptureError
from icsgraph.ingest.pipeline import ingest_capture
from icsgraph.ingest.records import (
    CaptureSummary,
    HostRecord,
    MacRecord,
    SessionRecord,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tshark_oracle import run_tables, tshark_available

PCAPS = Path(__file__).resolve().parents[2] / ".." / "shared" / "pcaps"
BUILT = Path(__file__).resolve().parents[1] / "data"
SHARED = sorted(
    p for p in PCAPS.resolve().glob("*.pcap*") if p.suffix not in (".tsv", ".md")
)
# The shared corpus is all Ethernet/SLL; these add the other link types,
# tunnels, ICMP errors and a reused 4-tuple (build_linktype_captures.py).
CAPTURES = SHARED + sorted(BUILT.glob("linktype-*.pcap"))
# Captures whose counts differ from tshark's, with the reason. Keep it short.
KNOWN_DIFFERENCES: dict[str, str] = {}

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not tshark_available(), reason="tshark is not installed"),
]


class MemorySink:
    """Keeps every record it is given, and the order of the calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.sessions: list[SessionRecord] = []
        self.hosts: list[HostRecord] = []
        self.macs: list[MacRecord] = []
        self.summary: CaptureSummary | None = None

    def start_capture(self, sha256: str, file_name: str) -> None:
        self.calls.append("start")

    def write_sessions(self, rows: Sequence[SessionRecord]) -> None:
        self.calls.append("sessions")
        self.sessions.extend(rows)

    def write_hosts(self, rows: Sequence[HostRecord]) -> None:
        self.calls.append("hosts")
        self.hosts.extend(rows)

    def write_macs(self, rows: Sequence[MacRecord]) -> None:
        self.calls.append("macs")
        self.macs.extend(rows)

    def finish_capture(self, summary: CaptureSummary) -> None:
        self.calls.append("finish")
        self.summary = summary


def test_corpus_is_there() -> None:
    assert len(SHARED) >= 30
    assert len(CAPTURES) >= 35


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_sessions_and_hosts_match_tshark(capture: Path) -> None:
    if capture.name in KNOWN_DIFFERENCES:
        pytest.skip(KNOWN_DIFFERENCES[capture.name])
    sink = MemorySink()

    ingest_capture(capture, sink, batch_size=50)
    expected = run_tables(capture)

    tcp = {s.index for s in sink.sessions if s.transport == "tcp"}
    udp = {s.index for s in sink.sessions if s.transport == "udp"}
    assert len(tcp) == len(expected.tcp)
    assert len(udp) == len(expected.udp)
    assert {h.ip for h in sink.hosts} == expected.hosts


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_session_endpoints_and_packets_match_tshark(capture: Path) -> None:
    sink = MemorySink()

    ingest_capture(capture, sink)
    expected = run_tables(capture)

    ours = _conversations(sink.sessions)
    theirs: dict[tuple[str, frozenset[tuple[str, int]]], int] = {}
    for transport, rows in (("tcp", expected.tcp), ("udp", expected.udp)):
        for row in rows:
            ends = frozenset({(row.a_ip, row.a_port), (row.b_ip, row.b_port)})
            packets = row.frames_a_to_b + row.frames_b_to_a
            theirs[(transport, ends)] = theirs.get((transport, ends), 0) + packets
    assert ours == theirs


def _conversations(
    sessions: list[SessionRecord],
) -> dict[tuple[str, frozenset[tuple[str, int]]], int]:
    totals: dict[tuple[str, frozenset[tuple[str, int]]], int] = {}
    for s in sessions:
        key = (s.transport, frozenset({(s.src_ip, s.src_port), (s.dst_ip, s.dst_port)}))
        totals[key] = totals.get(key, 0) + s.packets_out + s.packets_in
    return totals


def test_cut_short_capture_keeps_every_complete_packet() -> None:
    sink = MemorySink()

    summary = ingest_capture(PCAPS / "melsec-cut-short.pcap", sink)

    assert summary.truncated
    assert summary.packets == 2041
    assert summary.skipped["cut short"][0] == 1
    assert sink.calls[0] == "start"
    assert sink.calls[-1] == "finish"


def test_not_a_capture_and_missing_file_raise(tmp_path: Path) -> None:
    text = tmp_path / "notes.pcap"
    text.write_text("this is not a capture\n")

    with pytest.raises(CaptureError, match="not pcap/pcapng"):
        ingest_capture(text, MemorySink())
    with pytest.raises(CaptureError, match="no such file"):
        ingest_capture(tmp_path / "missing.pcap", MemorySink())
