"""Test-only frame feeder: pcap → `Frame` → `ConversationBuilder`.

A minimal header parse (Ethernet, 802.1Q, Linux SLL, IPv4/IPv6, TCP/UDP) so
reassembly and extractors can be tested on real captures before the real
decoder and session tracker are wired in. Sessions are numbered per transport
in order of first appearance, as tshark numbers tcp.stream / udp.stream.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterator
from pathlib import Path

from scapy.utils import RawPcapReader

from icsgraph.ingest.reassembly import ConversationBuilder
from icsgraph.ingest.records import (
    TCP_ACK,
    TCP_FIN,
    TCP_RST,
    TCP_SYN,
    Conversation,
    Frame,
)


def _mac(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def _decode(number: int, time: float, link: int, data: bytes) -> Frame:
    base = {"number": number, "time": time, "wire_len": len(data), "link_type": link}
    if link == 113:
        ethertype, pos, macs = struct.unpack("!H", data[14:16])[0], 16, {}
    else:
        macs = {"dst_mac": _mac(data[0:6]), "src_mac": _mac(data[6:12])}
        ethertype, pos = struct.unpack("!H", data[12:14])[0], 14
        while ethertype in (0x8100, 0x88A8):
            ethertype = struct.unpack("!H", data[pos + 2 : pos + 4])[0]
            pos += 4
    if ethertype == 0x0800:
        ihl = (data[pos] & 0x0F) * 4
        total = struct.unpack("!H", data[pos + 2 : pos + 4])[0]
        proto = data[pos + 9]
        src = str(ipaddress.IPv4Address(data[pos + 12 : pos + 16]))
        dst = str(ipaddress.IPv4Address(data[pos + 16 : pos + 20]))
        end, pos = pos + total, pos + ihl
    elif ethertype == 0x86DD:
        plen, proto = struct.unpack("!HB", data[pos + 4 : pos + 7])
        src = str(ipaddress.IPv6Address(data[pos + 8 : pos + 24]))
        dst = str(ipaddress.IPv6Address(data[pos + 24 : pos + 40]))
        end, pos = pos + 40 + plen, pos + 40
    else:
        return Frame(**base, payload=data[pos:], **macs)  # type: ignore[arg-type]
    ip = {"src_ip": src, "dst_ip": dst, "ip_proto": proto, **macs}
    if proto == 6:
        sport, dport, seq, ack, off, flags = struct.unpack(
            "!HHIIBB", data[pos : pos + 14]
        )
        payload = data[pos + (off >> 4) * 4 : end]
        return Frame(
            **base,
            **ip,
            src_port=sport,
            dst_port=dport,
            tcp_seq=seq,  # type: ignore[arg-type]
            tcp_ack=ack,
            tcp_flags=flags,
            payload=payload,
        )
    if proto == 17:
        sport, dport = struct.unpack("!HH", data[pos : pos + 4])
        return Frame(
            **base, **ip, src_port=sport, dst_port=dport, payload=data[pos + 8 : end]
        )  # type: ignore[arg-type]
    return Frame(**base, **ip)  # type: ignore[arg-type]


def read_frames(path: str | Path) -> Iterator[Frame]:
    """Decode every packet of a pcap or pcapng file."""
    with RawPcapReader(str(path)) as reader:
        link = getattr(reader, "linktype", 1)
        for number, (data, meta) in enumerate(reader, start=1):
            if hasattr(meta, "tshigh"):
                scale = meta.tsresol or 1000000
                time = ((meta.tshigh << 32) | meta.tslow) / scale
                link = meta.linktype if hasattr(meta, "linktype") else link
            else:
                time = meta.sec + meta.usec / 1_000_000
            yield _decode(number, time, link, data)


def conversations(
    path: str | Path, cap: int = 1 << 20, frames: list[Frame] | None = None
) -> list[Conversation]:
    """Reassemble every TCP and UDP session of a capture, tshark-numbered."""
    sessions: dict[
        tuple[str, frozenset[tuple[str, int]]], tuple[ConversationBuilder, bool]
    ] = {}
    order: list[ConversationBuilder] = []
    counts = {"tcp": 0, "udp": 0}
    for frame in frames if frames is not None else read_frames(path):
        if (
            frame.ip_proto not in (6, 17)
            or frame.src_ip is None
            or frame.dst_ip is None
        ):
            continue
        assert frame.src_port is not None
        assert frame.dst_port is not None
        transport = "tcp" if frame.ip_proto == 6 else "udp"
        a, b = (frame.src_ip, frame.src_port), (frame.dst_ip, frame.dst_port)
        key = (transport, frozenset((a, b)))
        syn_only = frame.tcp_flags & (TCP_SYN | TCP_ACK) == TCP_SYN
        entry = sessions.get(key)
        if entry is None or (syn_only and entry[1]):
            builder = ConversationBuilder(transport, counts[transport], a, b)
            counts[transport] += 1
            order.append(builder)
            entry = sessions[key] = (builder, False)
        builder = entry[0]
        direction = "out" if a == builder.client else "in"
        builder.feed(frame, direction)
        if frame.tcp_flags & (TCP_FIN | TCP_RST):
            sessions[key] = (builder, True)
    return [builder.finish() for builder in order]


def make_conversation(
    turns: list[tuple[str, bytes]],
    port: int,
    transport: str = "tcp",
    protocol: str = "",
    index: int = 0,
    first_frame: int = 4,
    closed: tuple[str, ...] = (),
) -> Conversation:
    """A conversation from ``(direction, bytes)`` turns, one frame per turn.

    Frame numbers start at ``first_frame`` (4: after a handshake), one per
    turn, and a frame's time is its number + 96.0, so tests can name frames.
    Each direction in ``closed`` then sends a FIN, in a frame of its own.
    """
    builder = ConversationBuilder(
        transport, index, ("192.0.2.1", 50000), ("192.0.2.2", port), protocol
    )
    seqs = {"out": 1001, "in": 5001}
    for number, (direction, data) in enumerate(turns, start=first_frame):
        frame = Frame(
            number=number,
            time=96.0 + number,
            wire_len=len(data) + 54,
            link_type=1,
            tcp_flags=0x18,
            tcp_seq=seqs[direction],
            payload=data,
        )
        seqs[direction] += len(data)
        builder.feed(frame, direction)
    after = first_frame + len(turns)
    for number, direction in enumerate(closed, start=after):
        fin = Frame(
            number=number,
            time=96.0 + number,
            wire_len=54,
            link_type=1,
            tcp_flags=TCP_FIN | TCP_ACK,
            tcp_seq=seqs[direction],
        )
        builder.feed(fin, direction)
    return builder.finish()
