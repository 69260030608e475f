"""NTP (RFC 5905): a 48-byte header with version 1-4 and a mode 1-5."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """ntp if the client's first datagram is an NTP header."""
    if len(client) < 48:
        return None
    version, mode = client[0] >> 3 & 7, client[0] & 7
    return "ntp" if 1 <= version <= 4 and 1 <= mode <= 5 else None
