"""DHCP (RFC 2131): BOOTP op 1/2, hardware type, and the magic cookie
0x63825363 at offset 236."""

from __future__ import annotations

COOKIE = b"\x63\x82\x53\x63"


def detect(client: bytes, server: bytes) -> str | None:
    """dhcp if a side carries a BOOTP message with the DHCP cookie."""
    for data in (client, server):
        if len(data) >= 240 and data[0] in (1, 2) and data[236:240] == COOKIE:
            return "dhcp"
    return None
