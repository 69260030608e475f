"""JDWP (Java Debug Wire Protocol, JDK docs): the 14-byte ASCII
``JDWP-Handshake`` both sides send first."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """jdwp on the handshake, from either side."""
    if client.startswith(b"JDWP-Handshake") or server.startswith(b"JDWP-Handshake"):
        return "jdwp"
    return None
