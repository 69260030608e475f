"""BACnet/IP (ASHRAE 135 Annex J): BVLC type 0x81, a function, a length."""

from __future__ import annotations

import struct


def detect(client: bytes, server: bytes) -> str | None:
    """BACnet/IP if either side starts with a BVLC header."""
    for data in (client, server):
        if len(data) < 4 or data[0] != 0x81 or data[1] > 0x0C:
            continue
        length = struct.unpack_from("!H", data, 2)[0]
        if 4 <= length <= len(data) and (data[1] not in (0x0A, 0x0B) or data[4] == 1):
            return "bacnet"
    return None
