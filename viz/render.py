"""The device map: MapNode/MapEdge records to one offline HTML page.

pyvis builds the vis-network node and edge objects; the page itself comes
from the project's own template, which inlines vis-network and the map's
script and style, so the file opens with no network at all. Positions are
computed here (see :mod:`icsgraph.viz.layout`) and physics is off.
"""

from __future__ import annotations

import logging
import shlex
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from icsgraph.viz import style
from icsgraph.viz.layout import group_centres, layout_nodes
from icsgraph.viz.model import BADGE_KINDS, Badge, MapEdge, MapNode
from icsgraph.viz.page import json_for_script, read_asset, write_page

logger = logging.getLogger(__name__)

EDGE_LABEL_LIMIT = 2000  # above this many edges, counts go to the panel only
BADGE_MARKS = {
    "alert": "!",
    "finding": "?",
    "credential": "key",
    "file": "file",
    "technique": "T",
}


def follow_command(case: str | None, session: str) -> str:
    """The shell command that opens one session's evidence."""
    case_arg = shlex.quote(case) if case else "CASE"
    return f"icsgraph follow --case {case_arg} {shlex.quote(session)}"


def count_peers(edges: Iterable[MapEdge]) -> dict[str, int]:
    """Distinct peers per node key, whatever the direction or protocol."""
    peers: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        peers[edge.src].add(edge.dst)
        peers[edge.dst].add(edge.src)
    return {key: len(found) for key, found in peers.items()}


def _badge_line(badges: Sequence[Badge]) -> str:
    counts = {kind: 0 for kind in BADGE_KINDS}
    for badge in badges:
        counts[badge.kind if badge.kind in counts else "finding"] += 1
    marks = [f"[{BADGE_MARKS[k]} {n}]" for k, n in counts.items() if n]
    return " ".join(marks)


def node_label(node: MapNode) -> str:
    """Address, then identity (vendor, model, name), then badge counts."""
    identity = " ".join(p for p in (node.vendor, node.model) if p)
    lines = [node.address, identity, node.name or "", _badge_line(node.badges)]
    return "\n".join(line for line in lines if line)


def _sessions(case: str | None, keys: Sequence[str]) -> list[dict[str, str]]:
    return [{"key": k, "cmd": follow_command(case, k)} for k in keys]


def _node_details(node: MapNode, role: str, case: str | None) -> dict[str, Any]:
    badges = [
        {
            "kind": b.kind,
            "label": b.label,
            "detail": b.detail,
            "sessions": _sessions(case, b.sessions),
        }
        for b in sorted(node.badges, key=_badge_order)
    ]
    return {
        "address": node.address,
        "role": role,
        "macs": list(node.macs),
        "vendor": node.vendor,
        "model": node.model,
        "name": node.name,
        "zone": node.zone,
        "layer2": node.layer2_only,
        "banners": list(node.banners),
        "badges": badges,
    }


def _badge_order(badge: Badge) -> tuple[int, str]:
    kind = BADGE_KINDS.index(badge.kind) if badge.kind in BADGE_KINDS else 99
    return (kind, badge.label)


def _search_text(node: MapNode) -> str:
    return " ".join([node.address, *node.macs, node.name or ""]).lower()


def _node_options(
    node: MapNode, peers: int, pos: tuple[float, float], focused: bool
) -> dict[str, Any]:
    role = style.role_of(node.role)
    return {
        "shape": style.ROLE_STYLE[role][0],
        "color": style.node_colour(role, focused),
        "size": style.node_size(peers),
        "x": pos[0],
        "y": pos[1],
        "borderWidth": 3 if focused else 1,
        "shadow": style.FOCUS_SHADOW if focused else False,
        "shapeProperties": {"borderDashes": [4, 3] if node.layer2_only else False},
        "font": {"size": 12, "multi": False},
    }


