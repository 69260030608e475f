"""TPKT (RFC 1006) and ISO COTP (X.224, ISO 8073): S7comm, RDP or plain COTP.

S7comm (Siemens) and S7comm-plus put protocol id 0x32 / 0x72 first in a COTP
data TPDU; RDP (MS-RDPBCGR 2.2.1.1) sends an X.224 connection request with a
``Cookie: mstshash=`` or an RDP negotiation request (type 1, length 8).
"""

from __future__ import annotations

import struct

COTP_CR, COTP_CC, COTP_DT = 0xE0, 0xD0, 0xF0


def detect(client: bytes, server: bytes) -> str | None:
    """s7comm, s7comm-plus, rdp or cotp from the first TPKT messages."""
    found: str | None = None
    for data in (client, server):
        for tpdu in _tpdus(data):
            name = _name(tpdu)
            if name != "cotp":
                return name
            found = found or name
    return found


def _tpdus(data: bytes) -> list[bytes]:
    """The COTP parts of the complete TPKT messages at the start of data."""
    parts: list[bytes] = []
    at = 0
    while at + 7 <= len(data) and data[at] == 3 and data[at + 1] == 0:
        length = struct.unpack_from("!H", data, at + 2)[0]
        if length < 7:
            break
        parts.append(data[at + 4 : at + length])
        at += length
    return parts


def _name(tpdu: bytes) -> str | None:
    header = tpdu[0] + 1
    kind = tpdu[1] & 0xF0 if len(tpdu) > 1 else 0
    if kind == COTP_DT and len(tpdu) > header:
        return {0x32: "s7comm", 0x72: "s7comm-plus"}.get(tpdu[header], "cotp")
    if kind == COTP_CR:
        neg = tpdu[-8:]
        if b"mstshash=" in tpdu or (len(neg) == 8 and neg[0] == 1 and neg[2] == 8):
            return "rdp"
    if kind in (COTP_CR, COTP_CC, COTP_DT):
        return "cotp"
    return None
