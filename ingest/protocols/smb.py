"""SMB1/SMB2/SMB3 (MS-CIFS, MS-SMB2) behind NetBIOS session service
(RFC 1002) or direct TCP 445: a message whose payload starts with
``\\xffSMB``, ``\\xfeSMB`` or ``\\xfdSMB`` (transform header)."""

from __future__ import annotations

import struct

MAGICS = (b"\xffSMB", b"\xfeSMB", b"\xfdSMB")


def detect(client: bytes, server: bytes) -> str | None:
    """smb if one of the first NetBIOS session messages carries SMB."""
    for data in (client, server):
        at = 0
        while at + 8 <= len(data) and data[at] in (0x00, 0x81, 0x82, 0x85):
            if data[at] == 0 and data[at + 4 : at + 8] in MAGICS:
                return "smb"
            at += 4 + (
                struct.unpack_from("!H", data, at + 2)[0] | (data[at + 1] & 1) << 16
            )
    return None
