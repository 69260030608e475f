"""The fast path: decode the headers of every packet with struct.

`decode` never raises. A packet it cannot read to the end returns a `Frame`
with what was decoded and ``problem`` set; layers after the problem are left
empty (a TCP header cut short gives no ports, as tshark then makes no
conversation of it).

Choices made to count what tshark 4.0 counts:

- Only the first IPv4/IPv6 fragment carries ports.
- ICMP and ICMPv6 are not descended into, so the IP header an ICMP error
  quotes is never taken for an endpoint.
- Tunnels (IP-in-IP, IPv6-in-IP, GRE with IP or Ethernet inside): the inner
  IP and transport layers are the frame's; the outer addresses go to
  ``outer_ips``, since tshark's endpoint tables count every IP layer.

References: RFC 791 (IPv4), RFC 8200 (IPv6 and extension headers), RFC 4302
(AH), RFC 9293 (TCP), RFC 768 (UDP), RFC 2784/2890 (GRE).
"""

from __future__ import annotations

import socket
import struct

from icsgraph.ingest.fastrecord import fast_constructor
from icsgraph.ingest.layer2 import L2_PARSERS
from icsgraph.ingest.link import (
    ETH_IPV4,
    ETH_IPV6,
    LINK_PARSERS,
    LinkError,
    parse_ethernet,
)
from icsgraph.ingest.records import Frame, L2Info, RawPacket

PROTO_IPIP = 4
PROTO_TCP = 6
PROTO_UDP = 17
PROTO_IPV6 = 41
PROTO_GRE = 47
IPV6_EXTENSIONS = frozenset({0, 43, 60, 135, 139, 140})
IPV6_FRAGMENT = 44
IPV6_AH = 51
GRE_TEB = 0x6558
MAX_TUNNEL_DEPTH = 4

_IPV4 = struct.Struct("!BBHHHBBH4s4s")
_TCP = struct.Struct("!HHIIH")
_UDP = struct.Struct("!HHH")
_inet_ntoa = socket.inet_ntoa
_AF_INET6 = socket.AF_INET6
_inet_ntop = socket.inet_ntop
_ADDRESSES: dict[bytes, str] = {}
new_frame = fast_constructor(Frame)


class DecodeError(ValueError):
    """Decoding stopped; the message is the frame's ``problem``."""


class _Draft:
    """The mutable frame being decoded."""

    __slots__ = (
        "dst_ip",
        "dst_mac",
        "dst_port",
        "ip_proto",
        "ip_version",
        "l2",
        "outer_ips",
        "payload",
        "src_ip",
        "src_mac",
        "src_port",
        "tcp_ack",
        "tcp_flags",
        "tcp_seq",
        "vlans",
    )

    def __init__(self) -> None:
        self.src_mac: str | None = None
        self.dst_mac: str | None = None
        self.vlans: tuple[int, ...] = ()
        self.ip_version = 0
        self.src_ip: str | None = None
        self.dst_ip: str | None = None
        self.ip_proto: int | None = None
        self.src_port: int | None = None
        self.dst_port: int | None = None
        self.tcp_flags = 0
        self.tcp_seq = 0
        self.tcp_ack = 0
        self.payload = b""
        self.l2: L2Info | None = None
        self.outer_ips: tuple[str, ...] = ()


def decode(raw: RawPacket) -> Frame:
    """Decode the headers of one packet; never raises."""
    if raw.link_type == 1:
        frame = _decode_ether_ipv4(raw)
        if frame is not None:
            return frame
    draft = _Draft()
    problem: str | None = None
    data = raw.data
    parser = LINK_PARSERS.get(raw.link_type)
    try:
        if parser is None:
            raise DecodeError(f"unknown link type {raw.link_type}")
        else:
            link = parser(data)
            draft.src_mac, draft.dst_mac, draft.vlans = link[0], link[1], link[2]
            decode_network(draft, data, link.ethertype, link.offset, 0)
    except (DecodeError, LinkError) as exc:
        problem = str(exc)
    except (IndexError, struct.error):
        problem = "truncated header"
    return _to_frame(raw, draft, problem)


