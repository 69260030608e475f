"""Build the small link-type captures the tshark parity test also checks.

Run ``python tests/data/build_linktype_captures.py`` to rewrite them; the
output is deterministic (fixed times, fixed sequence numbers). Each file has
the same traffic mix behind a different link layer: a TCP session whose
4-tuple is reused with a new ISN, a UDP exchange, an ICMP port-unreachable
quoting a third address, IPv6 with extension headers, and tunnels (IP-in-IP
and GRE) whose outer addresses tshark lists as endpoints.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from scapy.contrib.mpls import MPLS
from scapy.layers.inet import GRE, ICMP, IP, TCP, UDP
from scapy.layers.inet6 import IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop
from scapy.layers.l2 import Dot1AD, Dot1Q, Ether
from scapy.packet import Packet

HERE = Path(__file__).resolve().parent
A, B = "10.1.0.1", "10.1.0.2"
DNS_QUERY = b"\x12\x34\x01\x00\x00\x01" + bytes(6)


def traffic() -> list[Packet]:
    """The network-layer packets every capture carries."""
    packets: list[Packet] = []
    for isn in (1000, 9000):
        packets += [
            IP(src=A, dst=B) / TCP(sport=40001, dport=502, flags="S", seq=isn),
            IP(src=B, dst=A)
            / TCP(sport=502, dport=40001, flags="SA", seq=5, ack=isn + 1),
            IP(src=A, dst=B)
            / TCP(sport=40001, dport=502, flags="PA", seq=isn + 1, ack=6)
            / bytes.fromhex("000100000006010300000001"),
            IP(src=A, dst=B) / TCP(sport=40001, dport=502, flags="R", seq=isn + 13),
        ]
    quoted = IP(src=B, dst="10.1.0.99") / UDP(sport=5000, dport=161)
    packets += [
        IP(src=A, dst=B) / UDP(sport=5353, dport=53) / DNS_QUERY,
        IP(src=B, dst=A) / ICMP(type=3, code=3) / quoted,
        IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrHopByHop()
        / IPv6ExtHdrDestOpt() / TCP(sport=40002, dport=80, flags="S", seq=7),
        IP(src="192.0.2.1", dst="192.0.2.2") / IP(src=A, dst="10.1.0.3")
        / UDP(sport=1000, dport=2000) / b"ipip",
        IP(src="192.0.2.1", dst="192.0.2.2") / GRE() / IP(src=A, dst="10.1.0.4")
        / TCP(sport=40003, dport=102, flags="S", seq=3),
    ]  # fmt: skip
    return packets


def ethernet(packet: Packet) -> bytes:
    kind = 0x86DD if packet.version == 6 else 0x0800
    return bytes(
        Ether(src="00:0e:8c:00:00:01", dst="00:1d:9c:00:00:02", type=kind) / packet
    )


def qinq_mpls(packet: Packet) -> bytes:
    outer = Ether(src="00:0e:8c:00:00:01", dst="00:1d:9c:00:00:02")
    if packet.version == 6:
        return bytes(outer / Dot1AD(vlan=100) / Dot1Q(vlan=7) / packet)
    return bytes(outer / Dot1Q(vlan=7) / MPLS(label=16, s=1) / packet)


def sll2(packet: Packet) -> bytes:
    kind = 0x86DD if packet.version == 6 else 0x0800
    header = struct.pack("!HHIHBB", kind, 0, 2, 1, 0, 6)
    return header + bytes.fromhex("000e8c0000010000") + bytes(packet)


def null(packet: Packet) -> bytes:
    family = 30 if packet.version == 6 else 2
    return struct.pack("<I", family) + bytes(packet)


def nflog(packet: Packet) -> bytes:
    family = 10 if packet.version == 6 else 2
    payload = bytes(packet)
    prefix = struct.pack("<HH", 8, 10) + b"ics\x00"
    tlv = struct.pack("<HH", 4 + len(payload), 9) + payload
    return bytes([family, 0, 0, 0]) + prefix + tlv + b"\x00" * (-len(tlv) % 4)


CAPTURES: dict[str, tuple[int, Callable[[Packet], bytes]]] = {
    "linktype-ethernet.pcap": (1, ethernet),
    "linktype-qinq-mpls.pcap": (1, qinq_mpls),
    "linktype-sll2.pcap": (276, sll2),
    "linktype-null.pcap": (0, null),
    "linktype-nflog.pcap": (239, nflog),
}


def write_pcap(path: Path, link_type: int, frames: list[bytes]) -> None:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link_type)
    for number, data in enumerate(frames):
        out += struct.pack("<IIII", 1_700_000_000 + number, 0, len(data), len(data))
        out += data
    path.write_bytes(out)


def main() -> None:
    packets = traffic()
    for name, (link_type, frame) in CAPTURES.items():
        write_pcap(HERE / name, link_type, [frame(p) for p in packets])


if __name__ == "__main__":
    main()
