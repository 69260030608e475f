"""SSH (RFC 4253, section 4.2): the identification string ``SSH-x.y-...``."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """ssh if either side identifies itself as SSH."""
    if client.startswith(b"SSH-") or server.startswith(b"SSH-"):
        return "ssh"
    return None
