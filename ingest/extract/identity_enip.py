"""EtherNet/IP ListIdentity replies (ODVA CIP Vol. 2, section 2-4.3).

The Identity item (type 0x0C) carries the vendor id, device type, product
code, revision, serial number and product name the device reports of itself.
Works over TCP and UDP port 44818 (UDP is how scanners broadcast it).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from icsgraph.ingest.extract._common import (
    about_sender,
    artifact,
    join,
    parse_datagram,
    speaks,
    turn_frames,
)
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

LIST_IDENTITY = 0x0063
_IDENTITY_ITEM = 0x000C


def extract_enip_identity(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``device_identity`` per ListIdentity reply."""
    if not speaks(conv, ("enip", "cip"), 44818):
        return
    if conv.transport == "udp":
        for turn in conv.turns:
            for values in parse_datagram([], list_identity, turn.data):
                about = about_sender(turn.direction)
                frames = turn_frames(turn)
                yield artifact(
                    conv,
                    "device_identity",
                    values,
                    frames,
                    turn.first_time,
                    about,
                    confidence=0.9,
                )
        return
    server = join(conv, "in")
    pos = 0
    while pos + 24 <= len(server.data):
        (length,) = struct.unpack_from("<H", server.data, pos + 2)
        message = server.data[pos : pos + 24 + length]
        for values in list_identity(message):
            frames = server.frames_between(pos, pos + 24 + length)
            yield artifact(
                conv,
                "device_identity",
                values,
                frames,
                server.time_at(pos),
                confidence=0.9,
            )
        pos += 24 + length


def list_identity(message: bytes) -> list[tuple[tuple[str, ArtifactValue], ...]]:
    """Identity values of each item of a ListIdentity reply."""
    if len(message) < 26 or struct.unpack_from("<H", message)[0] != LIST_IDENTITY:
        return []
    (count,) = struct.unpack_from("<H", message, 24)
    pos = 26
    found: list[tuple[tuple[str, ArtifactValue], ...]] = []
    for _ in range(count):
        kind, length = struct.unpack_from("<HH", message, pos)
        item = message[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if kind != _IDENTITY_ITEM or len(item) < 33:
            continue
        vendor, device_type, product = struct.unpack_from("<HHH", item, 18)
        major, minor, status, serial = struct.unpack_from("<BBHI", item, 24)
        name = item[33 : 33 + item[32]].decode("latin-1")
        address = ".".join(str(b) for b in item[6:10])
        found.append(
            (
                ("source", "enip_list_identity"),
                ("vendor_id", vendor),
                ("device_type", device_type),
                ("product_code", product),
                ("revision", f"{major}.{minor:02d}"),
                ("serial", f"0x{serial:08x}"),
                ("product_name", name),
                ("status", status),
                ("address", address),
            )
        )
    return found
