"""TFTP (RFC 1350): RRQ/WRQ with a file name and a mode, or the DATA/ACK
exchange of a transfer on ephemeral ports."""

from __future__ import annotations

MODES = (b"octet", b"netascii", b"mail")


def detect(client: bytes, server: bytes) -> str | None:
    """tftp from a request, or from DATA block 1 answered by ACK block 1."""
    if client[:2] in (b"\x00\x01", b"\x00\x02"):
        parts = client[2:].split(b"\x00")
        if len(parts) >= 3 and parts[0] and parts[1].lower() in MODES:
            return "tftp"
    pairs = ((client, server), (server, client))
    for data, ack in pairs:
        if data[:4] == b"\x00\x03\x00\x01" and ack[:4] == b"\x00\x04\x00\x01":
            return "tftp"
    return None
