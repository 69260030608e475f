"""Plain records the map and the flow graph are drawn from.

The graph readers turn Cypher rows into these; the renderers never see the
database. Every string here may come from a packet (a banner, a vendor name
from LLDP, a file name) and is treated as untrusted text by the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = (
    "controller",
    "hmi",
    "engineering",
    "switch",
    "server",
    "scanner",
    "internet",
    "unknown",
)
"""Roles the map knows how to draw; any other value is drawn as ``unknown``."""

BADGE_KINDS = ("alert", "finding", "credential", "file", "technique")
"""Badge kinds, in the order the side panel lists them."""

OUTCOMES = ("answered", "rejected", "unanswered")
"""How the sessions of one edge ended: established/closed count as answered."""


@dataclass(frozen=True, slots=True)
class Badge:
    """Something an analyst should see on a node, with the sessions behind it.

    ``kind`` is one of :data:`BADGE_KINDS`; ``label`` is short (a rule name,
    an ATT&CK id such as ``T0843``, a file name, a user name), ``detail`` a
    longer free text. ``sessions`` are Session keys to follow.
    """

    kind: str
    label: str
    detail: str = ""
    sessions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MapNode:
    """One device: a Host, or a Mac seen only at layer 2 (``layer2_only``).

    ``key`` is unique within a map (Host.key, or the MAC address for a
    layer-2-only device) and is what edges and ``focus`` refer to.
    ``address`` is the IP, or the MAC when the device has no IP. ``zone`` is a
    zone name or a Purdue level (``"L0"`` .. ``"L5"``, ``"DMZ"``); nodes are
    grouped by it.
    """

    key: str
    address: str
    role: str = "unknown"
    macs: tuple[str, ...] = ()
    vendor: str | None = None
    model: str | None = None
    name: str | None = None
    zone: str | None = None
    layer2_only: bool = False
    banners: tuple[str, ...] = ()
    badges: tuple[Badge, ...] = ()


@dataclass(frozen=True, slots=True)
class MapEdge:
    """Sessions from one host to another over one protocol, with one outcome.

    The reader groups sessions by (client, server, protocol, outcome), so a
    scan shows as many dashed edges beside the answered ones. ``outcome`` is
    one of :data:`OUTCOMES`; ``bytes`` is both directions, wire bytes.
    ``session_keys`` is a sample (the reader caps it) of sessions to follow.
    """

    src: str
    dst: str
    protocol: str
    sessions: int
    packets: int = 0
    bytes: int = 0
    outcome: str = "answered"
    ports: tuple[int, ...] = ()
    session_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FlowEvent:
    """One packet or decoded event in a flow graph, as Wireshark lists it.

    ``summary`` is the flags or the protocol's one-line info ("SYN",
    "Read Holding Registers 0x03"). ``capture`` is the capture's sha256 and
    ``frame`` its 1-based frame number: the pointer back to the packet.
    """

    time: float
    src: str
    dst: str
    protocol: str
    summary: str
    frame: int
    src_port: int | None = None
    dst_port: int | None = None
    capture: str = ""
    session: str | None = None
