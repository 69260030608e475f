"""Build the small test captures of tests/data with scapy, deterministically.

Run ``python tests/data/make_captures.py [OUTDIR]``. Times are fixed, IP ids
and sequence numbers come from counters, nothing is random, so the files are
the same byte for byte on every run (a test checks it).

- plc-scan-replay.pcap: the case of issue #3. Scanner 10.10.10.66 probes a
  Moxa EDS-516A switch at 10.10.10.20 on 27 TCP ports in one minute (Telnet
  banner and logins, SSH, an HTTP OPTIONS probe, JDWP on 4000 and 4001,
  resets and closes elsewhere), then 12 controllers on Modbus, S7 and
  EtherNet/IP within 30 seconds, reading the Modbus device identification of
  one and the EtherNet/IP identity of another.
- xss-banner.pcap: a Telnet banner and an HTTP Server header carrying HTML.
- gap-cut.pcap: a stream with a segment missing from the capture (the peer
  acknowledged it), one frame truncated by the snap length, and a stream cut
  short with no close.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import Ether
from scapy.packet import Packet, Raw

T0 = 1_700_000_000.0
SCANNER = ("10.10.10.66", "00:0c:29:3e:aa:66")
MOXA = ("10.10.10.20", "00:90:e8:27:8c:37")
GATEWAY_MAC = "00:1b:1b:00:00:01"
MOXA_PORTS_CLOSED = (
    21,
    25,
    53,
    102,
    110,
    135,
    139,
    161,
    443,
    445,
    502,
    514,
    1433,
    1911,
    2404,
    3389,
    5900,
    8080,
    8443,
    44818,
)
IAC = 0xFF


class Capture:
    """Packets with their capture times, written as a classic pcap."""

    def __init__(self, start: float) -> None:
        self.time = start
        self.records: list[tuple[float, bytes, int]] = []  # time, bytes, wire length
        self.ip_id = 1

    def add(self, packet: Packet, gap: float = 0.01, snap: int | None = None) -> int:
        """Append a packet ``gap`` seconds after the previous one; its frame number."""
        self.time = round(self.time + gap, 6)
        data = bytes(packet)
        self.records.append((self.time, data[:snap] if snap else data, len(data)))
        return len(self.records)

    def write(self, path: Path) -> None:
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
        for time, data, wire in self.records:
            seconds = int(time)
            micros = round((time - seconds) * 1_000_000)
            out.append(struct.pack("<IIII", seconds, micros, len(data), wire) + data)
        path.write_bytes(b"".join(out))


class Tcp:
    """One TCP connection with correct sequence and acknowledgement numbers."""

    def __init__(
        self,
        cap: Capture,
        client: tuple[str, str],
        server: tuple[str, str],
        cport: int,
        sport: int,
    ) -> None:
        self.cap, self.ends = cap, {"out": client, "in": server}
        self.ports = {"out": (cport, sport), "in": (sport, cport)}
        self.seq = {"out": 1000 * cport % 2**32, "in": 7_000_000 + 1000 * sport}

    def packet(self, direction: str, flags: str, data: bytes = b"") -> Packet:
        src, dst = (
            self.ends[direction],
            self.ends["in" if direction == "out" else "out"],
        )
        sport, dport = self.ports[direction]
        other = "in" if direction == "out" else "out"
        ack = self.seq[other] if "A" in flags else 0
        self.cap.ip_id += 1
        layer = TCP(
            sport=sport,
            dport=dport,
            seq=self.seq[direction],
            ack=ack,
            flags=flags,
            window=8192,
        )
        packet = (
            Ether(src=src[1], dst=dst[1])
            / IP(
                src=src[0],
                dst=dst[0],
                id=self.cap.ip_id,
                ttl=64 if direction == "out" else 255,
            )
            / layer
        )
        return packet / Raw(data) if data else packet

    def send(
        self,
        direction: str,
        flags: str,
        data: bytes = b"",
        gap: float = 0.01,
        snap: int | None = None,
        lost: bool = False,
    ) -> int:
        """Send a segment; a ``lost`` one advances the sequence but is not captured."""
        packet = self.packet(direction, flags, data)
        self.seq[direction] = (
            self.seq[direction] + len(data) + ("S" in flags) + ("F" in flags)
        ) % 2**32
        return 0 if lost else self.cap.add(packet, gap, snap)

    def open(self) -> int:
        first = self.send("out", "S", gap=0.05)
        self.send("in", "SA")
        self.send("out", "A")
        return first

    def refused(self) -> int:
        first = self.send("out", "S", gap=0.05)
        self.seq["in"] = 0
        self.send("in", "RA")
        return first

    def close(self, first: str = "out") -> None:
        other = "in" if first == "out" else "out"
        self.send(first, "FA")
        self.send(other, "FA")
        self.send(first, "A")


def iac(*codes: int) -> bytes:
    return bytes(codes)


MOXA_BANNER = (
    b"\r\n\r\nMoxa EtherDevice Switch EDS-516A\r\n"
    b"Model name       : EDS-516A\r\n"
    b"Firmware Version : V2.6\r\n"
    b"Serial No.       : 09404\r\n"
    b"MAC Address      : 00-90-E8-27-8C-37\r\n"
    b"IP Address       : 10.10.10.20\r\n\r\n"
)
PROMPT = b"Account [admin/user]: "


def moxa_telnet(cap: Capture, layout: dict[str, int]) -> None:
    """Negotiation, banner, a failed login as user, a good one as admin."""
    tcp = Tcp(cap, SCANNER, MOXA, 40023, 23)
    layout["telnet_syn"] = tcp.open()
    tcp.send("in", "PA", iac(IAC, 0xFD, 0x18, IAC, 0xFB, 0x01, IAC, 0xFB, 0x03))
    tcp.send("out", "PA", iac(IAC, 0xFB, 0x18, IAC, 0xFD, 0x01, IAC, 0xFD, 0x03))
    tcp.send("in", "PA", iac(IAC, 0xFA, 0x18, 0x01, IAC, 0xF0))
    tcp.send("out", "PA", iac(IAC, 0xFA, 0x18, 0x00) + b"ANSI" + iac(IAC, 0xF0))
    layout["telnet_banner"] = tcp.send("in", "PA", MOXA_BANNER)
    layout["telnet_prompt1"] = tcp.send("in", "PA", PROMPT)
    for char in b"user":  # typed one key at a time, echoed by the switch
        frame = tcp.send("out", "PA", bytes([char]))
        layout.setdefault("telnet_user_first", frame)
        tcp.send("in", "PA", bytes([char]))
    tcp.send("out", "PA", b"\r\x00")
    layout["telnet_password_prompt1"] = tcp.send("in", "PA", b"\r\nPassword: ")
    layout["telnet_password1"] = tcp.send("out", "PA", b"Hadmin\r\x00")
    layout["telnet_failed"] = tcp.send(
        "in", "PA", b"\r\nLogin incorrect!\r\n\r\n" + PROMPT
    )
    layout["telnet_user2"] = tcp.send("out", "PA", b"admin\r\x00")
    tcp.send("in", "PA", b"admin\r\nPassword: ")
    layout["telnet_password2"] = tcp.send("out", "PA", b"Hadmin\r\x00")
    layout["telnet_menu"] = tcp.send(
        "in",
        "PA",
        b"\r\n[Main Menu]\r\n  (1) Basic Settings\r\n  (2) Port Settings\r\n",
    )
    tcp.close("out")


def moxa_ssh(cap: Capture, layout: dict[str, int]) -> None:
    tcp = Tcp(cap, SCANNER, MOXA, 40022, 22)
    tcp.open()
    layout["ssh_server"] = tcp.send("in", "PA", b"SSH-2.0-dropbear_0.52\r\n")
    layout["ssh_client"] = tcp.send("out", "PA", b"SSH-2.0-PuTTY_Release_0.60\r\n")
    kexinit = struct.pack("!IBB", 44, 6, 20) + bytes(range(16)) + b"\x00" * 26
    tcp.send("out", "PA", kexinit)
    tcp.send("in", "PA", kexinit)
    tcp.close("out")


def moxa_http(cap: Capture, layout: dict[str, int]) -> None:
    tcp = Tcp(cap, SCANNER, MOXA, 40080, 80)
    tcp.open()
    layout["http_request"] = tcp.send(
        "out",
        "PA",
        (
            b"OPTIONS / HTTP/1.1\r\nHost: 10.10.10.20\r\n"
            b"User-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine)\r\n"
            b"Connection: close\r\n\r\n"
        ),
    )
    layout["http_response"] = tcp.send(
        "in",
        "PA",
        (
            b"HTTP/1.1 200 OK\r\nServer: GoAhead-Webs\r\n"
            b"Allow: GET, HEAD, POST, OPTIONS\r\nContent-Length: 0\r\n"
            b"Connection: close\r\n\r\n"
        ),
    )
    tcp.close("in")


def moxa_jdwp(cap: Capture, layout: dict[str, int], port: int) -> None:
    tcp = Tcp(cap, SCANNER, MOXA, 40000 + port % 1000 + 100, port)
    tcp.open()
    layout[f"jdwp{port}_request"] = tcp.send("out", "PA", b"JDWP-Handshake")
    layout[f"jdwp{port}_reply"] = tcp.send("in", "PA", b"JDWP-Handshake")
    tcp.close("out")


def controllers(cap: Capture, layout: dict[str, int]) -> None:
    """12 controllers in 30 seconds; two answer identity requests."""
    for number in range(12):
        ip = f"10.10.10.{101 + number}"
        host = (ip, f"00:80:f4:00:00:{101 + number:02x}")
        port = (502, 102, 44818)[number // 4]
        tcp = Tcp(cap, SCANNER, host, 41000 + number, port)
        tcp.open()
        if number == 0:
            tcp.send("out", "PA", bytes.fromhex("000100000005012b0e0100"))
            layout["modbus_devid"] = tcp.send("in", "PA", modbus_devid())
        if number == 8:
            tcp.send("out", "PA", struct.pack("<HHII8sI", 0x63, 0, 0, 0, b"\0" * 8, 0))
            layout["enip_identity"] = tcp.send("in", "PA", enip_identity())
        tcp.send("out", "RA")
        cap.time += 2.0


def modbus_devid() -> bytes:
    objects = [(0, b"Schneider Electric"), (1, b"BMX P34 2020"), (2, b"v2.7")]
    body = b"".join(bytes([i, len(v)]) + v for i, v in objects)
    pdu = bytes([0x2B, 0x0E, 0x01, 0x01, 0x00, 0x00, len(objects)]) + body
    return struct.pack("!HHHB", 1, 0, len(pdu) + 1, 1) + pdu


def enip_identity() -> bytes:
    name = b"1756-L61/B LOGIX5561"
    item = (
        struct.pack("<H", 1)
        + struct.pack(">HH4s8s", 2, 44818, bytes([10, 10, 10, 109]), b"\0" * 8)
        + struct.pack("<HHHBBHI", 1, 14, 54, 20, 11, 0x0030, 0x60A1B2C3)
        + bytes([len(name)])
        + name
        + b"\x03"
    )
    data = struct.pack("<HHH", 1, 0x0C, len(item)) + item
    return struct.pack("<HHII8sI", 0x63, len(data), 0, 0, b"\0" * 8, 0) + data


def plc_scan(path: Path) -> dict[str, int]:
    cap, layout = Capture(T0), {}
    for port in (21, 25, 53):
        Tcp(cap, SCANNER, MOXA, 40000 + port, port).refused()
    moxa_ssh(cap, layout)
    moxa_telnet(cap, layout)
    moxa_http(cap, layout)
    for port in MOXA_PORTS_CLOSED[3:]:
        Tcp(cap, SCANNER, MOXA, 40000 + port % 1000 + 200, port).refused()
    moxa_jdwp(cap, layout, 4000)
    moxa_jdwp(cap, layout, 4001)
    for port, closer in ((7001, "FA"), (20000, "RA")):
        tcp = Tcp(cap, SCANNER, MOXA, 40000 + port % 1000 + 300, port)
        tcp.open()
        tcp.send("in", closer)
    cap.time = T0 + 61.0
    controllers(cap, layout)
    cap.write(path)
    return layout


def xss_banner(path: Path) -> None:
    cap = Capture(T0)
    client, server = (
        ("10.20.0.5", "02:00:00:00:00:05"),
        ("10.20.0.9", "02:00:00:00:00:09"),
    )
    tcp = Tcp(cap, client, server, 50023, 23)
    tcp.open()
    tcp.send("in", "PA", b"<script>window.pwned=1</script>\r\nlogin: ")
    tcp.close("out")
    tcp = Tcp(cap, client, server, 50080, 80)
    tcp.open()
    tcp.send("out", "PA", b"GET / HTTP/1.1\r\nHost: 10.20.0.9\r\n\r\n")
    tcp.send(
        "in",
        "PA",
        b'HTTP/1.1 200 OK\r\nServer: <img src=x onerror="window.pwned=1">'
        b"\r\nContent-Length: 0\r\n\r\n",
    )
    tcp.close("out")
    cap.write(path)


def gap_cut(path: Path) -> None:
    cap = Capture(T0)
    client, server = (
        ("10.30.0.5", "02:00:00:00:01:05"),
        ("10.30.0.9", "02:00:00:00:01:09"),
    )
    tcp = Tcp(cap, client, server, 51000, 2000)
    tcp.open()
    tcp.send("in", "PA", b"HELLO first part\r\n")
    tcp.send("in", "PA", b"this segment is not in the capture\r\n", lost=True)
    tcp.send("in", "PA", b"third part\r\n")
    tcp.send("out", "A")  # acknowledges the lost segment too
    tcp.send("in", "PA", b"fourth part, truncated by the snap length\r\n", snap=54 + 11)
    tcp.send("in", "PA", b"fifth part\r\n")
    tcp.close("out")
    tcp = Tcp(cap, client, server, 51001, 2000)
    tcp.open()
    tcp.send("out", "PA", b"STATUS\r\n")
    tcp.send("in", "PA", b"status: running, the rest never came")
    cap.write(path)


def main(outdir: Path) -> dict[str, int]:
    outdir.mkdir(parents=True, exist_ok=True)
    layout = plc_scan(outdir / "plc-scan-replay.pcap")
    xss_banner(outdir / "xss-banner.pcap")
    gap_cut(outdir / "gap-cut.pcap")
    return layout


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for key, frame in main(target).items():
        sys.stdout.write(f"{key}\t{frame}\n")
