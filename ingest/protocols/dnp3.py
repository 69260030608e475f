"""DNP3 (IEEE 1815): link-layer frames start 0x05 0x64 and a length >= 5."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """DNP3 if either side starts with a DNP3 link header."""
    for data in (client, server):
        if len(data) >= 10 and data[0:2] == b"\x05\x64" and data[2] >= 5:
            return "dnp3"
    return None