def _decode_ether_ipv4(raw: RawPacket) -> Frame | None:
    """The common case in one step: Ethernet, IPv4, whole TCP or UDP header.

    Returns None for anything else, which the general path then decodes.
    """
    data = raw.data
    if data[12:14] != b"\x08\x00" or len(data) < 54:
        return None
    vihl, _, total, _, frag, _, proto, _, src, dst = _IPV4.unpack_from(data, 14)
    if vihl != 0x45 or frag & 0x3FFF or total < 28 or proto not in (6, 17):
        return None  # options, fragments, other protocols: the general path
    end = 14 + total if 14 + total <= len(data) else len(data)
    src_ip = _ADDRESSES.get(src) or _address(src)
    dst_ip = _ADDRESSES.get(dst) or _address(dst)
    if proto == PROTO_TCP:
        sport, dport, seq, ack, offset_flags = _TCP.unpack_from(data, 34)
        start = 34 + (offset_flags >> 12) * 4
        if start < 54 or start > end:
            return None
        flags = offset_flags & 0xFF
    else:
        sport, dport, length = _UDP.unpack_from(data, 34)
        if length < 8:
            return None
        start, end, flags, seq, ack = 42, min(end, 34 + length), 0, 0, 0
    return new_frame((
        raw.number, raw.time, raw.wire_len, 1, data[6:12].hex(":"),
        data[0:6].hex(":"), (), 4, src_ip, dst_ip, proto, sport, dport, flags,
        seq, ack, data[start:end], None, None, (),
    ))  # fmt: skip


def _address(packed: bytes) -> str:
    """IPv4 text for 4 bytes, remembered (a capture has few addresses)."""
    text = _inet_ntoa(packed)
    if len(_ADDRESSES) >= 65536:
        _ADDRESSES.clear()
    _ADDRESSES[packed] = text
    return text


def _to_frame(raw: RawPacket, d: _Draft, problem: str | None) -> Frame:
    return new_frame(
        (
            raw.number,
            raw.time,
            raw.wire_len,
            raw.link_type,
            d.src_mac,
            d.dst_mac,
            d.vlans,
            d.ip_version,
            d.src_ip,
            d.dst_ip,
            d.ip_proto,
            d.src_port,
            d.dst_port,
            d.tcp_flags,
            d.tcp_seq,
            d.tcp_ack,
            d.payload,
            d.l2,
            problem,
            d.outer_ips,
        )
    )


def decode_network(d: _Draft, data: bytes, ethertype: int, at: int, depth: int) -> None:
    """Decode what an EtherType announces, from offset ``at``."""
    if ethertype == ETH_IPV4:
        decode_ipv4(d, data, at, depth)
    elif ethertype == ETH_IPV6:
        decode_ipv6(d, data, at, depth)
    elif ethertype in L2_PARSERS:
        d.l2 = L2_PARSERS[ethertype](data, at, d.src_mac)
        if d.l2 is not None and d.l2.protocol == "pn_dcp":
            d.payload = data[at:]  # from the frame id, for the identity extractor


def _set_addresses(d: _Draft, version: int, src: str, dst: str, proto: int) -> None:
    if d.src_ip is not None and d.dst_ip is not None:
        d.outer_ips += (d.src_ip, d.dst_ip)
    d.ip_version, d.src_ip, d.dst_ip, d.ip_proto = version, src, dst, proto


def decode_ipv4(d: _Draft, data: bytes, at: int, depth: int) -> None:
    """IPv4: addresses, protocol, then the first fragment's transport."""
    if len(data) < at + 20:
        raise DecodeError("truncated ipv4 header")
    vihl, _, total, _, frag, _, proto, _, src, dst = _IPV4.unpack_from(data, at)
    ihl = (vihl & 0x0F) * 4
    if vihl >> 4 != 4 or ihl < 20:
        raise DecodeError("bad ipv4 header")
    if len(data) < at + ihl:
        raise DecodeError("truncated ipv4 options")
    _set_addresses(d, 4, _inet_ntoa(src), _inet_ntoa(dst), proto)
    if frag & 0x1FFF:
        return
    end = at + total if ihl <= total and at + total <= len(data) else len(data)
    decode_ip_payload(d, data, at + ihl, end, proto, depth)


