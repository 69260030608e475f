"""One capture through the header stages: read → decode → track → load.

`ingest_capture` streams: packets are read one by one, sessions reach the
sink in batches as the tracker evicts them, then the hosts and MACs (held
per address, so bounded by the capture's address count), then the summary.

A frame whose decoding stopped early is counted in ``CaptureSummary.skipped``
under its problem (packets, wire bytes); the layers decoded before the
problem are still used (an IP header before a cut-short TCP header still
names two hosts, as it does for tshark). A frame of an unknown link type
has no decoded layer at all. ``strict=True`` raises at the first such frame.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from icsgraph.errors import CaptureError
from icsgraph.ingest.decode import decode
from icsgraph.ingest.extraction import ExtractionStage, Found
from icsgraph.ingest.hosts import HostTracker
from icsgraph.ingest.reader import open_capture
from icsgraph.ingest.records import (
    Assignment,
    CaptureSummary,
    Frame,
    HostRecord,
    MacRecord,
    RawPacket,
    SessionRecord,
)
from icsgraph.ingest.sessions import SessionTracker

log = logging.getLogger(__name__)

FrameHook = Callable[[Frame, Assignment | None], None]
DRAIN_EVERY = 1024  # packets between collecting evicted sessions
T = TypeVar("T")


class Sink(Protocol):
    """Where the records of one capture go (the Neo4j writer, or a test)."""

    def start_capture(self, sha256: str, file_name: str) -> None: ...

    def write_sessions(self, rows: Sequence[SessionRecord]) -> None: ...

    def write_hosts(self, rows: Sequence[HostRecord]) -> None: ...

    def write_macs(self, rows: Sequence[MacRecord]) -> None: ...

    def write_artifacts(self, rows: Sequence[Found]) -> None: ...

    def finish_capture(self, summary: CaptureSummary) -> None: ...


class _Loader:
    """Hands sessions to the sink in batches, and artifacts after their session.

    An artifact's session is always in a batch already written or about to
    be: artifacts wait here until the batch holding their session is written.
    Layer-2 artifacts have no session and go out as soon as a batch is full.
    """

    def __init__(self, sink: Sink, batch_size: int) -> None:
        self._sink = sink
        self._size = batch_size
        self._sessions: list[SessionRecord] = []
        self._found: dict[tuple[str, int], list[Found]] = {}
        self._layer2: list[Found] = []

    def add(self, sessions: Sequence[SessionRecord], found: Sequence[Found]) -> None:
        self._sessions.extend(sessions)
        for item in found:
            if item.session is None:
                self._layer2.append(item)
            else:
                self._found.setdefault(item.session, []).append(item)
        if len(self._layer2) >= self._size:
            self._sink.write_artifacts(self._layer2)
            self._layer2 = []
        while len(self._sessions) >= self._size:
            self._write(self._sessions[: self._size])
            self._sessions = self._sessions[self._size :]

    def _write(self, batch: list[SessionRecord]) -> None:
        self._sink.write_sessions(batch)
        found = [
            item for r in batch for item in self._found.pop((r.transport, r.index), [])
        ]
        if found:
            self._sink.write_artifacts(found)

    def close(self) -> None:
        """Write what is left; every session has been written after this."""
        if self._sessions:
            self._write(self._sessions)
        self._sessions = []
        rest = [item for items in self._found.values() for item in items]
        rest += self._layer2
        self._found, self._layer2 = {}, []
        for start in range(0, len(rest), self._size):
            self._sink.write_artifacts(rest[start : start + self._size])


def ingest_capture(
    path: Path,
    sink: Sink,
    *,
    batch_size: int = 5000,
    strict: bool = False,
    frame_hooks: Sequence[FrameHook] = (),
    extraction: ExtractionStage | None = None,
) -> CaptureSummary:
    """Stream one capture into ``sink``; return what was read and skipped.

    Raises:
        CaptureError: the file is not a readable capture, or ``strict`` and a
            frame failed to decode.
    """
    reader = open_capture(path)
    log.info("ingest of %s (sha256 %s) started", reader.file_name, reader.sha256)
    sink.start_capture(reader.sha256, reader.file_name)
    sessions = SessionTracker(reader.sha256)
    hosts = HostTracker(reader.sha256)
    problems: dict[str, list[int]] = {}
    loader = _Loader(sink, batch_size)
    hooks = list(frame_hooks)
    if extraction is not None:
        hooks.append(extraction.on_frame)
    for raw, frame, assignment in tracked_frames(reader, sessions):
        if frame.problem is not None:
            _count_problem(problems, frame, strict, path)
        hosts.add(frame)
        for hook in hooks:
            hook(frame, assignment)
        if raw.number % DRAIN_EVERY == 0:
            _evict(loader, sessions.drain(), extraction)
    _evict(loader, sessions.finish(), extraction)
    if sessions.forgotten:
        log.warning(
            "%s: %d ended sessions forgotten (a 4-tuple that came back after "
            "that started a new session)",
            reader.file_name,
            sessions.forgotten,
        )
    if extraction is not None:
        loader.add((), extraction.finish())
    loader.close()
    _write_batches(sink.write_hosts, hosts.hosts(), batch_size)
    _write_batches(sink.write_macs, hosts.macs(), batch_size)
    summary = _summarize(reader.summary(), problems)
    sink.finish_capture(summary)
    return summary


def tracked_frames(
    packets: Iterable[RawPacket], tracker: SessionTracker
) -> Iterator[tuple[RawPacket, Frame, Assignment | None]]:
    """Decode every packet and give it the session the tracker assigns.

    The ingest, `follow` and the flow graph all read captures through this,
    so a session's index means the same frames everywhere.
    """
    for raw in packets:
        frame = decode(raw)
        yield raw, frame, tracker.track(frame)


def _count_problem(
    problems: dict[str, list[int]], frame: Frame, strict: bool, path: Path
) -> None:
    reason = frame.problem or "unknown problem"
    if strict:
        raise CaptureError(f"{path}: frame {frame.number}: {reason}")
    counts = problems.setdefault(reason, [0, 0])
    counts[0] += 1
    counts[1] += frame.wire_len


def _evict(
    loader: _Loader,
    evicted: list[SessionRecord],
    extraction: ExtractionStage | None,
) -> None:
    """Sessions the tracker let go, with what extraction found in them."""
    if extraction is None:
        loader.add(evicted, ())
        return
    extraction.on_sessions(evicted)
    loader.add(evicted, extraction.take())


def _write_batches(
    write: Callable[[Sequence[T]], None], rows: Iterable[T], size: int
) -> None:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            write(batch)
            batch = []
    if batch:
        write(batch)


def _summarize(
    summary: CaptureSummary, problems: dict[str, list[int]]
) -> CaptureSummary:
    skipped = dict(summary.skipped)
    for reason, (packets, nbytes) in sorted(problems.items()):
        skipped[reason] = (packets, nbytes)
        log.warning(
            "%s: %d packets (%d bytes) not fully decoded: %s",
            summary.file_name,
            packets,
            nbytes,
            reason,
        )
    log.info(
        "ingest of %s finished: %d packets, %d bytes, link types %s%s",
        summary.file_name,
        summary.packets,
        summary.bytes,
        ", ".join(summary.link_types) or "none",
        ", cut short" if summary.truncated else "",
    )
    return dataclasses.replace(summary, skipped=skipped)
