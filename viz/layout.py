"""Node positions computed before the page opens, so the browser runs no physics.

Nodes are grouped by zone. Each group is a sunflower (points on the golden
angle, radius growing with the square root of the index), its best-connected
nodes at the centre, so hubs and the peers around them read at a glance.
Groups are stacked like the Purdue model: enterprise on top, field devices at
the bottom, named zones and unzoned hosts below. The cost is a sort per
group and O(1) per node, so 5,000 hosts take milliseconds, and the same input
always gives the same picture.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from icsgraph.viz.model import MapNode

SPACING = 60.0  # pixels between neighbouring points of a sunflower
GROUP_GAP = 100.0  # pixels between groups
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

_LEVEL = re.compile(r"^\s*(?:l|level|purdue(?:\s+level)?)?\s*(\d)(\.5)?\s*$", re.I)
_NAMED_RANKS = {"internet": -1.0, "enterprise": 0.0, "dmz": 1.5, "idmz": 1.5}
_OTHER_ZONE = 10.0
_NO_ZONE = 11.0

Point = tuple[float, float]


def zone_rank(zone: str | None) -> float:
    """Vertical order of a zone: Purdue level 5 first (top), level 0 last."""
    if zone is None or not zone.strip():
        return _NO_ZONE
    match = _LEVEL.match(zone)
    if match:
        level = int(match.group(1)) + (0.5 if match.group(2) else 0.0)
        return 5.0 - level
    return _NAMED_RANKS.get(zone.strip().lower(), _OTHER_ZONE)


def sunflower(count: int, spacing: float = SPACING) -> list[Point]:
    """``count`` evenly spread points in a disc centred on the origin."""
    points = []
    for i in range(count):
        radius = spacing * math.sqrt(i + 0.5)
        angle = i * GOLDEN_ANGLE
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


def _group_radius(count: int) -> float:
    return SPACING * math.sqrt(count + 0.5) + SPACING


def group_nodes(nodes: Sequence[MapNode]) -> dict[str, list[MapNode]]:
    """Nodes by zone label ("" for none), groups in drawing order."""
    groups: dict[str, list[MapNode]] = defaultdict(list)
    for node in nodes:
        groups[(node.zone or "").strip()].append(node)
    order = sorted(groups, key=lambda z: (zone_rank(z or None), z.lower(), z))
    return {zone: groups[zone] for zone in order}


def _rows(groups: Mapping[str, list[MapNode]]) -> list[list[str]]:
    """Zones of equal rank share a row."""
    rows: list[list[str]] = []
    last: float | None = None
    for zone in groups:
        rank = zone_rank(zone or None)
        if rank != last:
            rows.append([])
            last = rank
        rows[-1].append(zone)
    return rows


def layout_nodes(
    nodes: Sequence[MapNode], degree: Mapping[str, int]
) -> dict[str, Point]:
    """Position of every node key; ``degree`` is the number of peers per key."""
    groups = group_nodes(nodes)
    positions: dict[str, Point] = {}
    top = 0.0
    for row in _rows(groups):
        radii = [_group_radius(len(groups[zone])) for zone in row]
        row_height = 2 * max(radii)
        left = -(sum(2 * r for r in radii) + GROUP_GAP * (len(row) - 1)) / 2
        for zone, radius in zip(row, radii, strict=True):
            centre = (left + radius, top + row_height / 2)
            _place_group(groups[zone], degree, centre, positions)
            left += 2 * radius + GROUP_GAP
        top += row_height + GROUP_GAP
    return positions


def group_centres(
    nodes: Sequence[MapNode], positions: Mapping[str, Point]
) -> dict[str, Point]:
    """Where to write each zone's name: just above its group."""
    centres: dict[str, Point] = {}
    for zone, members in group_nodes(nodes).items():
        xs = [positions[n.key][0] for n in members]
        ys = [positions[n.key][1] for n in members]
        centres[zone] = ((min(xs) + max(xs)) / 2, min(ys) - SPACING)
    return centres


def _place_group(
    members: list[MapNode],
    degree: Mapping[str, int],
    centre: Point,
    positions: dict[str, Point],
) -> None:
    ordered = sorted(members, key=lambda n: (-degree.get(n.key, 0), n.address))
    for node, (x, y) in zip(ordered, sunflower(len(ordered)), strict=True):
        positions[node.key] = (round(centre[0] + x, 1), round(centre[1] + y, 1))
