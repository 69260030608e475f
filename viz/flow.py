"""The flow graph: a host's (or a pair's) packets as an offline sequence diagram.

Like Wireshark's Flow Graph: one column per host in order of first
appearance, one arrow per packet or event, with its time, ports, flags or
summary and frame number. Clicking a row shows the evidence (capture, frame)
and the command that follows its session. Data goes in as inert JSON, as in
the device map.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from icsgraph.viz.model import FlowEvent
from icsgraph.viz.page import json_for_script, read_asset, write_page
from icsgraph.viz.render import follow_command

logger = logging.getLogger(__name__)


def order_events(events: Iterable[FlowEvent]) -> list[FlowEvent]:
    """By time, then capture and frame, so ties keep the capture's order."""
    return sorted(events, key=lambda e: (e.time, e.capture, e.frame))


def host_columns(events: Iterable[FlowEvent]) -> list[str]:
    """Hosts in order of first appearance: the diagram's columns."""
    seen: dict[str, None] = {}
    for event in events:
        seen.setdefault(event.src, None)
        seen.setdefault(event.dst, None)
    return list(seen)


def _event_data(event: FlowEvent, start: float, case: str | None) -> dict[str, Any]:
    return {
        "t": event.time,
        "rel": round(event.time - start, 6),
        "src": event.src,
        "dst": event.dst,
        "sp": event.src_port,
        "dp": event.dst_port,
        "proto": event.protocol,
        "summary": event.summary,
        "frame": event.frame,
        "capture": event.capture,
        "session": event.session,
        "cmd": follow_command(case, event.session) if event.session else None,
    }


def flow_data(
    events: Iterable[FlowEvent], *, title: str, case: str | None = None
) -> dict[str, Any]:
    """Everything the flow page needs, as plain JSON-ready values."""
    ordered = order_events(events)
    start = ordered[0].time if ordered else 0.0
    return {
        "title": title,
        "case": case,
        "start": start,
        "hosts": host_columns(ordered),
        "events": [_event_data(e, start, case) for e in ordered],
    }


def render_flow(
    events: Iterable[FlowEvent],
    path: Path,
    *,
    title: str,
    case: str | None = None,
) -> Path:
    """Write the flow graph of ``events`` to ``path`` and return it."""
    data = flow_data(events, title=title, case=case)
    written = write_page(
        "flow.html.j2",
        path,
        title=title,
        data=json_for_script(data),
        page_js=read_asset("flow.js"),
        page_css=read_asset("map.css"),
    )
    logger.info(
        "flow: %d events between %d hosts written to %s",
        len(data["events"]),
        len(data["hosts"]),
        path,
    )
    return written
