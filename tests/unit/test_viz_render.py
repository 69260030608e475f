"""Map and flow pages as files: self-contained, data inert, records kept."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from icsgraph.viz.flow import flow_data, render_flow
from icsgraph.viz.model import Badge, FlowEvent, MapEdge, MapNode
from icsgraph.viz.page import json_for_script
from icsgraph.viz.render import follow_command, map_data, node_label, render_map

EVIL = "</script><script>alert(1)</script>&\u2028\u2029"
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="icsgraph-data">(.*?)</script>', re.S
)
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)""", re.I)


def read_data(html: str) -> dict[str, object]:
    blocks = DATA_BLOCK.findall(html)
    assert len(blocks) == 1
    value: dict[str, object] = json.loads(blocks[0])
    return value


def test_json_for_script_cannot_close_its_block() -> None:
    text = json_for_script({"v": EVIL})

    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"v": EVIL}


def test_map_file_is_self_contained_and_data_round_trips(tmp_path: Path) -> None:
    nodes = [MapNode("a", EVIL, banners=(EVIL,)), MapNode("b", "10.0.0.2")]
    edges = [MapEdge("a", "b", EVIL, 3)]

    html = render_map(nodes, edges, tmp_path / "m.html", title=EVIL).read_text()

    data = read_data(html)
    assert EXTERNAL.search(html) is None
    assert html.count("<script") == 3
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert data["title"] == EVIL
    assert [n["d"]["banners"] for n in data["nodes"]] == [[EVIL], []]


def test_edges_to_missing_nodes_are_dropped_not_drawn() -> None:
    nodes = [MapNode("a", "10.0.0.1"), MapNode("b", "10.0.0.2")]
    edges = [MapEdge("a", "b", "modbus", 1), MapEdge("a", "zz", "modbus", 1)]

    data = map_data(nodes, edges, title="t", focus=["a", "nope"])

    assert [(e["from"], e["to"]) for e in data["edges"]] == [("a", "b")]
    assert data["focus"] == ["a"]


def test_failed_attempts_are_dashed_and_answered_are_not() -> None:
    nodes = [MapNode("a", "10.0.0.1"), MapNode("b", "10.0.0.2")]
    edges = [
        MapEdge("a", "b", "s7comm", 5, outcome=o)
        for o in ("answered", "rejected", "unanswered")
    ]

    data = map_data(nodes, edges, title="t")

    looks = [(e["dashes"] is not False, e["color"]["color"]) for e in data["edges"]]
    assert [dashed for dashed, _ in looks] == [False, True, True]
    assert len({colour for _, colour in looks}) == 3


def test_node_size_and_shape_follow_peers_and_role() -> None:
    nodes = [
        MapNode("hub", "10.0.0.1", "controller"),
        *(MapNode(f"p{i}", f"10.0.1.{i}", "no-such-role") for i in range(9)),
    ]
    edges = [MapEdge(f"p{i}", "hub", "modbus", 1) for i in range(9)]

    drawn = {n["id"]: n for n in map_data(nodes, edges, title="t")["nodes"]}

    assert drawn["hub"]["size"] > drawn["p0"]["size"]
    assert drawn["hub"]["shape"] == "square"
    assert drawn["p0"]["d"]["role"] == "unknown"


def test_label_has_address_identity_and_badge_counts() -> None:
    badges = (Badge("alert", "x"), Badge("alert", "y"), Badge("technique", "T0843"))
    node = MapNode("k", "10.0.0.9", vendor="Siemens", model="S7-300", badges=badges)

    assert node_label(node) == "10.0.0.9\nSiemens S7-300\n[! 2] [T 1]"


def test_follow_command_is_one_shell_word_per_argument() -> None:
    command = follow_command("plant 'A'", "plant|ab12|tcp|7")

    assert shlex.split(command) == [
        "icsgraph",
        "follow",
        "--case",
        "plant 'A'",
        "plant|ab12|tcp|7",
    ]


def test_flow_orders_events_and_columns_by_first_appearance(tmp_path: Path) -> None:
    events = [
        FlowEvent(2.0, "10.0.0.2", "10.0.0.1", "tcp", "SYN, ACK", 2),
        FlowEvent(1.0, "10.0.0.1", "10.0.0.2", "tcp", "SYN", 1, session="s|1"),
        FlowEvent(3.0, "10.0.0.3", "10.0.0.2", "tcp", EVIL, 3),
    ]

    data = flow_data(events, title="f", case="c")
    html = render_flow(events, tmp_path / "f.html", title="f").read_text()

    assert data["hosts"] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert [e["frame"] for e in data["events"]] == [1, 2, 3]
    assert [e["rel"] for e in data["events"]] == [0.0, 1.0, 2.0]
    assert data["events"][0]["cmd"] == "icsgraph follow --case c 's|1'"
    assert read_data(html)["events"][2]["summary"] == EVIL
    assert EXTERNAL.search(html) is None
