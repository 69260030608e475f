"""The fast header decoder on packets built with scapy, one link type each."""

from __future__ import annotations

import random
import struct

import pytest
from scapy.contrib.mpls import MPLS
from scapy.layers.inet import GRE, ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
)
from scapy.layers.l2 import ARP, CookedLinux, Dot1AD, Dot1Q, Ether
from scapy.packet import Packet

from icsgraph.ingest.decode import decode
from icsgraph.ingest.records import TCP_ACK, TCP_SYN, Frame, RawPacket

SEGMENT = (
    IP(src="10.0.0.1", dst="10.0.0.2")
    / TCP(sport=40000, dport=502, flags="PA", seq=1000, ack=2000)
    / b"\x00\x01\x00\x00\x00\x06\x01\x03\x00\x00\x00\x01"
)
ETHER = Ether(src="00:0e:8c:00:00:01", dst="00:1d:9c:00:00:02")


def frame_of(data: bytes | Packet, link_type: int = 1) -> Frame:
    raw = bytes(data)
    return decode(RawPacket(1, 1.5, link_type, raw, len(raw)))


def assert_modbus_segment(frame: Frame) -> None:
    assert frame.problem is None
    assert (frame.src_ip, frame.dst_ip, frame.ip_proto) == ("10.0.0.1", "10.0.0.2", 6)
    assert (frame.src_port, frame.dst_port) == (40000, 502)
    assert (frame.tcp_seq, frame.tcp_ack) == (1000, 2000)
    assert frame.payload == b"\x00\x01\x00\x00\x00\x06\x01\x03\x00\x00\x00\x01"


def test_ethernet() -> None:
    frame = frame_of(ETHER / SEGMENT)

    assert_modbus_segment(frame)
    assert frame.src_mac == "00:0e:8c:00:00:01"
    assert frame.dst_mac == "00:1d:9c:00:00:02"


def test_ethernet_padding_is_not_payload() -> None:
    small = ETHER / IP(src="10.0.0.1", dst="10.0.0.2") / TCP(flags="A") / b"hi"
    padded = bytes(small) + b"\x00" * 6

    frame = frame_of(padded)

    assert frame.payload == b"hi"


def test_qinq_and_vlan_ids() -> None:
    packet = ETHER / Dot1AD(vlan=100) / Dot1Q(vlan=7) / SEGMENT

    frame = frame_of(packet)

    assert_modbus_segment(frame)
    assert frame.vlans == (100, 7)


def test_legacy_9100_tag() -> None:
    packet = Ether(type=0x9100) / Dot1Q(vlan=12) / SEGMENT

    frame = frame_of(packet)

    assert_modbus_segment(frame)
    assert frame.vlans == (12,)


def test_mpls_label_stack() -> None:
    packet = ETHER / MPLS(label=16, s=0) / MPLS(label=17, s=1) / SEGMENT

    assert_modbus_segment(frame_of(packet))


def test_linux_cooked_v1() -> None:
    packet = CookedLinux(lladdrtype=1, lladdrlen=6, src=b"\x00\x0e\x8c\x00\x00\x01")

    frame = frame_of(bytes(packet / SEGMENT), 113)

    assert_modbus_segment(frame)
    assert frame.src_mac == "00:0e:8c:00:00:01"


def test_linux_cooked_v2() -> None:
    header = struct.pack("!HHIHBB", 0x0800, 0, 3, 1, 0, 6) + bytes.fromhex(
        "000e8c0000010000"
    )

    frame = frame_of(header + bytes(SEGMENT), 276)

    assert_modbus_segment(frame)
    assert frame.src_mac == "00:0e:8c:00:00:01"


@pytest.mark.parametrize("link_type", [101, 12, 14, 228])
def test_raw_ipv4(link_type: int) -> None:
    assert_modbus_segment(frame_of(SEGMENT, link_type))


def test_raw_ipv6() -> None:
    packet = IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=5353, dport=53)

    frame = frame_of(packet, 229)

    assert (frame.src_ip, frame.dst_ip) == ("2001:db8::1", "2001:db8::2")
    assert (frame.src_port, frame.dst_port) == (5353, 53)


@pytest.mark.parametrize(
    ("link_type", "header"),
    [
        (0, struct.pack("<I", 2)),  # little-endian host
        (0, struct.pack(">I", 2)),  # big-endian host
        (108, struct.pack(">I", 2)),  # OpenBSD loop, network order
    ],
)
def test_null_and_loop(link_type: int, header: bytes) -> None:
    assert_modbus_segment(frame_of(header + bytes(SEGMENT), link_type))


