"""EtherNet/IP encapsulation and the CIP explicit messages it carries.

Specification: ODVA, The CIP Networks Library, Volume 2 (EtherNet/IP
Adaptation of CIP), chapter 2 (24-byte encapsulation header, List Identity,
SendRRData / SendUnitData with common packet format items) and Volume 1
(CIP message router request/response, EPATH segments, general status).
Service codes 0x4B-0x63 are class-specific: they are named only on the class
that defines them (Connection Manager 0x06, PCCC 0x67, Logix symbolic tags),
following Rockwell's published Logix data access manual (1756-PM020).
Unconnected Send and Multiple Service Packet are unwrapped.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Iterator

from icsgraph.ingest.ics._stream import Pdu, datagrams, split_pdus
from icsgraph.ingest.ics.message import IcsMessage, answer
from icsgraph.ingest.records import Conversation

PORTS = (44818,)
ENIP, CIP = "enip", "cip"
SEND_RR, SEND_UNIT = 0x6F, 0x70
COMMANDS: dict[int, tuple[str, str]] = {
    0x04: ("List Services", "discovery"),
    0x63: ("List Identity", "discovery"),
    0x64: ("List Interfaces", "discovery"),
    0x65: ("Register Session", "other"),
    0x66: ("Unregister Session", "other"),
}
# Common services (any class): code -> (tshark name, kind, state_changing)
SERVICES: dict[int, tuple[str, str, bool]] = {
    0x01: ("Get Attributes All", "read", False),
    0x02: ("Set Attributes All", "write", True),
    0x03: ("Get Attribute List", "read", False),
    0x04: ("Set Attribute List", "write", True),
    0x05: ("Reset", "restart", True),
    0x06: ("Start", "mode_change", True),
    0x07: ("Stop", "mode_change", True),
    0x08: ("Create", "write", True),
    0x09: ("Delete", "write", True),
    0x0A: ("Multiple Service Packet", "other", False),
    0x0D: ("Apply Attributes", "write", True),
    0x0E: ("Get Attribute Single", "read", False),
    0x10: ("Set Attribute Single", "write", True),
    0x11: ("Find Next Object Instance", "read", False),
    0x15: ("Restore", "write", True),
    0x16: ("Save", "write", True),
    0x17: ("Nop", "other", False),
}
CONNECTION_MANAGER, PCCC, IDENTITY, SYMBOLIC = 0x06, 0x67, 0x01, -1
# (class, service) -> (name, kind, state_changing); SYMBOLIC = a tag name path
CLASS_SERVICES: dict[tuple[int, int], tuple[str, str, bool]] = {
    (CONNECTION_MANAGER, 0x4E): ("Forward Close", "other", False),
    (CONNECTION_MANAGER, 0x52): ("Unconnected Send", "other", False),
    (CONNECTION_MANAGER, 0x54): ("Forward Open", "other", False),
    (CONNECTION_MANAGER, 0x5B): ("Large Forward Open", "other", False),
    (PCCC, 0x4B): ("Execute PCCC", "control", True),
    (SYMBOLIC, 0x4C): ("Read Tag", "read", False),
    (SYMBOLIC, 0x4D): ("Write Tag", "write", True),
    (SYMBOLIC, 0x4E): ("Read Modify Write Tag", "write", True),
    (SYMBOLIC, 0x52): ("Read Tag Fragmented", "read", False),
    (SYMBOLIC, 0x53): ("Write Tag Fragmented", "write", True),
}
IDENTITY_READS = frozenset({0x01, 0x03, 0x0E})


def frame_length(data: bytes, pos: int) -> int | None:
    """Length of the encapsulation message at ``pos``, or None."""
    if len(data) - pos < 24:
        return None
    command = int.from_bytes(data[pos : pos + 2], "little")
    length = int.from_bytes(data[pos + 2 : pos + 4], "little")
    if command not in COMMANDS and command not in (0, SEND_RR, SEND_UNIT):
        return None
    return 24 + length


def looks_like(data: bytes) -> bool:
    """True when ``data`` is one whole encapsulation message it knows.

    Status and options are zero in every request, which keeps this from
    taking other protocols' bytes for EtherNet/IP.
    """
    return (
        frame_length(data, 0) == len(data)
        and data[0] != 0
        and data[8:12] == bytes(4)
        and data[20:24] == bytes(4)
    )


def _path_class(path: bytes) -> int | None:
    """The class an EPATH addresses, SYMBOLIC for a tag name, None if none."""
    pos = 0
    while pos < len(path):
        segment = path[pos]
        if segment == 0x91:
            return SYMBOLIC
        if segment == 0x20 and pos + 1 < len(path):
            return path[pos + 1]
        if segment == 0x21 and pos + 3 < len(path):
            return int.from_bytes(path[pos + 2 : pos + 4], "little")
        pos += 4 if segment & 0x03 == 1 else 2
    return None


def _service(code: int, klass: int | None) -> tuple[str, str, bool]:
    if code in SERVICES:
        name, kind, changes = SERVICES[code]
        if klass == IDENTITY and code in IDENTITY_READS:
            return name, "discovery", False
        return name, kind, changes
    if klass is not None and (klass, code) in CLASS_SERVICES:
        return CLASS_SERVICES[(klass, code)]
    return f"Service {code:#04x}", "other", False


def _cip(pdu: Pdu, msg: bytes, ctx: int, via: str) -> Iterator[IcsMessage]:
    """The CIP message(s) in ``msg``, unwrapping embedded requests."""
    if len(msg) < 2:
        return
    code = msg[0] & 0x7F
    if msg[0] & 0x80:
        yield from _cip_response(pdu, msg, ctx, via)
        return
    path_end = 2 + 2 * msg[1]
    klass = _path_class(msg[2:path_end])
    name, kind, changes = _service(code, klass)
    detail = f"class={klass:#x}" if klass not in (None, SYMBOLIC) else ""
    if klass == SYMBOLIC:
        detail = "tag=" + _tag(msg[2:path_end])
    yield IcsMessage(
        CIP, pdu.direction, pdu.frame, pdu.time, code, name, kind, changes,
        transaction=ctx, detail=" ".join(p for p in (detail, via) if p),
    )  # fmt: skip
    body = msg[path_end:]
    if code == 0x52 and klass == CONNECTION_MANAGER and len(body) >= 4:
        size = int.from_bytes(body[2:4], "little")
        yield from _cip(pdu, body[4 : 4 + size], ctx, "via Unconnected Send")
    elif code == 0x0A:
        for inner in _packet_items(body):
            yield from _cip(pdu, inner, ctx, "in Multiple Service Packet")


def _tag(path: bytes) -> str:
    size = path[1] if len(path) > 1 else 0
    return path[2 : 2 + size].decode("latin-1")


def _packet_items(body: bytes) -> Iterator[bytes]:
    """The services packed in a Multiple Service Packet's data."""
    if len(body) < 2:
        return
    count = int.from_bytes(body[:2], "little")
    offsets = [
        int.from_bytes(body[2 + 2 * i : 4 + 2 * i], "little")
        for i in range(count)
        if 4 + 2 * i <= len(body)
    ]
    for index, start in enumerate(offsets):
        end = offsets[index + 1] if index + 1 < len(offsets) else len(body)
        if start < end <= len(body):
            yield body[start:end]