def decode_ipv6(d: _Draft, data: bytes, at: int, depth: int) -> None:
    """IPv6: addresses, then extension headers up to the transport."""
    if len(data) < at + 40:
        raise DecodeError("truncated ipv6 header")
    if data[at] >> 4 != 6:
        raise DecodeError("bad ipv6 header")
    length = struct.unpack_from("!H", data, at + 4)[0]
    src = _inet_ntop(_AF_INET6, data[at + 8 : at + 24])
    dst = _inet_ntop(_AF_INET6, data[at + 24 : at + 40])
    end = at + 40 + length if length and at + 40 + length <= len(data) else len(data)
    proto, offset = data[at + 6], at + 40
    while proto in IPV6_EXTENSIONS or proto in (IPV6_FRAGMENT, IPV6_AH):
        if offset + 8 > end:
            raise DecodeError("truncated ipv6 extension header")
        if proto == IPV6_FRAGMENT:
            if struct.unpack_from("!H", data, offset + 2)[0] >> 3:
                _set_addresses(d, 6, src, dst, data[offset])
                return
            size = 8
        elif proto == IPV6_AH:
            size = (data[offset + 1] + 2) * 4
        else:
            size = (data[offset + 1] + 1) * 8
        proto, offset = data[offset], offset + size
    _set_addresses(d, 6, src, dst, proto)
    decode_ip_payload(d, data, offset, end, proto, depth)


def decode_ip_payload(
    d: _Draft, data: bytes, at: int, end: int, proto: int, depth: int
) -> None:
    """Dispatch on the IP protocol number; ``end`` trims link padding."""
    if proto == PROTO_TCP:
        decode_tcp(d, data, at, end)
    elif proto == PROTO_UDP:
        decode_udp(d, data, at, end)
    elif depth >= MAX_TUNNEL_DEPTH:
        return
    elif proto == PROTO_IPIP:
        decode_ipv4(d, data[:end], at, depth + 1)
    elif proto == PROTO_IPV6:
        decode_ipv6(d, data[:end], at, depth + 1)
    elif proto == PROTO_GRE:
        decode_gre(d, data[:end], at, depth + 1)


def decode_tcp(d: _Draft, data: bytes, at: int, end: int) -> None:
    """TCP: ports, flags, sequence numbers and the payload inside ``end``."""
    if end < at + 20:
        raise DecodeError("truncated tcp header")
    sport, dport, seq, ack, offset_flags = _TCP.unpack_from(data, at)
    header = (offset_flags >> 12) * 4
    if header < 20:
        raise DecodeError("bad tcp header length")
    if end < at + header:
        raise DecodeError("truncated tcp options")
    d.src_port, d.dst_port = sport, dport
    d.tcp_flags, d.tcp_seq, d.tcp_ack = offset_flags & 0xFF, seq, ack
    d.payload = data[at + header : end]


def decode_udp(d: _Draft, data: bytes, at: int, end: int) -> None:
    """UDP: ports and the payload, trimmed to the UDP length."""
    if end < at + 8:
        raise DecodeError("truncated udp header")
    sport, dport, length = _UDP.unpack_from(data, at)
    if length < 8:
        raise DecodeError("bad udp length")
    d.src_port, d.dst_port = sport, dport
    d.payload = data[at + 8 : min(end, at + length)]


def decode_gre(d: _Draft, data: bytes, at: int, depth: int) -> None:
    """GRE version 0 carrying IPv4, IPv6 or Ethernet (TEB)."""
    flags, protocol = struct.unpack_from("!HH", data, at)
    if flags & 0x7:
        return  # version 1 (PPTP) carries PPP, not decoded
    at += 4 + 4 * bin(flags & 0xB000).count("1")  # checksum, key, sequence
    if protocol == GRE_TEB:
        inner = parse_ethernet(data[at:])
        decode_network(d, data[at:], inner.ethertype, inner.offset, depth)
    else:
        decode_network(d, data, protocol, at, depth)
