"""How roles, protocols and outcomes look: shapes, colours, widths, sizes."""

from __future__ import annotations

import math
import zlib
from typing import Any

from icsgraph.viz.model import ROLES

ROLE_STYLE: dict[str, tuple[str, str]] = {
    "controller": ("square", "#d62728"),
    "hmi": ("diamond", "#1f77b4"),
    "engineering": ("diamond", "#9467bd"),
    "switch": ("triangle", "#7f7f7f"),
    "server": ("hexagon", "#2ca02c"),
    "scanner": ("star", "#e377c2"),
    "internet": ("dot", "#17becf"),
    "unknown": ("dot", "#b0b0b0"),
}
ROLE_NAMES = {
    "controller": "Controller (PLC, RTU, IED)",
    "hmi": "HMI",
    "engineering": "Engineering workstation",
    "switch": "Switch / network device",
    "server": "Server",
    "scanner": "Scanner",
    "internet": "Internet host",
    "unknown": "Unknown",
}
OUTCOME_STYLE: dict[str, tuple[str, list[int] | bool]] = {
    "rejected": ("#c0392b", [8, 4]),
    "unanswered": ("#f39c12", [2, 5]),
}
_KNOWN_PROTOCOLS = {
    "modbus": "#1f4e9c",
    "s7comm": "#2a9d8f",
    "dnp3": "#6a3d9a",
    "enip": "#8c564b",
    "iec104": "#3f7f3f",
    "bacnet": "#5b8def",
    "opcua": "#006d77",
    "http": "#4c6ef5",
    "tls": "#495057",
    "dns": "#74a57f",
}
_PALETTE = (
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#17becf",
    "#bcbd22",
    "#3b5b92",
    "#5e8c31",
    "#7b4173",
    "#637939",
    "#393b79",
    "#6b6ecf",
)
FOCUS_BORDER = "#e00000"
FOCUS_SHADOW = {
    "enabled": True,
    "color": "rgba(230, 0, 0, 0.85)",
    "size": 22,
    "x": 0,
    "y": 0,
}


def role_of(role: str) -> str:
    """The role as drawn: anything unknown to the map is ``unknown``."""
    return role if role in ROLES else "unknown"


def protocol_colour(protocol: str) -> str:
    """A stable colour per protocol name (the same name, the same colour)."""
    name = protocol.lower()
    if name in _KNOWN_PROTOCOLS:
        return _KNOWN_PROTOCOLS[name]
    return _PALETTE[zlib.crc32(name.encode("utf-8")) % len(_PALETTE)]


def node_size(peers: int) -> float:
    """Grows with the square root of the number of peers, capped."""
    return round(min(60.0, 12.0 + 4.0 * math.sqrt(peers)), 1)


def edge_width(volume: int) -> float:
    """Grows with the logarithm of the bytes carried: 1 KB ~1.4, 1 GB ~8."""
    return round(min(10.0, 1.0 + 1.2 * math.log10(1.0 + max(volume, 0) / 1000)), 2)


def node_colour(role: str, focused: bool) -> dict[str, Any]:
    fill = ROLE_STYLE[role][1]
    border = FOCUS_BORDER if focused else fill
    return {
        "background": fill,
        "border": border,
        "highlight": {"background": fill, "border": "#000000"},
        "hover": {"background": fill, "border": "#000000"},
    }


def edge_look(protocol: str, outcome: str) -> dict[str, Any]:
    """vis options for an edge: colour by protocol, dashed when it failed."""
    colour, dashes = OUTCOME_STYLE.get(outcome, (protocol_colour(protocol), False))
    return {
        "color": {"color": colour, "highlight": "#000000", "opacity": 0.85},
        "dashes": dashes,
    }


def legend(protocols: list[str]) -> dict[str, Any]:
    """What the page's legend lists, in order."""
    return {
        "roles": [
            {"role": r, "name": ROLE_NAMES[r], "shape": s, "colour": c}
            for r, (s, c) in ROLE_STYLE.items()
        ],
        "protocols": [{"name": p, "colour": protocol_colour(p)} for p in protocols],
        "outcomes": [
            {"name": name, "colour": colour}
            for name, (colour, _) in OUTCOME_STYLE.items()
        ],
    }
