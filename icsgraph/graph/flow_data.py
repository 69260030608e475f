"""The flow graph's events, re-read from the capture files of a case.

This module reads captures, never the graph: the command hands it the
`CaptureFile`s that `map_data.read_captures` found. A path is used only when
the file there still has the sha256 the case ingested; otherwise the capture
moved or changed and the flow graph would not be its evidence.

Every frame goes through the pipeline's own reader, decoder and session
tracker, so session numbers (and hence session keys) are the ones the graph
holds. A frame is kept when the host (and the peer, if given) is its source
or destination: IP addresses (also those of outer tunnel layers) or, for
ARP, the sender and target protocol addresses. A frame carrying payload is
labelled with its session's application protocol; handshakes, bare ACKs and
frames outside any session are labelled with their transport.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from icsgraph.errors import CaptureError
from icsgraph.graph.keys import session_key
from icsgraph.ingest.link import LINK_PARSERS, LinkError
from icsgraph.ingest.pipeline import tracked_frames
from icsgraph.ingest.reader import open_capture
from icsgraph.ingest.records import Assignment, Frame, RawPacket, SessionRecord
from icsgraph.ingest.sessions import FLAG_NAMES, SessionTracker
from icsgraph.viz.model import FlowEvent

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 2000
ETH_ARP = 0x0806
IP_PROTOCOLS = {1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 47: "gre", 58: "icmpv6"}
IP_PROTOCOLS |= {50: "esp", 51: "ah", 89: "ospf", 132: "sctp"}


@dataclass(frozen=True, slots=True)
class CaptureFile:
    """A capture of the case: its sha256 and the paths it was ingested from."""

    sha256: str
    file_name: str
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Flow:
    """The events kept (at most ``limit``) and how many matched in all."""

    events: tuple[FlowEvent, ...]
    matched: int
    limit: int

    @property
    def capped(self) -> bool:
        return self.matched > len(self.events)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A kept frame waiting for its session's protocol to be known."""

    frame: Frame
    summary: str
    endpoints: tuple[str, str]
    assignment: Assignment | None


def normal_ip(value: str) -> str:
    """The canonical text of an address, as the ingest stores it."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise CaptureError(f"{value!r} is not an IP address") from None


def locate(capture: CaptureFile) -> Path:
    """The first path of a capture whose file still has its sha256."""
    for text in capture.paths:
        path = Path(text)
        if not path.is_file():
            continue
        if open_capture(path).sha256 == capture.sha256:
            return path
        log.warning("%s: the file changed since it was ingested", path)
    tried = ", ".join(capture.paths) or "no path recorded"
    raise CaptureError(
        f"capture {capture.file_name} ({capture.sha256[:12]}) moved or changed "
        f"since it was ingested ({tried}); ingest it again from where it is now"
    )


def tcp_summary(frame: Frame) -> str:
    """Flags as Wireshark lists them ("SYN, ACK"), then ``Len=`` if any data."""
    flags = ", ".join(
        n for bit, n in enumerate(FLAG_NAMES) if frame.tcp_flags >> bit & 1
    )
    size = len(frame.payload)
    return f"{flags} Len={size}" if size else flags or "<none>"


def arp_endpoints(raw: RawPacket) -> tuple[str, str, str] | None:
    """(sender IP, target IP, summary) of an ARP request or reply."""
    parser = LINK_PARSERS.get(raw.link_type)
    try:
        link = parser(raw.data) if parser else None
        if link is None or link.ethertype != ETH_ARP:
            return None
        at = link.offset
        ptype, hlen, plen, op = struct.unpack_from("!HBBH", raw.data, at + 2)
        if (ptype, hlen, plen) != (0x0800, 6, 4) or len(raw.data) < at + 28:
            return None
    except (LinkError, struct.error, IndexError):
        return None
    sender = socket.inet_ntoa(raw.data[at + 14 : at + 18])
    target = socket.inet_ntoa(raw.data[at + 24 : at + 28])
    mac = raw.data[at + 8 : at + 14].hex(":")
    if op == 1:
        return sender, target, f"Who has {target}? Tell {sender}"
    return sender, target, f"{sender} is at {mac}" if op == 2 else f"ARP op {op}"


def _summary(frame: Frame) -> str:
    if frame.ip_proto == 6 and frame.src_port is not None:
        return tcp_summary(frame)
    if frame.ip_proto == 17 and frame.src_port is not None:
        return f"Len={len(frame.payload)}"
    name = IP_PROTOCOLS.get(frame.ip_proto or -1, f"ip proto {frame.ip_proto}")
    return (
        name.upper() if frame.problem is None else f"{name.upper()} ({frame.problem})"
    )


def _matches(addresses: set[str], host: str, peer: str | None) -> bool:
    return host in addresses and (peer is None or peer in addresses)


def _select(
    raw: RawPacket, frame: Frame, host: str, peer: str | None
) -> tuple[tuple[str, str], str] | None:
    """The frame's (src, dst) and summary when it concerns host (and peer)."""
    if frame.src_ip is not None and frame.dst_ip is not None:
        addresses = {frame.src_ip, frame.dst_ip, *frame.outer_ips}
        if _matches(addresses, host, peer):
            return (frame.src_ip, frame.dst_ip), _summary(frame)
        return None
    arp = arp_endpoints(raw) if frame.l2 is not None else None
    if arp is not None and _matches({arp[0], arp[1]}, host, peer):
        return (arp[0], arp[1]), arp[2]
    return None


