"""Build tests/data/modbus-new-master.pcap with scapy, deterministically.

Run ``python tests/data/make_modbus_new_master.py [OUTDIR]``. The slave
10.0.0.3 of modbus-devid-diag.pcap (the baseline) is commanded by:

- 10.0.0.9, a master it already had: Write Single Coil (FC5) answered, then
  Write Single Register (FC6) to address 900 answered with exception 2
  (illegal data address);
- 10.0.0.66, a new master: Write Single Register (FC6) and Write Multiple
  Registers (FC16), both answered.

Times, sequence numbers and IP ids are fixed, so the file is the same byte
for byte on every run.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import Ether
from scapy.packet import Packet, Raw
from scapy.utils import wrpcap

T0 = 1_700_100_000.0
SLAVE = ("10.0.0.3", "00:00:54:00:00:03")
KNOWN = ("10.0.0.9", "00:00:54:00:00:09")
NEW = ("10.0.0.66", "00:0c:29:00:00:66")


class Session:
    """One Modbus/TCP connection, handshake to close, with counters."""

    def __init__(self, client: tuple[str, str], sport: int, start: float) -> None:
        self.client, self.sport, self.time = client, sport, start
        self.cseq, self.sseq, self.tid = 1000, 5000, 0
        self.packets: list[Packet] = []

    def _add(self, from_client: bool, flags: str, data: bytes = b"") -> None:
        src, dst = (self.client, SLAVE) if from_client else (SLAVE, self.client)
        sport, dport = (self.sport, 502) if from_client else (502, self.sport)
        seq, ack = (self.cseq, self.sseq) if from_client else (self.sseq, self.cseq)
        ip_id = len(self.packets) + 1
        pkt = (
            Ether(src=src[1], dst=dst[1])
            / IP(src=src[0], dst=dst[0], id=ip_id)
            / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack)
        )
        if data:
            pkt = pkt / Raw(data)
        pkt.time = self.time
        self.packets.append(pkt)
        self.time += 0.01
        step = len(data) + (1 if "S" in flags or "F" in flags else 0)
        if from_client:
            self.cseq += step
        else:
            self.sseq += step

    def open(self) -> None:
        self._add(True, "S")
        self._add(False, "SA")
        self._add(True, "A")

    def exchange(self, request: bytes, response: bytes) -> None:
        """A request PDU (function code first) and its response, unit 1."""
        self.tid += 1
        for pdu, from_client in ((request, True), (response, False)):
            mbap = struct.pack(">HHHB", self.tid, 0, len(pdu) + 1, 1)
            self._add(from_client, "PA", mbap + pdu)

    def close(self) -> None:
        self._add(True, "FA")
        self._add(False, "FA")
        self._add(True, "A")


def build() -> list[Packet]:
    known = Session(KNOWN, 40001, T0)
    known.open()
    known.exchange(bytes.fromhex("050002ff00"), bytes.fromhex("050002ff00"))
    known.exchange(bytes.fromhex("060384002a"), bytes.fromhex("8602"))
    known.close()
    new = Session(NEW, 40002, T0 + 5)
    new.open()
    new.exchange(bytes.fromhex("060005007b"), bytes.fromhex("060005007b"))
    request = bytes.fromhex("10001000020400010002")
    new.exchange(request, bytes.fromhex("1000100002"))
    new.close()
    return known.packets + new.packets


def main(outdir: Path) -> None:
    wrpcap(str(outdir / "modbus-new-master.pcap"), build())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
