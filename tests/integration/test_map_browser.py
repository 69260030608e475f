"""The device map and the flow graph in headless Chromium, network off.

Each page must draw every record, look like a drawing, make no request but
for its own file, and show hostile text from a capture as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium_available, ink_fraction, open_browser

from icsgraph.viz.flow import render_flow
from icsgraph.viz.model import Badge, FlowEvent, MapEdge, MapNode
from icsgraph.viz.render import render_map

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
GRAPH_REGION = (20, 60, 880, 600)  # inside the canvas, left of the side panel


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip("chromium and chromedriver are not installed")
    with open_browser() as opened:
        yield opened


def plant() -> tuple[list[MapNode], list[MapEdge]]:
    """A small plant: HMI, engineering station, PLCs, a switch, a scanner."""
    plc = Badge("alert", "Modbus write to coil", sessions=("c|aaaa|tcp|3",))
    nodes = [
        MapNode("c|10.1.1.10", "10.1.1.10", "hmi", ("00:0c:29:00:00:10",), zone="L2"),
        MapNode("c|10.1.1.20", "10.1.1.20", "engineering", zone="L2"),
        MapNode(
            "c|10.1.2.1",
            "10.1.2.1",
            "controller",
            vendor="Siemens",
            model="S7-1500",
            zone="L1",
            badges=(plc,),
        ),
        MapNode("c|10.1.2.2", "10.1.2.2", "controller", vendor="Schneider", zone="L1"),
        MapNode(
            "00:1d:9c:aa:bb:cc",
            "00:1d:9c:aa:bb:cc",
            "switch",
            layer2_only=True,
            zone="L1",
        ),
        MapNode("c|10.1.9.9", "10.1.9.9", "scanner"),
        MapNode("c|8.8.8.8", "8.8.8.8", "internet", zone="Internet"),
    ]
    edges = [
        MapEdge(
            "c|10.1.1.10",
            "c|10.1.2.1",
            "modbus",
            40,
            900,
            80_000,
            ports=(502,),
            session_keys=("c|aaaa|tcp|3",),
        ),
        MapEdge("c|10.1.1.20", "c|10.1.2.1", "s7comm", 3, 60, 9_000, ports=(102,)),
        MapEdge("c|10.1.1.10", "c|10.1.2.2", "modbus", 12, 300, 20_000),
        MapEdge("c|10.1.9.9", "c|10.1.2.1", "s7comm", 1, 2, 120, outcome="rejected"),
        MapEdge("c|10.1.9.9", "c|10.1.2.2", "modbus", 1, 1, 60, outcome="unanswered"),
        MapEdge("c|10.1.9.9", "c|10.1.1.10", "http", 2, 12, 3_000),
        MapEdge("c|10.1.1.20", "c|8.8.8.8", "dns", 4, 8, 900),
    ]
    return nodes, edges


def test_map_draws_every_record_offline(browser: Browser, tmp_path: Path) -> None:
    nodes, edges = plant()
    path = render_map(
        nodes,
        edges,
        tmp_path / "map.html",
        title="plant",
        focus=["c|10.1.9.9"],
        case="c",
    )

    page = browser.open(path)

    assert page.state == {"nodes": 7, "edges": 7, "drawnNodes": 7, "drawnEdges": 7}
    assert page.requests == [page.url]
    assert page.foreign_requests() == []
    assert ink_fraction(browser.screenshot(), GRAPH_REGION) > 0.002


def test_harness_sees_a_request_that_leaves_the_file(
    browser: Browser, tmp_path: Path
) -> None:
    path = tmp_path / "leaky.html"
    path.write_text(
        '<img src="http://203.0.113.7/x.png">'
        "<script>window.icsgraphReady = true;</script>"
    )

    page = browser.open(path)

    assert page.foreign_requests() == ["http://203.0.113.7/x.png"]


def test_map_search_and_protocol_filter(browser: Browser, tmp_path: Path) -> None:
    nodes, edges = plant()
    browser.open(render_map(nodes, edges, tmp_path / "map.html", title="plant"))

    browser.driver.find_element("id", "search").send_keys("00:1d:9c")
    found = browser.text("#search-result")
    selected = browser.run("return window.icsgraphNetwork.getSelectedNodes()")
    browser.driver.find_element("xpath", "//label[span[text()='modbus']]/input").click()
    hidden = browser.run(
        "return window.icsgraphEdges.get({filter: e => e.hidden}).map(e => e.p)"
    )

    assert found == "1 found"
    assert selected == ["00:1d:9c:aa:bb:cc"]
    assert sorted(hidden) == ["modbus", "modbus", "modbus"]


def hostile_nodes() -> tuple[list[MapNode], list[MapEdge]]:
    badge = Badge("credential", IMG, detail=SCRIPT, sessions=(f"c|{SCRIPT}",))
    nodes = [
        MapNode(
            f"c|{SCRIPT}",
            SCRIPT,
            "controller",
            (IMG,),
            vendor=IMG,
            model=SCRIPT,
            name=IMG,
            banners=(SCRIPT, IMG),
            badges=(badge,),
        ),
        MapNode("c|10.0.0.2", "10.0.0.2", "hmi"),
    ]
    edges = [
        MapEdge("c|10.0.0.2", f"c|{SCRIPT}", IMG, 1, 4, 400, session_keys=(SCRIPT,))
    ]
    return nodes, edges


def test_map_shows_capture_markup_as_text(browser: Browser, tmp_path: Path) -> None:
    nodes, edges = hostile_nodes()
    path = render_map(nodes, edges, tmp_path / "evil.html", title=SCRIPT + IMG)

    page = browser.open(path)
    browser.run("window.icsgraphSelect(arguments[0])", f"c|{SCRIPT}")
    node_panel = browser.text("#panel")
    browser.run("window.icsgraphSelectEdge('e0')")
    edge_panel = browser.text("#panel")

    assert page.state["drawnNodes"] == 2
    assert browser.run("return window.pwned") is None
    assert browser.run("return document.images.length") == 0
    assert browser.run("return document.scripts.length") == 3
    assert browser.run("return document.title") == SCRIPT + IMG
    assert browser.text("#title") == SCRIPT + IMG
    assert SCRIPT in node_panel
    assert IMG in node_panel
    assert IMG in edge_panel
    assert page.foreign_requests() == []


def flow_events() -> list[FlowEvent]:
    hmi, plc = "10.1.1.10", "10.1.2.1"
    return [
        FlowEvent(
            100.0, hmi, plc, "tcp", "SYN", 1, 50000, 502, "ab" * 32, "c|ab|tcp|0"
        ),
        FlowEvent(100.001, plc, hmi, "tcp", "SYN, ACK", 2, 502, 50000, "ab" * 32),
        FlowEvent(100.002, hmi, plc, "tcp", "ACK", 3, 50000, 502, "ab" * 32),
        FlowEvent(
            100.01, hmi, plc, "modbus", SCRIPT, 4, 50000, 502, "ab" * 32, "c|ab|tcp|0"
        ),
        FlowEvent(100.02, plc, hmi, "modbus", IMG, 5, 502, 50000, "ab" * 32),
        FlowEvent(100.5, "10.1.9.9", plc, "s7comm", "RST", 9, 40000, 102),
    ]


def test_flow_draws_every_event_as_text(browser: Browser, tmp_path: Path) -> None:
    path = render_flow(flow_events(), tmp_path / "flow.html", title=IMG, case="c")

    page = browser.open(path)
    browser.run("window.icsgraphShow(3)")
    panel = browser.text("#panel")
    browser.run("window.icsgraphShow(4)")
    second = browser.text("#panel")

    assert page.state == {"events": 6, "hosts": 3, "drawnArrows": 6, "counted": 6}
    assert page.foreign_requests() == []
    assert browser.run("return window.pwned") is None
    assert browser.run("return document.images.length") == 0
    assert SCRIPT in panel
    assert "icsgraph follow --case c 'c|ab|tcp|0'" in panel
    assert IMG in second
    assert SCRIPT in browser.text("#flow")
    assert ink_fraction(browser.screenshot(), (0, 40, 900, 240)) > 0.005
