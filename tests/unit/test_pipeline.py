"""The pipeline: batches, hooks, skipped frames and strict mode."""

from __future__ import annotations

import logging
import struct
from collections.abc import Sequence
from pathlib import Path

import pytest

from icsgraph.errors import CaptureError
from icsgraph.ingest.extraction import ExtractionStage, Found
from icsgraph.ingest.pipeline import DRAIN_EVERY, ingest_capture
from icsgraph.ingest.records import (
    Assignment,
    CaptureSummary,
    Frame,
    HostRecord,
    MacRecord,
    SessionRecord,
)

BUILT = Path(__file__).resolve().parents[1] / "data" / "linktype-ethernet.pcap"


class ListSink:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.sessions: list[SessionRecord] = []
        self.hosts: list[HostRecord] = []
        self.macs: list[MacRecord] = []

    def start_capture(self, sha256: str, file_name: str) -> None:
        self.calls.append(("start", 0))

    def write_sessions(self, rows: Sequence[SessionRecord]) -> None:
        self.calls.append(("sessions", len(rows)))
        self.sessions += rows

    def write_hosts(self, rows: Sequence[HostRecord]) -> None:
        self.calls.append(("hosts", len(rows)))
        self.hosts += rows

    def write_macs(self, rows: Sequence[MacRecord]) -> None:
        self.calls.append(("macs", len(rows)))
        self.macs += rows

    def finish_capture(self, summary: CaptureSummary) -> None:
        self.calls.append(("finish", summary.packets))


def pcap(path: Path, link_type: int, frames: list[bytes]) -> Path:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link_type)
    for number, data in enumerate(frames):
        out += struct.pack("<IIII", 100 + number, 0, len(data), len(data)) + data
    path.write_bytes(out)
    return path


def test_order_of_calls_and_batches() -> None:
    sink = ListSink()

    summary = ingest_capture(BUILT, sink, batch_size=2)

    kinds = [kind for kind, _ in sink.calls]
    assert kinds[0] == "start"
    assert kinds[-1] == "finish"
    assert kinds.index("hosts") > max(i for i, k in enumerate(kinds) if k == "sessions")
    assert all(n <= 2 for kind, n in sink.calls if kind in ("sessions", "hosts"))
    assert summary.packets == sink.calls[-1][1] == 13
    assert len({(s.transport, s.index) for s in sink.sessions}) == 6


def test_hooks_see_every_frame_with_its_session() -> None:
    seen: list[tuple[int, Assignment | None]] = []

    def hook(frame: Frame, assignment: Assignment | None) -> None:
        seen.append((frame.number, assignment))

    ingest_capture(BUILT, ListSink(), frame_hooks=[hook])

    assert [n for n, _ in seen] == list(range(1, 14))
    first = seen[0][1]
    assert first is not None
    assert (first.transport, first.index, first.direction) == ("tcp", 0, "out")
    assert seen[9][1] is None  # the ICMP error


def test_unknown_link_type_is_counted_and_warned_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = pcap(tmp_path / "odd.pcap", 147, [b"\x00" * 40, b"\x01" * 50])

    with caplog.at_level(logging.WARNING, logger="icsgraph.ingest.pipeline"):
        summary = ingest_capture(path, ListSink())

    assert summary.skipped == {"unknown link type 147": (2, 90)}
    assert summary.packets == 2
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1


def test_strict_stops_at_the_first_bad_frame(tmp_path: Path) -> None:
    path = pcap(tmp_path / "bad.pcap", 1, [b"\x00" * 10])

    with pytest.raises(CaptureError, match="frame 1: truncated ethernet header"):
        ingest_capture(path, ListSink(), strict=True)


def dcp_identify_response(station: bytes) -> bytes:
    name_block = struct.pack("!BBHH", 2, 2, len(station) + 2, 0) + station
    dcp = struct.pack("!HBBIHH", 0xFEFF, 5, 1, 7, 0, len(name_block)) + name_block
    return bytes.fromhex("0e8c00000002000e8c0000018892") + dcp


def test_layer2_artifacts_are_written_as_batches_fill(tmp_path: Path) -> None:
    frames = [dcp_identify_response(b"plc-%d" % n) for n in range(2 * DRAIN_EVERY)]
    path = pcap(tmp_path / "dcp.pcap", 1, frames)
    seen: list[int] = []
    writes: list[tuple[int, int]] = []

    class ArtifactSink(ListSink):
        def write_artifacts(self, rows: Sequence[Found]) -> None:
            writes.append((len(seen), len(rows)))

    ingest_capture(
        path,
        ArtifactSink(),
        batch_size=100,
        frame_hooks=[lambda frame, _: seen.append(frame.number)],
        extraction=ExtractionStage(),
    )

    assert sum(rows for _, rows in writes) == len(frames)
    assert writes[0][0] == DRAIN_EVERY  # written at the first drain, not the end
