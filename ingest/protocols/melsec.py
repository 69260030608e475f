"""Mitsubishi MELSEC: MC protocol 3E/4E binary frames (MELSEC Communication
Protocol Reference Manual, subheaders 0x5000/0xD000 and 0x5400/0xD400) and
the MELSOFT engineering protocol (GX Works, subheaders 0x57/0xD7 then
0x00000000 1111)."""

from __future__ import annotations

MC_SUBHEADERS = (b"\x50\x00", b"\xd0\x00", b"\x54\x00", b"\xd4\x00")


def detect(client: bytes, server: bytes) -> str | None:
    """melsec if either side starts with an MC or MELSOFT frame."""
    for data in (client, server):
        if (
            len(data) >= 7
            and data[0] in (0x57, 0xD7)
            and data[1:7] == bytes(4) + b"\x11\x11"
        ):
            return "melsec"
        if (
            len(data) >= 11
            and data[:2] in MC_SUBHEADERS
            and data[2] == 0
            and data[4] == 0xFF
        ):
            return "melsec"
    return None
