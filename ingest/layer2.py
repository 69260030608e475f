"""What layer-2 protocols say about the device that sent them.

ARP (RFC 826): the sender's MAC, the IPv4 address it claims, the target
address it asks for or answers, and the operation (1 request, 2 reply).
LLDP (IEEE 802.1AB): system name (TLV 5) and management address (TLV 8).
PROFINET DCP (IEC 61158-6-10, EtherType 0x8892, frame ids 0xfefc-0xfeff):
station name (option 2/2) and IP (option 1/2) from responses.
GOOSE (IEC 61850-8-1, EtherType 0x88b8): the gocbRef of the publisher.

Each parser returns an `L2Info` or None and raises only `IndexError` or
`struct.error` on bytes cut short (the caller turns those into a problem).
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable

from icsgraph.ingest.records import L2Info

ETH_ARP = 0x0806
ETH_LLDP = 0x88CC
ETH_PROFINET = 0x8892
ETH_GOOSE = 0x88B8
DCP_FRAME_IDS = range(0xFEFC, 0xFF00)
DCP_RESPONSE = 1


def parse_arp(data: bytes, at: int, src_mac: str | None) -> L2Info | None:
    """ARP for IPv4 over Ethernet: sender MAC and address, target, operation."""
    _, ptype, hlen, plen = struct.unpack_from("!HHBB", data, at)
    if hlen != 6 or plen != 4 or ptype != 0x0800 or len(data) < at + 28:
        return None
    op = int.from_bytes(data[at + 6 : at + 8], "big")
    mac = data[at + 8 : at + 14].hex(":")
    sender_ip = data[at + 14 : at + 18]
    ip = None if sender_ip == bytes(4) else socket.inet_ntoa(sender_ip)
    target = socket.inet_ntoa(data[at + 24 : at + 28])
    return L2Info(protocol="arp", mac=mac, ip=ip, target=target, op=op)


def parse_lldp(data: bytes, at: int, src_mac: str | None) -> L2Info | None:
    """LLDP: system name and IPv4 management address of the sender."""
    if src_mac is None:
        return None
    name: str | None = None
    ip: str | None = None
    while at + 2 <= len(data):
        head = struct.unpack_from("!H", data, at)[0]
        kind, length = head >> 9, head & 0x1FF
        value = data[at + 2 : at + 2 + length]
        if kind == 0:
            break
        if kind == 5:
            name = value.decode("utf-8", "replace")
        elif kind == 8 and len(value) >= 6 and value[0] == 5 and value[1] == 1:
            ip = socket.inet_ntoa(value[2:6])
        at += 2 + length
    return L2Info(protocol="lldp", mac=src_mac, ip=ip, name=name)


def dcp_blocks(data: bytes) -> dict[tuple[int, int], bytes]:
    """DCP blocks by (option, suboption), a response's block info stripped."""
    blocks: dict[tuple[int, int], bytes] = {}
    pos = 0
    while pos + 4 <= len(data):
        option, suboption, length = struct.unpack_from("!BBH", data, pos)
        blocks.setdefault((option, suboption), data[pos + 6 : pos + 4 + length])
        pos += 4 + length + (length & 1)
    return blocks


def parse_dcp(data: bytes, at: int, src_mac: str | None) -> L2Info | None:
    """PROFINET DCP responses: the station name and IP a device reports."""
    frame_id = struct.unpack_from("!H", data, at)[0]
    if frame_id not in DCP_FRAME_IDS or src_mac is None:
        return None
    if data[at + 3] != DCP_RESPONSE:
        return L2Info(protocol="pn_dcp", mac=src_mac)
    length = struct.unpack_from("!H", data, at + 10)[0]
    blocks = dcp_blocks(data[at + 12 : at + 12 + length])
    name = blocks[(2, 2)].decode("utf-8", "replace") if (2, 2) in blocks else None
    address = blocks.get((1, 2), b"")
    ip = socket.inet_ntoa(address[:4]) if len(address) >= 4 else None
    return L2Info(protocol="pn_dcp", mac=src_mac, ip=ip, name=name)


def parse_goose(data: bytes, at: int, src_mac: str | None) -> L2Info | None:
    """GOOSE: the publisher's MAC and its control block reference."""
    if src_mac is None:
        return None
    at += 8  # APPID, length, reserved 1 and 2
    if data[at] != 0x61:
        return L2Info(protocol="goose", mac=src_mac)
    _, at = _ber_length(data, at + 1)
    name = None
    if data[at] == 0x80:
        size, start = _ber_length(data, at + 1)
        name = data[start : start + size].decode("utf-8", "replace")
    return L2Info(protocol="goose", mac=src_mac, name=name)


def _ber_length(data: bytes, at: int) -> tuple[int, int]:
    """A BER length at ``at``: (length, offset of the value)."""
    first = data[at]
    if first < 0x80:
        return first, at + 1
    count = first & 0x7F
    return int.from_bytes(data[at + 1 : at + 1 + count], "big"), at + 1 + count


L2_PARSERS: dict[int, Callable[[bytes, int, str | None], L2Info | None]] = {
    ETH_ARP: parse_arp,
    ETH_LLDP: parse_lldp,
    ETH_PROFINET: parse_dcp,
    ETH_GOOSE: parse_goose,
}
