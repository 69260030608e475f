"""Link-layer headers: where the network layer starts in each link type.

Every parser takes the captured bytes and returns a `LinkHeader`: the MACs
it names, the VLAN ids it crossed, the EtherType of what follows (or the IP
version for link types without one) and the offset of that payload.

References: tcpdump.org LINKTYPE list; IEEE 802.1Q (C-tag 0x8100, S-tag
0x88a8, legacy 0x9100); RFC 3032 (MPLS label stack); Linux ``sll.h`` and
``sll2`` layouts; Linux ``nfnetlink_log.h`` (NFLOG TLVs).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import NamedTuple

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
ETH_MPLS = (0x8847, 0x8848)
ETH_VLAN = (0x8100, 0x88A8, 0x9100)
ARPHRD_ETHER = 1
NFULA_PAYLOAD = 9
NULL_IPV6_FAMILIES = (10, 24, 28, 30)  # Linux, NetBSD/OpenBSD, FreeBSD, macOS

_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")


class LinkHeader(NamedTuple):
    """What the link layer says, and where its payload starts."""

    src_mac: str | None
    dst_mac: str | None
    vlans: tuple[int, ...]
    ethertype: int
    offset: int


class LinkError(ValueError):
    """The link-layer header is cut short or inconsistent."""


def mac_text(data: bytes, start: int) -> str:
    """Six bytes from ``start`` as ``aa:bb:cc:dd:ee:ff``."""
    return data[start : start + 6].hex(":")


def parse_ethernet(data: bytes) -> LinkHeader:
    """Ethernet II with any stack of 802.1Q / QinQ tags and MPLS labels."""
    if len(data) < 14:
        raise LinkError("truncated ethernet header")
    dst, src = data[0:6].hex(":"), data[6:12].hex(":")
    ethertype, offset, vlans = walk_tags(data, _U16.unpack_from(data, 12)[0], 14)
    return LinkHeader(src, dst, vlans, ethertype, offset)


def walk_tags(
    data: bytes, ethertype: int, offset: int
) -> tuple[int, int, tuple[int, ...]]:
    """Step over VLAN tags and MPLS labels from an EtherType and its payload.

    Returns the final EtherType (MPLS resolves to IPv4/IPv6 by the first
    nibble under the stack), the offset of its payload and the VLAN ids.
    """
    vlans: list[int] = []
    while ethertype in ETH_VLAN:
        if len(data) < offset + 4:
            raise LinkError("truncated vlan tag")
        vlans.append(_U16.unpack_from(data, offset)[0] & 0x0FFF)
        ethertype = _U16.unpack_from(data, offset + 2)[0]
        offset += 4
    if ethertype <= 1500:
        ethertype, offset = _llc_snap(data, offset)
    if ethertype in ETH_MPLS:
        ethertype, offset = _skip_mpls(data, offset)
    return ethertype, offset, tuple(vlans)


def _llc_snap(data: bytes, offset: int) -> tuple[int, int]:
    """802.3 length field: an EtherType only behind LLC/SNAP (AA AA 03)."""
    if data[offset : offset + 3] == b"\xaa\xaa\x03" and len(data) >= offset + 8:
        return _U16.unpack_from(data, offset + 6)[0], offset + 8
    return 0, offset


def _skip_mpls(data: bytes, offset: int) -> tuple[int, int]:
    """Walk an MPLS label stack to its bottom; guess IPv4/IPv6 by nibble."""
    while True:
        if len(data) < offset + 4:
            raise LinkError("truncated mpls label")
        entry = _U32.unpack_from(data, offset)[0]
        offset += 4
        if entry & 0x100:  # bottom of stack
            break
    if offset >= len(data):
        return 0, offset
    nibble = data[offset] >> 4
    return {4: ETH_IPV4, 6: ETH_IPV6}.get(nibble, 0), offset


def parse_raw_ip(data: bytes) -> LinkHeader:
    """Raw IP: the version nibble says which."""
    if not data:
        raise LinkError("empty raw ip packet")
    ethertype = {4: ETH_IPV4, 6: ETH_IPV6}.get(data[0] >> 4, 0)
    return LinkHeader(None, None, (), ethertype, 0)


def parse_null(data: bytes) -> LinkHeader:
    """BSD null/loopback (DLT 0, host order) and OpenBSD loop (DLT 108)."""
    if len(data) < 4:
        raise LinkError("truncated loopback header")
    order = "<I" if data[0:2] != b"\x00\x00" else ">I"
    family = struct.unpack_from(order, data, 0)[0]
    ethertype = 0
    if family == 2:
        ethertype = ETH_IPV4
    elif family in NULL_IPV6_FAMILIES:
        ethertype = ETH_IPV6
    return LinkHeader(None, None, (), ethertype, 4)


def parse_sll(data: bytes) -> LinkHeader:
    """Linux cooked capture v1 (16-byte header)."""
    if len(data) < 16:
        raise LinkError("truncated sll header")
    arphrd, addr_len = struct.unpack_from("!HH", data, 2)
    src = mac_text(data, 6) if arphrd == ARPHRD_ETHER and addr_len == 6 else None
    ethertype, offset, vlans = walk_tags(data, _U16.unpack_from(data, 14)[0], 16)
    return LinkHeader(src, None, vlans, ethertype, offset)


def parse_sll2(data: bytes) -> LinkHeader:
    """Linux cooked capture v2 (20-byte header)."""
    if len(data) < 20:
        raise LinkError("truncated sll2 header")
    arphrd = _U16.unpack_from(data, 8)[0]
    addr_len = data[11]
    src = mac_text(data, 12) if arphrd == ARPHRD_ETHER and addr_len == 6 else None
    ethertype, offset, vlans = walk_tags(data, _U16.unpack_from(data, 0)[0], 20)
    return LinkHeader(src, None, vlans, ethertype, offset)


def parse_nflog(data: bytes) -> LinkHeader:
    """Linux NFLOG: a 4-byte header, then TLVs until the payload TLV.

    TLV lengths and types are in the capturing host's byte order; little
    endian is tried first, big endian when that does not fit.
    """
    if len(data) < 4:
        raise LinkError("truncated nflog header")
    family = data[0]
    ethertype = ETH_IPV4 if family == 2 else ETH_IPV6 if family == 10 else 0
    for order in ("<HH", ">HH"):
        offset = _nflog_payload(data, order)
        if offset is not None:
            return LinkHeader(None, None, (), ethertype, offset)
    raise LinkError("nflog payload tlv not found")


def _nflog_payload(data: bytes, order: str) -> int | None:
    """Offset of the NFULA_PAYLOAD value, or None if the TLVs do not fit."""
    offset = 4
    while offset + 4 <= len(data):
        length, tlv_type = struct.unpack_from(order, data, offset)
        if length < 4:
            return None
        if tlv_type & 0x7FFF == NFULA_PAYLOAD:
            return offset + 4
        offset += (length + 3) & ~3
    return None


LINK_PARSERS: dict[int, Callable[[bytes], LinkHeader]] = {
    0: parse_null,
    1: parse_ethernet,
    12: parse_raw_ip,
    14: parse_raw_ip,
    101: parse_raw_ip,
    108: parse_null,
    113: parse_sll,
    228: parse_raw_ip,
    229: parse_raw_ip,
    239: parse_nflog,
    276: parse_sll2,
}
