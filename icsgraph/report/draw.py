"""The report's pictures: the suspects' device map and their flow graphs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icsgraph.errors import IcsgraphError
from icsgraph.report.write import safe_name

if TYPE_CHECKING:
    from neo4j import Driver

log = logging.getLogger(__name__)

MAP_FILE = "map.html"
FLOW_LIMIT = 2000  # packets drawn per suspect


def draw_map(
    driver: Driver, database: str, case: str, suspects: tuple[str, ...], out: Path
) -> str:
    """``map.html`` in ``out``, focused on the suspects and their neighbours."""
    from icsgraph.graph.map_data import MapRequest, read_map
    from icsgraph.viz.render import render_map

    with driver.session(database=database) as session:
        case_map = read_map(session, MapRequest(case, suspects, 1))
    title = f"icsgraph map: {case} - focus {', '.join(suspects)} (1 hop)"
    render_map(
        case_map.nodes,
        case_map.edges,
        out / MAP_FILE,
        title=title,
        focus=case_map.focus,
        case=case,
    )
    return MAP_FILE


def draw_flows(
    driver: Driver, database: str, case: str, suspects: tuple[str, ...], out: Path
) -> tuple[list[dict[str, Any]], list[str]]:
    """``flow-<ip>.html`` per suspect; a capture that moved becomes a note."""
    from icsgraph.graph.flow_data import read_flow
    from icsgraph.graph.map_data import read_captures
    from icsgraph.viz.flow import render_flow

    with driver.session(database=database) as session:
        captures = read_captures(session, case)
    flows, notes = [], []
    for host in suspects:
        name = f"flow-{safe_name(host)}.html"
        try:
            flow = read_flow(captures, case, host, None, FLOW_LIMIT)
        except IcsgraphError as exc:
            notes.append(f"no flow graph of {host}: {exc}")
            log.warning("no flow graph of %s: %s", host, exc)
            continue
        title = f"icsgraph flow: {host} in {case}"
        if flow.capped:
            title += f" - first {len(flow.events)} of {flow.matched} packets"
        render_flow(flow.events, out / name, title=title, case=case)
        flows.append({"host": host, "file": name, "packets": len(flow.events)})
    return flows, notes
