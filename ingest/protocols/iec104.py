"""IEC 60870-5-104: APCI start byte 0x68, APDU length 4-253, I/S/U formats."""

from __future__ import annotations


def detect(client: bytes, server: bytes) -> str | None:
    """IEC-104 if the first APDUs of either side are well formed."""
    for data in (client, server):
        if _apdus_fit(data):
            return "iec104"
    return None


def _apdus_fit(data: bytes) -> bool:
    at = count = 0
    while at + 6 <= len(data):
        if data[at] != 0x68 or not 4 <= data[at + 1] <= 253:
            return False
        if data[at + 1] == 4 and data[at + 2] & 3 == 1 and data[at + 3] != 0:
            return False  # S-format has a zero second octet
        at += 2 + data[at + 1]
        count += 1
    return count > 0 and at <= len(data) + 250
