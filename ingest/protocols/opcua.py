"""OPC UA binary (IEC 62541-6, UA TCP): HEL/ACK/OPN/MSG/CLO/ERR messages."""

from __future__ import annotations

TYPES = (b"HEL", b"ACK", b"OPN", b"MSG", b"CLO", b"ERR", b"RHE")


def detect(client: bytes, server: bytes) -> str | None:
    """OPC UA if either side starts with a UA TCP message header."""
    for data in (client, server):
        if len(data) >= 8 and data[:3] in TYPES and data[3:4] in (b"F", b"C", b"A"):
            return "opcua"
    return None
