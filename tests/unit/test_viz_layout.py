"""The precomputed layout: deterministic, grouped by zone, fast at scale."""

from __future__ import annotations

import math
import time

from icsgraph.viz.layout import layout_nodes, sunflower, zone_rank
from icsgraph.viz.model import MapNode


def node(i: int, zone: str | None) -> MapNode:
    return MapNode(f"k{i}", f"10.0.{i // 256}.{i % 256}", zone=zone)


def test_purdue_levels_stack_enterprise_on_top() -> None:
    ranks = [
        zone_rank(z)
        for z in (
            "Internet",
            "L5",
            "level 4",
            "DMZ",
            "L3",
            "2",
            "Purdue 1",
            "L0",
            "Boiler room",
            None,
        )
    ]

    assert ranks == sorted(ranks)
    assert zone_rank("L3.5") == zone_rank("DMZ")


def test_groups_do_not_overlap_and_levels_go_down() -> None:
    nodes = [node(i, "L1") for i in range(50)] + [node(i, "L3") for i in range(50, 80)]

    pos = layout_nodes(nodes, {})

    lowest_l3 = max(pos[f"k{i}"][1] for i in range(50, 80))
    highest_l1 = min(pos[f"k{i}"][1] for i in range(50))
    assert lowest_l3 < highest_l1


def test_best_connected_node_sits_at_its_group_centre() -> None:
    nodes = [node(i, None) for i in range(20)]

    pos = layout_nodes(nodes, {"k7": 19})

    centre_x = sum(x for x, _ in pos.values()) / 20
    centre_y = sum(y for _, y in pos.values()) / 20
    nearest = min(pos, key=lambda k: math.dist(pos[k], (centre_x, centre_y)))
    assert nearest == "k7"


def test_same_input_same_positions() -> None:
    nodes = [node(i, ("L1", "L2", None)[i % 3]) for i in range(300)]

    assert layout_nodes(nodes, {}) == layout_nodes(list(reversed(nodes)), {})


def test_points_keep_their_distance() -> None:
    points = sunflower(500)

    closest = min(math.dist(points[i], points[j]) for i in range(500) for j in range(i))
    assert closest > 30


def test_five_thousand_hosts_lay_out_in_well_under_a_second() -> None:
    nodes = [node(i, f"L{i % 4}") for i in range(5000)]

    start = time.perf_counter()
    pos = layout_nodes(nodes, {f"k{i}": i % 17 for i in range(5000)})

    assert time.perf_counter() - start < 1.0
    assert len(set(pos.values())) == 5000
