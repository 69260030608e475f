"""Reading a case from Neo4j into the device map's records.

Hosts become `MapNode`s keyed by ``Host.key``, layer-2-only MACs become
nodes keyed by their address, and sessions become `MapEdge`s grouped by
(client, server, protocol, outcome). Artifacts, findings and alerts are
optional: every query reads them with patterns that simply find nothing when
those stages have not run. Roles and badges are decided in `map_roles`.

A focus is widened hop by hop over TALKS_TO with one parameterised query per
hop (variable-length bounds cannot be parameters), so the hop count stays a
validated integer and never text in a query.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from icsgraph.errors import ConfigError, QueryError
from icsgraph.graph import map_roles as roles
from icsgraph.graph.keys import host_key
from icsgraph.graph.statements import statement
from icsgraph.viz.model import Badge, MapEdge, MapNode

if TYPE_CHECKING:
    from neo4j import ManagedTransaction, Session

    from icsgraph.graph.flow_data import CaptureFile

log = logging.getLogger(__name__)

MIN_HOPS, MAX_HOPS = 1, 5
MAX_SESSION_KEYS = 20  # session keys kept per edge and per badge
MAX_PORTS = 100  # distinct server ports kept per edge
MAX_BANNERS = 5
ARTIFACT_KINDS = ("credential", "file_transfer", "banner")
MAC_PATTERN = re.compile(r"^[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}$", re.I)

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class MapRequest:
    """What to draw: a case, optionally its focus hosts (IPs or MACs) and
    their ``hops``-neighbourhood, optionally only some protocols."""

    case: str
    focus: tuple[str, ...] = ()
    hops: int = 1
    protocols: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseMap:
    """The records the renderer draws; ``focus`` holds node keys."""

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    focus: tuple[str, ...] = ()


def check_hops(hops: int) -> int:
    if not MIN_HOPS <= hops <= MAX_HOPS:
        raise ConfigError(f"--hops must be {MIN_HOPS}..{MAX_HOPS}, not {hops}")
    return hops


def focus_key(case: str, value: str) -> str:
    """The node key of a focus given as an IP address or a MAC address."""
    text = value.strip()
    if MAC_PATTERN.match(text):
        return text.lower().replace("-", ":")
    try:
        return host_key(case, str(ipaddress.ip_address(text)))
    except ValueError:
        raise ConfigError(f"--focus {value!r} is neither an IP nor a MAC") from None


def _fetch(tx: ManagedTransaction, name: str, params: Mapping[str, Any]) -> list[Row]:
    return [record.data() for record in tx.run(statement(name), dict(params))]


def _read(session: Session, name: str, **params: Any) -> list[Row]:
    return session.execute_read(_fetch, name, params)


def require_case(session: Session, case: str) -> None:
    if not _read(session, "map_case", case=case):
        raise QueryError(f"no case {case!r}; `icsgraph cases list` shows the cases")


def neighbourhood(session: Session, case: str, start: set[str], hops: int) -> set[str]:
    """Host keys within ``hops`` TALKS_TO steps of ``start`` (included)."""
    seen, frontier = set(start), set(start)
    for _ in range(check_hops(hops)):
        rows = _read(session, "map_neighbours", case=case, frontier=sorted(frontier))
        frontier = {r["key"] for r in rows} - seen
        if not frontier:
            break
        seen |= frontier
    return seen


def _resolve_focus(
    session: Session, request: MapRequest
) -> tuple[tuple[str, ...], list[str] | None]:
    """The focus node keys, and the host keys to read (None: all of them)."""
    if not request.focus:
        return (), None
    keys = tuple(dict.fromkeys(focus_key(request.case, f) for f in request.focus))
    hosts = {k for k in keys if not MAC_PATTERN.match(k)}
    found = {
        r["key"]
        for r in _read(session, "map_hosts", case=request.case, keys=sorted(hosts))
    }
    macs = {r["address"] for r in _read(session, "map_layer2", case=request.case)}
    missing = [k for k in keys if k not in found and k not in macs]
    if missing:
        shown = ", ".join(m.split("|", 1)[-1] for m in missing)
        raise QueryError(f"case {request.case!r} has no host {shown}")
    return keys, sorted(neighbourhood(session, request.case, hosts, request.hops))


def read_map(session: Session, request: MapRequest) -> CaseMap:
    """Read one case (or the focus of it) into map records."""
    check_hops(request.hops)
    require_case(session, request.case)
    focus, keys = _resolve_focus(session, request)
    params = {"case": request.case, "keys": keys}
    edge_rows = _read(
        session,
        "map_edges",
        protocols=list(request.protocols) or None,
        max_ports=MAX_PORTS,
        max_keys=MAX_SESSION_KEYS,
        **params,
    )
    nodes = host_nodes(session, params) + layer2_nodes(session, request, focus)
    edges = [edge_of(row) for row in edge_rows]
    if request.protocols:
        nodes = keep_connected(nodes, edges, focus)
    log.info("map of %s: %d nodes, %d edges", request.case, len(nodes), len(edges))
    return CaseMap(tuple(nodes), tuple(edges), focus)


def edge_of(row: Mapping[str, Any]) -> MapEdge:
    return MapEdge(
        src=row["src"],
        dst=row["dst"],
        protocol=str(row["protocol"] or "unknown"),
        sessions=int(row["sessions"]),
        packets=int(row["packets"] or 0),
        bytes=int(row["bytes"] or 0),
        outcome=row["outcome"],
        ports=tuple(sorted(int(p) for p in row["ports"] if p is not None)),
        session_keys=tuple(row["keys"]),
    )


def keep_connected(
    nodes: Sequence[MapNode], edges: Iterable[MapEdge], focus: Sequence[str]
) -> list[MapNode]:
    """Nodes that still have an edge, and the focus nodes."""
    wanted = set(focus)
    for edge in edges:
        wanted.update((edge.src, edge.dst))
    return [n for n in nodes if n.key in wanted]


def host_nodes(session: Session, params: Mapping[str, Any]) -> list[MapNode]:
    hosts = _read(session, "map_hosts", **params)
    clients = {r["key"]: r for r in _read(session, "map_clients", **_ics(params))}
    badges = {r["key"]: r for r in _read(session, "map_badges", **_badge(params))}
    return [
        host_node(h, clients.get(h["key"], {}), badges.get(h["key"], {})) for h in hosts
    ]


def _ics(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **params,
        "ics_protocols": list(roles.ICS_PROTOCOLS),
        "ics_ports": list(roles.ICS_PORTS),
    }


def _badge(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **params,
        "artifact_kinds": list(ARTIFACT_KINDS),
        "secret_keys": list(roles.SECRET_FIELDS),
        "max_keys": MAX_SESSION_KEYS,
    }


def _identity(host: Mapping[str, Any]) -> dict[str, str | None]:
    props, macs = host["props"], host["macs"]
    mac_vendor = next((m["vendor"] for m in macs if roles.text_of(m["vendor"])), None)
    mac_name = next(
        (n for m in macs for n in m["names"] or () if roles.text_of(n)), None
    )
    return {
        "vendor": roles.text_of(props.get("vendor")) or mac_vendor,
        "model": roles.text_of(props.get("model")),
        "name": roles.first_field(props, ("name", "hostname")) or mac_name,
        "more": roles.first_field(props, ("device_type", "product", "firmware")),
    }


def _badges(row: Mapping[str, Any]) -> tuple[list[Badge], list[str]]:
    badges = [roles.alert_badge(a) for a in row.get("alerts") or ()]
    for finding in row.get("findings") or ():
        badges.extend(roles.finding_badges(finding))
    banners: list[str] = []
    for artifact in row.get("artifacts") or ():
        badge = roles.artifact_badge(artifact)
        if badge is not None:
            badges.append(badge)
        banner = roles.banner_of(artifact)
        if banner and banner not in banners:
            banners.append(banner)
    return list(dict.fromkeys(badges)), banners[:MAX_BANNERS]


def service_of(row: Mapping[str, Any]) -> roles.Service:
    proven = row["source"] == "payload" or bool(row["data"])
    return roles.Service(
        row["transport"], int(row["port"]), str(row["protocol"] or ""), proven
    )


def client_stats(row: Mapping[str, Any]) -> roles.ClientStats:
    def count(name: str) -> int:
        return int(row.get(name) or 0)

    return roles.ClientStats(
        opened=count("opened"),
        targets=count("targets"),
        peers=count("peers"),
        failed=count("failed"),
        ics_sessions=count("ics_sessions"),
    )


def host_node(
    host: Mapping[str, Any], client: Mapping[str, Any], badge_row: Mapping[str, Any]
) -> MapNode:
    """One Host row, with its client statistics and badges, as a map node."""
    ip = str(host["ip"])
    zone, kind = roles.zone_of(ip, host["zones"])
    identity = _identity(host)
    words = [v for v in identity.values() if v]
    words += [m["vendor"] or "" for m in host["macs"]]
    scanner, engineering = roles.finding_flags(badge_row.get("findings") or ())
    facts = roles.HostFacts(
        address=ip,
        zone_kind=kind,
        identity=" ".join(words),
        services=tuple(service_of(s) for s in host["services"]),
        clients=client_stats(client),
        scan_finding=scanner,
        engineering_finding=engineering,
    )
    badges, banners = _badges(badge_row)
    return MapNode(
        key=host["key"],
        address=ip,
        role=roles.assign_role(facts),
        macs=tuple(sorted(m["address"] for m in host["macs"])),
        vendor=identity["vendor"],
        model=identity["model"],
        name=identity["name"],
        zone=zone,
        banners=tuple(banners),
        badges=tuple(badges),
    )


def layer2_nodes(
    session: Session, request: MapRequest, focus: Sequence[str]
) -> list[MapNode]:
    """Layer-2-only MACs: all without a focus, else only those focused on."""
    rows = _read(session, "map_layer2", case=request.case)
    if request.focus:
        rows = [r for r in rows if r["address"] in focus]
    return [layer2_node(r) for r in rows]


def layer2_node(row: Mapping[str, Any]) -> MapNode:
    vendor = roles.text_of(row["vendor"])
    name = next((n for n in row["names"] if roles.text_of(n)), None)
    identity = " ".join(p for p in (vendor, name) if p)
    role = "switch" if roles.SWITCH_PATTERN.search(identity) else "unknown"
    return MapNode(
        key=row["address"],
        address=row["address"],
        role=role,
        macs=(row["address"],),
        vendor=vendor,
        name=name,
        zone="internal",
        layer2_only=True,
    )


def read_captures(session: Session, case: str) -> list[CaptureFile]:
    """The case's captures with the paths they were ingested from."""
    from icsgraph.graph.flow_data import CaptureFile

    require_case(session, case)
    return [
        CaptureFile(r["sha256"], r["file_name"] or "", tuple(r["paths"]))
        for r in _read(session, "map_captures", case=case)
    ]
