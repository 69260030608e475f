"""The DNS message format (RFC 1035 section 4.1) and the protocols that
reuse it: mDNS (RFC 6762), LLMNR (RFC 4795), NetBIOS Name Service
(RFC 1002 section 4.2). The header alone does not prove the protocol, so the
registry only asks on each protocol's port, and names it by that port."""

from __future__ import annotations

import struct
from collections.abc import Callable


def header_fits(data: bytes) -> bool:
    """A plausible DNS header: a standard opcode and a few records."""
    if len(data) < 12:
        return False
    flags, qd, an, ns, ar = struct.unpack_from("!HHHHH", data, 2)
    opcode = flags >> 11 & 0xF
    return opcode in (0, 4, 5, 6) and 1 <= qd + an + ns + ar <= 256 and qd <= 16


def detector(name: str) -> Callable[[bytes, bytes], str | None]:
    """A detector that names ``name`` when either side has a DNS header."""

    def detect(client: bytes, server: bytes) -> str | None:
        if header_fits(client) or header_fits(server):
            return name
        return None

    detect.__doc__ = f"{name} if a side starts with a DNS-format header."
    return detect