def _scan(
    path: Path, sha256: str, host: str, peer: str | None
) -> Iterator[_Pending | SessionRecord]:
    """Kept frames in capture order, and every session record the tracker emits."""
    tracker = SessionTracker(sha256)
    for raw, frame, assignment in tracked_frames(open_capture(path), tracker):
        chosen = _select(raw, frame, host, peer)
        if chosen is not None:
            yield _Pending(frame, chosen[1], chosen[0], assignment)
        yield from tracker.drain()
    yield from tracker.finish()


def _event(
    item: _Pending, capture: str, case: str, protocols: dict[tuple[str, int], str]
) -> FlowEvent:
    frame, assignment = item.frame, item.assignment
    transport = IP_PROTOCOLS.get(frame.ip_proto or -1, "arp" if frame.l2 else "ip")
    protocol, key = transport, None
    if assignment is not None:
        key = session_key(case, capture, assignment.transport, assignment.index)
        named = protocols.get((assignment.transport, assignment.index), "unknown")
        if frame.payload and named != "unknown":
            protocol = named
    return FlowEvent(
        time=frame.time,
        src=item.endpoints[0],
        dst=item.endpoints[1],
        protocol=protocol,
        summary=item.summary,
        frame=frame.number,
        src_port=frame.src_port,
        dst_port=frame.dst_port,
        capture=capture,
        session=key,
    )


def capture_events(
    capture: CaptureFile, case: str, host: str, peer: str | None, limit: int
) -> tuple[list[FlowEvent], int]:
    """Up to ``limit`` events of one capture, and how many frames matched."""
    path = locate(capture)
    kept: list[_Pending] = []
    protocols: dict[tuple[str, int], str] = {}
    matched = 0
    for item in _scan(path, capture.sha256, host, peer):
        if isinstance(item, SessionRecord):
            protocols[(item.transport, item.index)] = item.protocol
            continue
        matched += 1
        if len(kept) < limit:
            kept.append(item)
    events = [_event(p, capture.sha256, case, protocols) for p in kept]
    return events, matched


def read_flow(
    captures: Sequence[CaptureFile],
    case: str,
    host: str,
    peer: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Flow:
    """The frames to and from ``host`` (and ``peer``) in the case's captures.

    Raises:
        CaptureError: a capture moved or changed, or an address is not one.
    """
    if limit < 1:
        raise CaptureError(f"--limit must be at least 1, not {limit}")
    host, peer = normal_ip(host), normal_ip(peer) if peer else None
    events: list[FlowEvent] = []
    matched = 0
    for capture in captures:
        found, count = capture_events(capture, case, host, peer, limit)
        events.extend(found)
        matched += count
    events.sort(key=lambda e: (e.time, e.capture, e.frame))
    log.info("flow of %s: %d of %d frames kept", host, min(matched, limit), matched)
    return Flow(tuple(events[:limit]), matched, limit)
