"""DNS answers that resolve hosts (RFC 1035, RFC 3596) and DHCP client
names and vendor classes (RFC 2131, RFC 2132 options 12 and 60).

A DNS artifact is about the address it resolves (``address`` in its values),
not about either end of the session; ``about`` is "server" by convention.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterator
from dataclasses import replace

from icsgraph.ingest.extract._common import (
    about_sender,
    artifact,
    parse_datagram,
    speaks,
    turn_frames,
)
from icsgraph.ingest.records import ArtifactRecord, Conversation, Turn

_A, _AAAA = 1, 28
_COOKIE = b"\x63\x82\x53\x63"
_DHCP_TYPES = {
    1: "discover",
    2: "offer",
    3: "request",
    4: "decline",
    5: "ack",
    6: "nak",
    7: "release",
    8: "inform",
}


def extract_dns(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``dns_name`` per A/AAAA answer: name → address."""
    if not speaks(conv, ("dns", "mdns", "llmnr"), 53, 5353, 5355):
        return
    for turn in conv.turns:
        message = turn.data[2:] if conv.transport == "tcp" else turn.data
        for name, address in parse_datagram([], dns_answers, message):
            values = (("name", name), ("address", address))
            yield artifact(conv, "dns_name", values, turn_frames(turn), turn.first_time)


def dns_answers(message: bytes) -> list[tuple[str, str]]:
    """(owner name, address) of each A and AAAA record in a DNS response."""
    if len(message) < 12 or not message[2] & 0x80:
        return []
    qdcount, ancount = struct.unpack_from("!HH", message, 4)
    pos = 12
    for _ in range(qdcount):
        _, pos = _read_name(message, pos)
        pos += 4
    found = []
    for _ in range(ancount):
        name, pos = _read_name(message, pos)
        kind, _, _, length = struct.unpack_from("!HHIH", message, pos)
        rdata = message[pos + 10 : pos + 10 + length]
        pos += 10 + length
        if kind == _A and length == 4:
            found.append((name, str(ipaddress.IPv4Address(rdata))))
        elif kind == _AAAA and length == 16:
            found.append((name, str(ipaddress.IPv6Address(rdata))))
    return found


def _read_name(message: bytes, pos: int) -> tuple[str, int]:
    """A possibly compressed domain name; returns it and the position after."""
    labels: list[str] = []
    end, hops = None, 0
    while True:
        length = message[pos]
        if length & 0xC0 == 0xC0:
            end = pos + 2 if end is None else end
            pos = ((length & 0x3F) << 8) | message[pos + 1]
            hops += 1
            if hops > 32:
                raise ValueError("DNS name compression loop")
            continue
        if length == 0:
            return ".".join(labels), (pos + 1 if end is None else end)
        labels.append(message[pos + 1 : pos + 1 + length].decode("latin-1"))
        pos += 1 + length


def extract_dhcp(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``dhcp_host`` per client message naming a host or vendor class."""
    if conv.transport != "udp" or not speaks(conv, ("dhcp", "bootp"), 67, 68):
        return
    found: dict[tuple[object, ...], ArtifactRecord] = {}
    for turn in conv.turns:
        record = parse_datagram(None, _dhcp, conv, turn)
        if record is None:
            continue
        key = (record.about, record.values)
        if key in found:  # the same client asking again: one artifact, more frames
            earlier = found[key]
            frames = tuple(sorted({*earlier.frames, *record.frames}))
            record = replace(earlier, frames=frames)
        found[key] = record
    yield from found.values()


def _dhcp(conv: Conversation, turn: Turn) -> ArtifactRecord | None:
    data = turn.data
    if len(data) < 240 or data[236:240] != _COOKIE or data[0] != 1:
        return None
    options = dhcp_options(data[240:])
    if 12 not in options and 60 not in options:
        return None
    mac = ":".join(f"{b:02x}" for b in data[28:34])
    values = (
        ("host_name", options.get(12, b"").decode("latin-1")),
        ("vendor_class", options.get(60, b"").decode("latin-1")),
        ("mac", mac),
        ("message", _DHCP_TYPES.get(options.get(53, b"\x00")[0], "")),
        ("requested_ip", _ip(options.get(50, b""))),
        ("client_ip", _ip(data[12:16])),
    )
    about = about_sender(turn.direction)
    return artifact(
        conv, "dhcp_host", values, turn_frames(turn), turn.first_time, about
    )


def dhcp_options(data: bytes) -> dict[int, bytes]:
    """Options by code; the first copy of a code wins."""
    options: dict[int, bytes] = {}
    pos = 0
    while pos < len(data) and data[pos] != 255:
        code = data[pos]
        if code == 0:
            pos += 1
            continue
        length = data[pos + 1]
        options.setdefault(code, data[pos + 2 : pos + 2 + length])
        pos += 2 + length
    return options


def _ip(raw: bytes) -> str:
    if len(raw) != 4 or raw == b"\x00\x00\x00\x00":
        return ""
    return str(ipaddress.IPv4Address(raw))