def _cip_response(pdu: Pdu, msg: bytes, ctx: int, via: str) -> Iterator[IcsMessage]:
    code = msg[0] & 0x7F
    status = msg[2] if len(msg) > 2 else 0
    yield IcsMessage(
        CIP, pdu.direction, pdu.frame, pdu.time, code, f"Service {code:#04x}",
        "other", status="ok" if status == 0 else "exception",
        status_code=status, transaction=ctx, detail=via,
    )  # fmt: skip
    if code == 0x0A and len(msg) > 4:
        body = msg[4 + 2 * msg[3] :]
        for inner in _packet_items(body):
            yield from _cip(pdu, inner, ctx, "in Multiple Service Packet")


def _items(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Common packet format items of SendRRData / SendUnitData."""
    if len(data) < 8:
        return
    count, pos = int.from_bytes(data[6:8], "little"), 8
    for _ in range(count):
        if pos + 4 > len(data):
            return
        kind, size = struct.unpack_from("<HH", data, pos)
        yield kind, data[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _decode(pdu: Pdu, requests_go: str) -> Iterator[IcsMessage]:
    command = int.from_bytes(pdu.data[:2], "little")
    ctx = int.from_bytes(pdu.data[12:16], "little")
    if command in COMMANDS:
        name, kind = COMMANDS[command]
        request = pdu.direction == requests_go and len(pdu.data) == 24
        status = None if request else "ok"
        yield IcsMessage(
            ENIP, pdu.direction, pdu.frame, pdu.time, command, name, kind,
            status=status, transaction=ctx,
        )  # fmt: skip
        return
    for item_type, item in _items(pdu.data[24:]):
        if item_type == 0xB2:
            yield from _cip(pdu, item, ctx, "")
        elif item_type == 0xB1 and len(item) > 2:
            seq = int.from_bytes(item[:2], "little")
            yield from _cip(pdu, item[2:], seq, "")


def _units(conv: Conversation) -> list[Pdu]:
    if conv.transport == "tcp":
        return split_pdus(conv, frame_length)
    return [p for p in datagrams(conv) if frame_length(p.data, 0) == len(p.data)]


def parse(conv: Conversation) -> list[IcsMessage]:
    """Every EtherNet/IP command and CIP service of a session."""
    requests_go = (
        "in" if conv.src_port in PORTS and conv.dst_port not in PORTS else "out"
    )
    pending: dict[tuple[str, int], deque[IcsMessage]] = {}
    found: list[IcsMessage] = []
    for pdu in _units(conv):
        for message in _decode(pdu, requests_go):
            key = (message.protocol, message.function_code)
            if message.is_request:
                pending.setdefault(key, deque()).append(message)
            else:
                queue = pending.get(key)
                message = answer(queue.popleft() if queue else None, message)
            found.append(message)
    return found
