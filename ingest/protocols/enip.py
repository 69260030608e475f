"""EtherNet/IP encapsulation (ODVA CIP Vol. 2, chapter 2).

A 24-byte little-endian header: a known command, a length, a session handle,
status, sender context and options 0.
"""

from __future__ import annotations

import struct

COMMANDS = frozenset({0x0001, 0x0004, 0x0063, 0x0064, 0x0065, 0x0066, 0x006F, 0x0070})


def detect(client: bytes, server: bytes) -> str | None:
    """ENIP if the first message of either side is an encapsulation header."""
    for data in (client, server):
        if len(data) < 24:
            continue
        command, length = struct.unpack_from("<HH", data, 0)
        options = struct.unpack_from("<I", data, 20)[0]
        status = struct.unpack_from("<I", data, 8)[0]
        if command in COMMANDS and options == 0 and length <= 65511 and status < 0x100:
            return "enip"
    return None