def test_null_ipv6_family() -> None:
    packet = IPv6(src="::1", dst="::1") / TCP(sport=1, dport=2)

    frame = frame_of(struct.pack("<I", 30) + bytes(packet), 0)

    assert frame.src_ip == "::1"
    assert frame.dst_port == 2


def nflog_tlv(kind: int, value: bytes) -> bytes:
    tlv = struct.pack("<HH", 4 + len(value), kind) + value
    return tlv + b"\x00" * (-len(tlv) % 4)


def test_nflog_walks_tlvs_to_the_payload() -> None:
    header = bytes([2, 0, 0, 0])
    tlvs = nflog_tlv(1, b"\x08\x00\x01\x00") + nflog_tlv(10, b"prefix\x00")
    data = header + tlvs + nflog_tlv(9, bytes(SEGMENT))

    assert_modbus_segment(frame_of(data, 239))


def test_ipv4_options_are_skipped() -> None:
    packet = IP(src="10.0.0.1", dst="10.0.0.2", options=b"\x01\x01\x01\x00") / TCP(
        sport=40000, dport=502, flags="S"
    )

    frame = frame_of(packet, 101)

    assert frame.dst_port == 502
    assert frame.tcp_flags == TCP_SYN


def test_only_first_fragment_has_ports() -> None:
    first = IP(src="10.0.0.1", dst="10.0.0.2", flags="MF", frag=0) / UDP(
        sport=1, dport=2
    )
    later = IP(src="10.0.0.1", dst="10.0.0.2", proto=17, frag=100) / (b"x" * 16)

    assert frame_of(first, 101).dst_port == 2
    assert frame_of(later, 101).dst_port is None
    assert frame_of(later, 101).src_ip == "10.0.0.1"


def test_ipv6_extension_headers() -> None:
    packet = (
        IPv6(src="fe80::1", dst="fe80::2")
        / IPv6ExtHdrHopByHop()
        / IPv6ExtHdrDestOpt()
        / IPv6ExtHdrFragment(offset=0, m=1)
        / TCP(sport=1234, dport=80, flags="SA")
    )

    frame = frame_of(packet, 229)

    assert (frame.ip_proto, frame.src_port, frame.dst_port) == (6, 1234, 80)
    assert frame.tcp_flags == TCP_SYN | TCP_ACK


def test_ipv6_later_fragment_has_no_ports() -> None:
    packet = (
        IPv6(src="fe80::1", dst="fe80::2")
        / IPv6ExtHdrFragment(offset=10, nh=17)
        / (b"y" * 24)
    )

    frame = frame_of(packet, 229)

    assert frame.src_port is None
    assert frame.ip_proto == 17


def test_icmp_error_quote_is_not_an_endpoint() -> None:
    quoted = IP(src="10.9.9.9", dst="10.8.8.8") / UDP(sport=5000, dport=53)
    packet = IP(src="10.0.0.254", dst="10.0.0.1") / ICMP(type=3, code=3) / quoted

    frame = frame_of(packet, 101)

    assert (frame.src_ip, frame.dst_ip, frame.ip_proto) == ("10.0.0.254", "10.0.0.1", 1)
    assert frame.src_port is None
    assert frame.outer_ips == ()


def test_ip_in_ip_keeps_outer_addresses() -> None:
    packet = IP(src="192.0.2.1", dst="192.0.2.2") / SEGMENT

    frame = frame_of(packet, 101)

    assert_modbus_segment(frame)
    assert frame.outer_ips == ("192.0.2.1", "192.0.2.2")


def test_gre_keyed_tunnel() -> None:
    packet = IP(src="192.0.2.1", dst="192.0.2.2") / GRE(key_present=1, key=5) / SEGMENT

    frame = frame_of(ETHER / packet)

    assert_modbus_segment(frame)
    assert frame.outer_ips == ("192.0.2.1", "192.0.2.2")


def test_arp_claim() -> None:
    packet = Ether(src="00:0e:8c:00:00:01", dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc="00:0e:8c:00:00:01", psrc="10.0.0.5", pdst="10.0.0.6"
    )

    frame = frame_of(packet)

    assert frame.l2 is not None
    assert (frame.l2.protocol, frame.l2.mac, frame.l2.ip) == (
        "arp",
        "00:0e:8c:00:00:01",
        "10.0.0.5",
    )


