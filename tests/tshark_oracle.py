"""Run tshark's conversation and endpoint tables on a capture and parse them.

The tests compare icsgraph's sessions and hosts with what tshark 4.0 counts
(``tshark -n -q -z conv,tcp -z conv,udp -z endpoints,ip -z endpoints,ipv6``).
One tshark run fills all four tables; each section is found by its title.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SECTIONS = {
    "TCP Conversations": "tcp",
    "UDP Conversations": "udp",
    "IPv4 Endpoints": "ip",
    "IPv6 Endpoints": "ipv6",
}


@dataclass(frozen=True)
class Conversation:
    """One row of a conv table: two endpoints, frames and bytes each way.

    ``frames_a_to_b`` is tshark's "->" column (from the left endpoint).
    """

    a_ip: str
    a_port: int
    b_ip: str
    b_port: int
    frames_b_to_a: int
    frames_a_to_b: int


@dataclass(frozen=True)
class TsharkTables:
    """The four tables of one capture."""

    tcp: tuple[Conversation, ...]
    udp: tuple[Conversation, ...]
    ipv4: tuple[str, ...]
    ipv6: tuple[str, ...]

    @property
    def hosts(self) -> set[str]:
        """Every IPv4 and IPv6 endpoint address."""
        return set(self.ipv4) | set(self.ipv6)


def tshark_available() -> bool:
    """Whether a tshark binary is on PATH."""
    return shutil.which("tshark") is not None


def run_tables(path: Path) -> TsharkTables:
    """Run tshark once on ``path`` and parse its four tables.

    tshark exits 2 on a capture cut short but still prints the tables, so the
    exit status is not checked; an empty table is an empty tuple.
    """
    cmd = ["tshark", "-n", "-r", str(path), "-q"]
    for table in ("conv,tcp", "conv,udp", "endpoints,ip", "endpoints,ipv6"):
        cmd += ["-z", table]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    return parse_tables(out)


def parse_tables(text: str) -> TsharkTables:
    """Parse the text tshark prints for the four tables."""
    rows: dict[str, list[str]] = {name: [] for name in SECTIONS.values()}
    current: str | None = None
    for line in text.splitlines():
        title = line.strip()
        if title in SECTIONS:
            current = SECTIONS[title]
        elif line.startswith("=") or not title or current is None:
            continue
        elif "<->" in line or (current in ("ip", "ipv6") and line[0] not in " |F"):
            rows[current].append(line)
    return TsharkTables(
        tcp=tuple(parse_conversation(r) for r in rows["tcp"]),
        udp=tuple(parse_conversation(r) for r in rows["udp"]),
        ipv4=tuple(r.split()[0] for r in rows["ip"]),
        ipv6=tuple(r.split()[0] for r in rows["ipv6"]),
    )


def parse_conversation(line: str) -> Conversation:
    """Parse one ``A:port <-> B:port  frames bytes ...`` row."""
    left, right = line.split("<->")
    a_ip, a_port = left.strip().rsplit(":", 1)
    fields = right.split()
    b_ip, b_port = fields[0].rsplit(":", 1)
    numbers = [f for f in fields[1:] if f.isdigit()]
    return Conversation(
        a_ip=a_ip,
        a_port=int(a_port),
        b_ip=b_ip,
        b_port=int(b_port),
        frames_b_to_a=int(numbers[0]),
        frames_a_to_b=int(numbers[2]),
    )
