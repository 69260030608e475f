"""Build tests/data/tls-sni.pcap with scapy, deterministically.

Run ``python tests/data/make_tls_sni.py [OUTDIR]``. No shared capture has a
TLS server name, so this one does: client 10.40.0.5 opens two TLS sessions
to 10.40.0.9:443. The first ClientHello carries SNI ``plc-gw.plant.example``
and is split over two TCP segments (so the name is found only after
reassembly); the second names ``historian.plant.example`` in one segment.
The ServerHello answers are minimal; nothing is encrypted.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_captures import T0, Capture, Tcp

CLIENT = ("10.40.0.5", "02:00:00:00:04:05")
SERVER = ("10.40.0.9", "02:00:00:00:04:09")
NAMES = ("plc-gw.plant.example", "historian.plant.example")


def record(handshake_type: int, body: bytes) -> bytes:
    """One TLS 1.2 handshake record holding one handshake message."""
    message = bytes([handshake_type]) + len(body).to_bytes(3, "big") + body
    return struct.pack("!BHH", 22, 0x0303, len(message)) + message


def client_hello(name: str, seed: int) -> bytes:
    host = name.encode()
    entry = b"\x00" + struct.pack("!H", len(host)) + host
    sni = struct.pack("!HHH", 0, len(entry) + 2, len(entry)) + entry
    groups = struct.pack("!HHHH", 10, 4, 2, 0x001D)
    extensions = sni + groups
    body = (
        struct.pack("!H", 0x0303)
        + bytes((seed + i) % 256 for i in range(32))  # client random
        + b"\x00"  # no session id
        + struct.pack("!HHH", 4, 0xC02F, 0x009C)  # two cipher suites
        + b"\x01\x00"  # null compression
        + struct.pack("!H", len(extensions))
        + extensions
    )
    return record(1, body)


def server_hello(seed: int) -> bytes:
    body = (
        struct.pack("!H", 0x0303)
        + bytes((seed * 7 + i) % 256 for i in range(32))
        + b"\x00"
        + struct.pack("!HB", 0xC02F, 0)
        + struct.pack("!H", 0)
    )
    return record(2, body)


def tls_sni(path: Path) -> dict[str, int]:
    cap, layout = Capture(T0), {}
    for number, name in enumerate(NAMES):
        tcp = Tcp(cap, CLIENT, SERVER, 52000 + number, 443)
        tcp.open()
        hello = client_hello(name, number)
        if number == 0:  # split in the middle of the server name
            cut = hello.index(name.encode()) + 5
            layout["hello0_first"] = tcp.send("out", "A", hello[:cut])
            layout["hello0_last"] = tcp.send("out", "PA", hello[cut:])
        else:
            layout[f"hello{number}"] = tcp.send("out", "PA", hello)
        tcp.send("in", "PA", server_hello(number))
        tcp.close("out")
    cap.write(path)
    return layout


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for key, frame in tls_sni(target / "tls-sni.pcap").items():
        sys.stdout.write(f"{key}\t{frame}\n")