def test_lldp_system_name_and_management_address() -> None:
    chassis = struct.pack("!HB", (1 << 9) | 7, 4) + bytes.fromhex("000e8c000001")
    name = b"plc-cell-3"
    sysname = struct.pack("!H", (5 << 9) | len(name)) + name
    mgmt_value = bytes([5, 1]) + bytes([10, 0, 0, 7]) + b"\x02\x00\x00\x00\x01\x00"
    mgmt = struct.pack("!H", (8 << 9) | len(mgmt_value)) + mgmt_value
    body = chassis + sysname + mgmt + b"\x00\x00"
    packet = bytes(Ether(src="00:0e:8c:00:00:01", dst="01:80:c2:00:00:0e", type=0x88CC))

    frame = frame_of(packet + body)

    assert frame.l2 is not None
    assert (frame.l2.protocol, frame.l2.name, frame.l2.ip) == (
        "lldp",
        "plc-cell-3",
        "10.0.0.7",
    )


def test_profinet_dcp_identify_response() -> None:
    name = b"et200sp"
    name_block = struct.pack("!BBHH", 2, 2, 2 + len(name), 0) + name + b"\x00"
    ip_block = struct.pack("!BBHH", 1, 2, 14, 1) + bytes([10, 0, 0, 9]) + bytes(8)
    blocks = name_block + ip_block
    dcp = struct.pack("!HBBIHH", 0xFEFF, 5, 1, 7, 0, len(blocks)) + blocks
    head = bytes(Ether(src="00:0e:8c:00:00:09", dst="00:1d:9c:00:00:02", type=0x8892))

    frame = frame_of(head + dcp)

    assert frame.l2 is not None
    assert (frame.l2.protocol, frame.l2.name, frame.l2.ip) == (
        "pn_dcp",
        "et200sp",
        "10.0.0.9",
    )


def test_goose_publisher() -> None:
    ref = b"IED1LD0/LLN0$GO$gcb1"
    pdu = bytes([0x61, len(ref) + 2, 0x80, len(ref)]) + ref
    goose = struct.pack("!HHHH", 1, 8 + len(pdu), 0, 0) + pdu
    head = bytes(Ether(src="00:0e:8c:00:00:0a", dst="01:0c:cd:01:00:01", type=0x88B8))

    frame = frame_of(head + goose)

    assert frame.l2 is not None
    assert (frame.l2.protocol, frame.l2.name) == ("goose", ref.decode())


def test_truncated_tcp_header_keeps_ip() -> None:
    data = bytes(ETHER / SEGMENT)[: 14 + 20 + 10]

    frame = frame_of(data)

    assert frame.problem == "truncated tcp header"
    assert frame.src_ip == "10.0.0.1"
    assert frame.src_port is None


def test_bogus_tcp_header_length() -> None:
    data = bytearray(bytes(SEGMENT))
    data[20 + 12] = 0x30  # data offset 3 words

    frame = frame_of(bytes(data), 101)

    assert frame.problem == "bad tcp header length"
    assert frame.src_port is None


def test_bad_ihl() -> None:
    data = bytearray(bytes(SEGMENT))
    data[0] = 0x43

    assert frame_of(bytes(data), 101).problem == "bad ipv4 header"


def test_unknown_link_type() -> None:
    frame = frame_of(b"\x00" * 40, 147)

    assert frame.problem == "unknown link type 147"
    assert frame.src_ip is None


def test_random_bytes_never_raise() -> None:
    rng = random.Random(7)
    base = bytes(ETHER / SEGMENT)
    for _ in range(3000):
        data = bytearray(base[: rng.randrange(len(base) + 1)])
        for _ in range(rng.randrange(4)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        link_type = rng.choice([0, 1, 101, 113, 239, 276, 229])

        frame = frame_of(bytes(data), link_type)

        assert frame.number == 1


def test_fast_frames_equal_frames_built_the_usual_way() -> None:
    frame = frame_of(ETHER / SEGMENT)
    values = {name: getattr(frame, name) for name in Frame.__dataclass_fields__}

    assert frame == Frame(**values)
    assert hash(frame) == hash(Frame(**values))
    with pytest.raises(AttributeError):
        frame.number = 2  # type: ignore[misc]
