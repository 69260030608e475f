"""VNC / RFB (RFC 6143): the server's ProtocolVersion ``RFB xxx.yyy\\n``."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """vnc if the server (or a reversed client) sends an RFB version."""
    if server.startswith(b"RFB 0") or client.startswith(b"RFB 0"):
        return "vnc"
    return None
