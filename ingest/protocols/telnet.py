"""Telnet (RFC 854): option negotiation opens with IAC (0xFF) WILL/WONT/DO/DONT."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """Telnet if either side opens with an option negotiation."""
    for data in (client, server):
        if len(data) >= 3 and data[0] == 0xFF and 0xFB <= data[1] <= 0xFE:
            return "telnet"
    return None
