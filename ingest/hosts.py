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
the router's MAC, and the writer decides what to keep.
"""

from __future__ import annotations

from icsgraph.ingest.records import Evidence, Frame, HostRecord, MacRecord

ZERO_MAC = "00:00:00:00:00:00"


class _Seen:
    """Counters and first/last sighting of one address."""

    __slots__ = (
        "bytes", "first_frame", "first_time", "last_frame", "last_time",
        "names", "packets", "peers", "protocols",
    )  # fmt: skip

    def __init__(self, frame: Frame) -> None:
        self.packets = self.bytes = 0
        self.first_frame = self.last_frame = frame.number
        self.first_time = self.last_time = frame.time
        self.peers: set[str] = set()  # MACs of a host, IPs of a MAC
        self.protocols: set[str] = set()
        self.names: set[str] = set()

    def see(self, frame: Frame) -> None:
        self.packets += 1
        self.bytes += frame.wire_len
        self.last_frame, self.last_time = frame.number, frame.time

    def evidence(self, capture: str) -> Evidence:
        return Evidence(
            capture, self.first_frame, self.last_frame, self.first_time, self.last_time
        )


def is_device_mac(mac: str | None) -> bool:
    """A unicast, non-zero MAC (the group bit is the first octet's low bit)."""
    return mac is not None and not int(mac[:2], 16) & 1 and mac != ZERO_MAC


class HostTracker:
    """Collect hosts and MACs of one capture, frame by frame."""

    def __init__(self, capture_sha256: str = "") -> None:
        self.capture = capture_sha256
        self._hosts: dict[str, _Seen] = {}
        self._macs: dict[str, _Seen] = {}

    def add(self, frame: Frame) -> None:
        """Count one decoded frame."""
        if frame.src_ip is not None and frame.dst_ip is not None:
            self._add_ips(frame)
        src_mac = frame.src_mac
        if is_device_mac(src_mac):
            seen = self._mac(src_mac or "", frame)
            seen.see(frame)
            if frame.src_ip is not None:
                seen.peers.add(frame.src_ip)
        if frame.l2 is not None:
            self._add_l2(frame)

    def _add_ips(self, frame: Frame) -> None:
        addresses = (frame.src_ip, frame.dst_ip, *frame.outer_ips)
        for address in addresses:
            if address is None:
                continue
            seen = self._hosts.get(address)
            if seen is None:
                seen = self._hosts[address] = _Seen(frame)
            seen.see(frame)
        if is_device_mac(frame.src_mac) and frame.src_ip is not None:
            self._hosts[frame.src_ip].peers.add(frame.src_mac or "")

    def _add_l2(self, frame: Frame) -> None:
        info = frame.l2
        if info is None or not is_device_mac(info.mac):
            return
        seen = self._mac(info.mac, frame)
        if info.mac != frame.src_mac:
            seen.see(frame)
        seen.protocols.add(info.protocol)
        if info.ip is not None:
            seen.peers.add(info.ip)
        if info.name:
            seen.names.add(info.name)

    def _mac(self, mac: str, frame: Frame) -> _Seen:
        seen = self._macs.get(mac)
        if seen is None:
            seen = self._macs[mac] = _Seen(frame)
        return seen

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
            for ip, seen in sorted(self._hosts.items())
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
            )
            for mac, seen in sorted(self._macs.items())
        ]
