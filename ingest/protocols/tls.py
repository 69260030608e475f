"""TLS (RFC 8446/5246): a handshake record (0x16 0x03 x) holding a
ClientHello or ServerHello."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """tls if a side opens with a TLS hello."""
    for data, hello in ((client, 1), (server, 2)):
        record = len(data) >= 6 and data[0] == 0x16 and data[1] == 3
        if record and data[2] <= 4 and data[5] == hello:
            return "tls"
    return None