def _edge_options(edge: MapEdge, case: str | None, labels: bool) -> dict[str, Any]:
    details = {
        "protocol": edge.protocol,
        "sessions": edge.sessions,
        "packets": edge.packets,
        "bytes": edge.bytes,
        "outcome": edge.outcome,
        "ports": list(edge.ports),
        "keys": _sessions(case, edge.session_keys),
    }
    options: dict[str, Any] = {
        "width": style.edge_width(edge.bytes),
        "p": edge.protocol,
        "d": details,
        **style.edge_look(edge.protocol, edge.outcome),
    }
    if labels:
        options["label"] = f"{edge.protocol} x{edge.sessions}"
    return options


def build_network(
    nodes: Sequence[MapNode],
    edges: Sequence[MapEdge],
    focus: Sequence[str],
    case: str | None,
) -> Any:
    """A pyvis Network with positions, styles and the details the page shows."""
    from pyvis.network import Network

    peers = count_peers(edges)
    positions = layout_nodes(nodes, peers)
    focused = set(focus)
    net = Network(directed=True, cdn_resources="in_line")
    for node in nodes:
        options = _node_options(
            node, peers.get(node.key, 0), positions[node.key], node.key in focused
        )
        details = _node_details(node, style.role_of(node.role), case)
        net.add_node(
            node.key,
            label=node_label(node),
            d=details,
            s=_search_text(node),
            f=node.key in focused,
            **options,
        )
    labels = len(edges) <= EDGE_LABEL_LIMIT
    for index, edge in enumerate(edges):
        net.add_edge(
            edge.src, edge.dst, id=f"e{index}", **_edge_options(edge, case, labels)
        )
    return net


def drawable_edges(nodes: Sequence[MapNode], edges: Sequence[MapEdge]) -> list[MapEdge]:
    """Edges whose both ends are nodes; the rest are counted and reported."""
    keys = {node.key for node in nodes}
    kept = [e for e in edges if e.src in keys and e.dst in keys]
    if len(kept) != len(edges):
        logger.warning(
            "map: %d edges skipped, an endpoint is not a node", len(edges) - len(kept)
        )
    return kept


def _unique_nodes(nodes: Sequence[MapNode]) -> list[MapNode]:
    seen: dict[str, MapNode] = {}
    for node in nodes:
        seen.setdefault(node.key, node)
    if len(seen) != len(nodes):
        logger.warning("map: %d duplicate node keys dropped", len(nodes) - len(seen))
    return list(seen.values())


def map_data(
    nodes: Sequence[MapNode],
    edges: Sequence[MapEdge],
    *,
    title: str,
    focus: Sequence[str] = (),
    case: str | None = None,
) -> dict[str, Any]:
    """Everything the page needs, as plain JSON-ready values."""
    nodes = _unique_nodes(nodes)
    edges = drawable_edges(nodes, edges)
    net = build_network(nodes, edges, focus, case)
    positions = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    zones = [
        {"name": zone, "x": x, "y": y}
        for zone, (x, y) in group_centres(nodes, positions).items()
        if zone
    ]
    protocols = sorted({e.protocol for e in edges})
    return {
        "title": title,
        "case": case,
        "nodes": net.nodes,
        "edges": net.edges,
        "zones": zones,
        "focus": [k for k in dict.fromkeys(focus) if k in positions],
        "legend": style.legend(protocols),
    }


def render_map(
    nodes: Sequence[MapNode],
    edges: Sequence[MapEdge],
    path: Path,
    *,
    title: str,
    focus: Sequence[str] = (),
    case: str | None = None,
) -> Path:
    """Write the device map to ``path`` and return it.

    ``focus`` lists node keys of suspects: drawn with a heavy border, and the
    view opens on them and their neighbours. ``case`` goes into the follow
    commands the side panel shows.
    """
    data = map_data(nodes, edges, title=title, focus=focus, case=case)
    written = write_page(
        "map.html.j2",
        path,
        title=title,
        data=json_for_script(data),
        vis_js=read_asset("vis-network.min.js"),
        page_js=read_asset("map.js"),
        page_css=read_asset("map.css"),
    )
    logger.info(
        "map: %d nodes, %d edges written to %s",
        len(data["nodes"]),
        len(data["edges"]),
        path,
    )
    return written
