"""The addresses each MAC asked for in ARP requests, and when: ARP sweeps.

An ARP sweep (``nmap -sn`` on a LAN) asks who-has for many addresses in a
short time and is never a session, so the sessions cannot show it. Per
sender MAC this keeps each distinct target address of its requests with the
whole second it was first asked for, and folds them into an `ArpSummary`:
how many new targets were first asked for in each second, per /16 network.
A query windows over those per-second counts (a busiest window of 120 s is
the sum of at most 121 entries), so the graph holds one short list per MAC
instead of one row per request.

Memory stays bounded: at most ``cap`` distinct targets are kept per MAC
(65,536, a whole /16, by default); requests for other addresses past the
cap are counted, not told apart. Per-second entries never outnumber the
targets kept. Gratuitous ARP (target = sender) announces, it does not ask.
"""

from __future__ import annotations

import math

from icsgraph.ingest.records import ArpSummary, L2Info

ARP_REQUEST = 1
TARGET_CAP = 65_536
SENDER_CAP = 16
Bucket = tuple[str, int]  # (/16 network, whole second)


class _Requests:
    """The ARP requests of one MAC."""

    __slots__ = ("buckets", "over_cap", "senders", "targets")

    def __init__(self) -> None:
        self.targets: set[str] = set()
        self.buckets: dict[Bucket, list[int]] = {}  # [count, first, last frame]
        self.senders: set[str] = set()
        self.over_cap = 0

    def see(self, target: str, second: int, frame: int, cap: int) -> None:
        if target in self.targets:
            return
        if len(self.targets) >= cap:
            self.over_cap += 1
            return
        self.targets.add(target)
        octets = target.split(".", 2)
        key = (f"{octets[0]}.{octets[1]}.0.0/16", second)
        bucket = self.buckets.get(key)
        if bucket is None:
            self.buckets[key] = [1, frame, frame]
        else:
            bucket[0] += 1
            bucket[2] = frame

    def summary(self) -> ArpSummary:
        keys = sorted(self.buckets)
        values = [self.buckets[k] for k in keys]
        return ArpSummary(
            targets=len(self.targets),
            over_cap=self.over_cap,
            senders=tuple(sorted(self.senders)),
            networks=tuple(network for network, _ in keys),
            seconds=tuple(second for _, second in keys),
            counts=tuple(v[0] for v in values),
            first_frames=tuple(v[1] for v in values),
            last_frames=tuple(v[2] for v in values),
        )


class ArpTargets:
    """Collect the targets of ARP requests per sender MAC, frame by frame."""

    def __init__(self, cap: int = TARGET_CAP) -> None:
        self.cap = cap
        self._macs: dict[str, _Requests] = {}

    def add(self, info: L2Info, time: float, frame: int) -> None:
        """Count one ARP message; anything but a request is ignored."""
        if info.op != ARP_REQUEST or info.target is None or info.target == info.ip:
            return
        requests = self._macs.get(info.mac)
        if requests is None:
            requests = self._macs[info.mac] = _Requests()
        if info.ip is not None and len(requests.senders) < SENDER_CAP:
            requests.senders.add(info.ip)
        requests.see(info.target, math.floor(time), frame, self.cap)

    def summary(self, mac: str) -> ArpSummary | None:
        """What ``mac`` asked for, or None if it sent no ARP request."""
        requests = self._macs.get(mac)
        return None if requests is None else requests.summary()
