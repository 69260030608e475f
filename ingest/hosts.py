"""Aggregate the IP addresses and MAC addresses a capture shows.

Hosts are counted the way tshark's ``endpoints,ip`` / ``endpoints,ipv6``
count them: every address of every IP layer (outer tunnel layers included),
one packet for each role it plays in a frame (a frame from an address to
itself counts twice), wire bytes likewise. Addresses quoted inside ICMP
errors are not in a `Frame`, so they are not hosts.

MACs are devices: Ethernet source addresses and the devices layer-2
protocols speak for (ARP sender, LLDP, PROFINET DCP, GOOSE). Group
(broadcast, multicast) and all-zero addresses are not devices. A host's
``macs`` are the source MACs of frames it sent; for routed traffic that is
the router's MAC, and the writer decides what to keep. A MAC's ARP
requests are summed up per second by `ArpTargets` (see ``arp_targets``).
A MAC keeps the first ``NAME_CAP`` names it reports (LLDP system names,
DCP station names, GOOSE control blocks): a flood of LLDP frames with
random names must not grow one MAC, and its graph node, without end.
"""

from __future__ import annotations

from icsgraph.ingest.arp_targets import ArpTargets
from icsgraph.ingest.records import Evidence, Frame, HostRecord, MacRecord

ZERO_MAC = "00:00:00:00:00:00"
NAME_CAP = 32
Flow = tuple[str | None, str | None, str | None, tuple[str, ...]]


class _Span:
    """Counters and first/last sighting: what one flow needs."""

    __slots__ = (
        "bytes", "first_frame", "first_time", "last_frame", "last_time", "packets",
    )  # fmt: skip

    def __init__(self, frame: Frame) -> None:
        self.packets = self.bytes = 0
        self.first_frame = self.last_frame = frame.number
        self.first_time = self.last_time = frame.time

    def see(self, frame: Frame) -> None:
        self.packets += 1
        self.bytes += frame.wire_len
        self.last_frame, self.last_time = frame.number, frame.time

    def add(self, other: _Span, count: bool = True) -> None:
        """Fold another sighting's counters and span into this one."""
        if count:
            self.packets += other.packets
            self.bytes += other.bytes
        if other.first_frame < self.first_frame:
            self.first_frame, self.first_time = other.first_frame, other.first_time
        if other.last_frame > self.last_frame:
            self.last_frame, self.last_time = other.last_frame, other.last_time

    def evidence(self, capture: str) -> Evidence:
        return Evidence(
            capture, self.first_frame, self.last_frame, self.first_time, self.last_time
        )


class _Seen(_Span):
    """A span of one address, with what is known about it."""

    __slots__ = ("names", "peers", "protocols")

    def __init__(self, frame: Frame) -> None:
        super().__init__(frame)
        self.peers: set[str] = set()  # MACs of a host, IPs of a MAC
        self.protocols: set[str] = set()
        self.names: set[str] = set()

    @classmethod
    def empty(cls, like: _Span) -> _Seen:
        """No packets yet, spanning ``like``'s first sighting."""
        seen = cls.__new__(cls)
        seen.packets = seen.bytes = 0
        seen.first_frame = seen.last_frame = like.first_frame
        seen.first_time = seen.last_time = like.first_time
        seen.peers, seen.protocols, seen.names = set(), set(), set()
        return seen


def _merge(into: dict[str, _Seen], key: str, seen: _Span, count: bool = True) -> _Seen:
    target = into.get(key)
    if target is None:
        target = into[key] = _Seen.empty(seen)
    target.add(seen, count)
    return target


def is_device_mac(mac: str | None) -> bool:
    """A unicast, non-zero MAC (the group bit is the first octet's low bit)."""
    return mac is not None and not int(mac[:2], 16) & 1 and mac != ZERO_MAC


class HostTracker:
    """Collect hosts and MACs of one capture, frame by frame.

    Frames are counted per flow (source MAC, source and destination IP,
    tunnel addresses): one dictionary update per frame. The flows are folded
    into hosts and MACs when those are asked for.
    """

    def __init__(self, capture_sha256: str = "") -> None:
        self.capture = capture_sha256
        self._flows: dict[Flow, _Span] = {}  # sets only where an address needs them
        self._l2: dict[str, _Seen] = {}
        self._arp = ArpTargets()

    def add(self, frame: Frame) -> None:
        """Count one decoded frame."""
        key = (frame.src_mac, frame.src_ip, frame.dst_ip, frame.outer_ips)
        flow = self._flows.get(key)
        if flow is None:
            flow = self._flows[key] = _Span(frame)
        flow.see(frame)
        if frame.l2 is not None:
            self._add_l2(frame)

    def _fold_hosts(self) -> dict[str, _Seen]:
        hosts: dict[str, _Seen] = {}
        for (mac, src, dst, outer), flow in self._flows.items():
            if src is not None and dst is not None:
                for address in (src, dst, *outer):
                    _merge(hosts, address, flow)
                if is_device_mac(mac):
                    hosts[src].peers.add(mac or "")
        return hosts

    def _fold_macs(self) -> dict[str, _Seen]:
        macs: dict[str, _Seen] = {}
        for (mac, src, _, _), flow in self._flows.items():
            if is_device_mac(mac):
                seen = _merge(macs, mac or "", flow)
                if src is not None:
                    seen.peers.add(src)
        for mac, info in self._l2.items():
            seen = _merge(macs, mac, info, count=mac not in macs)
            seen.protocols |= info.protocols
            seen.peers |= info.peers
            seen.names |= info.names
        return macs

    def _add_l2(self, frame: Frame) -> None:
        info = frame.l2
        if info is None or not is_device_mac(info.mac):
            return
        seen = self._l2.get(info.mac)
        if seen is None:
            seen = self._l2[info.mac] = _Seen(frame)
        if info.mac != frame.src_mac:
            seen.see(frame)
        seen.protocols.add(info.protocol)
        if info.protocol == "arp":
            self._arp.add(info, frame.time, frame.number)
        if info.ip is not None:
            seen.peers.add(info.ip)
        if info.name and len(seen.names) < NAME_CAP:
            seen.names.add(info.name)

    def hosts(self) -> list[HostRecord]:
        """Every IP address seen, sorted by address text."""
        return [
            HostRecord(
                ip=ip,
                packets=seen.packets,
                bytes=seen.bytes,
                evidence=seen.evidence(self.capture),
                macs=tuple(sorted(seen.peers)),
            )
            for ip, seen in sorted(self._fold_hosts().items())
        ]

    def macs(self) -> list[MacRecord]:
        """Every device MAC seen, sorted."""
        return [
            MacRecord(
                address=mac,
                evidence=seen.evidence(self.capture),
                ips=tuple(sorted(seen.peers)),
                protocols=tuple(sorted(seen.protocols)),
                names=tuple(sorted(seen.names)),
                arp=self._arp.summary(mac),
            )
            for mac, seen in sorted(self._fold_macs().items())
        ]
