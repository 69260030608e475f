"""SNMP (RFC 1157, RFC 3416, RFC 3412): a BER SEQUENCE holding an INTEGER
version 0, 1 or 3, then an OCTET STRING community (v1/v2c) or a SEQUENCE
(v3 header)."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """snmp if a side starts with an SNMP message header."""
    for data in (client, server):
        if len(data) < 8 or data[0] != 0x30:
            continue
        at = 2 if data[1] < 0x80 else 2 + (data[1] & 0x7F)
        version, follows = data[at : at + 3], data[at + 3 : at + 4]
        if version in (b"\x02\x01\x00", b"\x02\x01\x01") and follows == b"\x04":
            return "snmp"
        if version == b"\x02\x01\x03" and follows == b"\x30":
            return "snmp"
    return None
