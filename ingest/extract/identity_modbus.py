"""Modbus/TCP Read Device Identification (function 43, MEI type 14).

Objects 0x00-0x06 are the standard ones of the Modbus Application Protocol
v1.1b3, section 6.21; they come from the device itself, hence confidence 0.9.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from icsgraph.ingest.extract._common import Joined, artifact, join, speaks
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

_OBJECTS = {
    0: "vendor",
    1: "product_code",
    2: "revision",
    3: "vendor_url",
    4: "product_name",
    5: "model",
    6: "application_name",
}
_LIMIT = 256 * 1024


def extract_modbus_identity(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``device_identity`` per Read Device Identification response."""
    if conv.transport != "tcp" or not speaks(conv, ("modbus", "mbtcp"), 502):
        return
    server = join(conv, "in")
    for pos, unit, pdu in _adus(server):
        objects = device_identification(pdu)
        if not objects:
            continue
        values: list[tuple[str, ArtifactValue | None]] = [
            ("source", "modbus_device_identification"),
            ("unit", unit),
        ]
        values += [(_OBJECTS.get(k, f"object_{k:#04x}"), v) for k, v in objects]
        frames = server.frames_between(pos, pos + 7 + len(pdu))
        time = server.time_at(pos)
        yield artifact(conv, "device_identity", values, frames, time, confidence=0.9)


def _adus(stream: Joined) -> Iterator[tuple[int, int, bytes]]:
    """(offset, unit id, PDU) of each MBAP frame, stopping at garbage."""
    data, pos = stream.data[:_LIMIT], 0
    while pos + 8 <= len(data):
        _, protocol, length, unit = struct.unpack_from("!HHHB", data, pos)
        if protocol != 0 or length < 2:
            return
        yield pos, unit, data[pos + 7 : pos + 6 + length]
        pos += 6 + length


def device_identification(pdu: bytes) -> list[tuple[int, str]]:
    """(object id, text) pairs of a function 43 / MEI 14 response PDU."""
    if len(pdu) < 7 or pdu[0] != 0x2B or pdu[1] != 0x0E:
        return []
    count, pos = pdu[6], 7
    objects = []
    for _ in range(count):
        if pos + 2 > len(pdu):
            break
        ident, length = pdu[pos], pdu[pos + 1]
        objects.append(
            (ident, pdu[pos + 2 : pos + 2 + length].decode("latin-1").strip())
        )
        pos += 2 + length
    return objects
