"""Modbus/TCP (Modbus Messaging on TCP/IP Implementation Guide v1.0b).

The MBAP header: transaction id, protocol id 0, a length that covers the
unit id and the PDU, then a public function code.
"""

from __future__ import annotations

import struct


def detect(client: bytes, server: bytes) -> str | None:
    """Modbus if the client's first bytes are an MBAP header and a request."""
    if len(client) < 8:
        return None
    protocol, length = struct.unpack_from("!HH", client, 2)
    function = client[7]
    if protocol != 0 or not 2 <= length <= 254 or len(client) < 6 + length:
        return None
    if not 1 <= function <= 127:
        return None
    if server and (len(server) < 8 or server[:4] != client[:4]):
        return None
    return "modbus"
