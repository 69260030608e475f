"""What the map says of a host: its zone, its role and its badges.

Pure functions over the rows the map reader fetched; no database here.

Roles, first rule that holds wins:

1. ``scanner``: a scanning finding (rule name contains "scan", or the
   finding maps to T0846) involves the host as its actor (the INVOLVES
   relationship's ``role`` says scanner/source/client, or, without one, the
   host opened the finding's evidence sessions); or the host opened sessions
   to at least ``SCAN_MIN_TARGETS`` distinct (server, transport, port)
   targets and more than half of all the sessions it opened were rejected or
   unanswered.
2. ``switch``: its identity (vendor, model, name, device type) or a MAC's
   vendor or LLDP/DCP name matches ``SWITCH_PATTERN`` (Moxa EDS, SCALANCE X,
   Stratix, RUGGEDCOM, Hirschmann, "switch").
3. ``controller``: it offers an ICS service (a Service whose protocol is in
   ``ICS_PROTOCOLS`` or whose port is in ``ICS_PORTS``) that is proven (its
   protocol was named from the payload, or a session on it carried
   application data); or, when no ICS service is proven, ICS services that
   only accepted a handshake make up at least half of what the host offers
   (a scanned switch that accepts a handshake on 20000 beside its Telnet,
   SSH and web ports is not a DNP3 outstation; a PLC probed on 502 is).
4. ``engineering``: a finding that maps to a programming or mode-change
   technique (``ENGINEERING_TECHNIQUES``) names it as the actor.
5. ``hmi``: it opened sessions that a controller answered on an ICS service.
6. ``server``: it offers any other service (its zone still shows where).
7. ``internet``: its zone is of kind internet (from IN_ZONE, else from the
   address: not private, CGNAT, loopback, link-local, multicast, broadcast).
8. ``unknown``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from icsgraph.secrets import SECRET_NAMES
from icsgraph.viz.model import Badge

ICS_PROTOCOLS = (
    "modbus", "s7comm", "s7comm-plus", "enip", "cip", "dnp3", "iec104",
    "bacnet", "opcua", "profinet", "pn_io", "pn_dcp", "melsec", "omron-fins",
    "ge-srtp", "fox", "crimson", "mms", "goose", "hart-ip",
)  # fmt: skip
ICS_PORTS = (502, 102, 44818, 2222, 20000, 2404, 47808, 4840, 34962, 34964)
SCAN_MIN_TARGETS = 25  # the published port-scan threshold, without its window
SCAN_TECHNIQUE = "T0846"
ENGINEERING_TECHNIQUES = frozenset(
    {"T0843", "T0845", "T0858", "T0836", "T0821", "T0889"}
)
ACTOR_ROLES = frozenset({"scanner", "source", "client", "actor", "attacker"})
SWITCH_PATTERN = re.compile(
    r"switch|\beds-|scalance[ -]?x|stratix|ruggedcom|hirschmann", re.I
)
INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
        "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32",
        "0.0.0.0/32", "fc00::/7", "::1/128", "fe80::/10", "ff00::/8", "::/128",
    )
)  # fmt: skip
SECRET_FIELDS = tuple(sorted(SECRET_NAMES))  # never read out of the graph
IDENTITY_FIELDS = ("vendor", "model", "name", "hostname", "device_type", "product")
USER_FIELDS = ("username", "user", "login", "account")
FILE_FIELDS = ("name", "file_name", "filename", "path", "uri")
BANNER_FIELDS = ("banner", "text", "software", "server", "version", "value")


@dataclass(frozen=True, slots=True)
class Service:
    """A service the host offers; ``proven`` when more than a handshake."""

    transport: str
    port: int
    protocol: str
    proven: bool = True


@dataclass(frozen=True, slots=True)
class ClientStats:
    """How a host behaved as a client (see ``map_clients.cypher``)."""

    opened: int = 0
    targets: int = 0
    peers: int = 0
    failed: int = 0
    ics_sessions: int = 0


@dataclass(frozen=True, slots=True)
class HostFacts:
    """Everything the role rules look at, for one host."""

    address: str
    zone_kind: str
    identity: str = ""  # vendor, model, names, MAC vendors
    services: tuple[Service, ...] = ()
    clients: ClientStats = field(default_factory=ClientStats)
    scan_finding: bool = False
    engineering_finding: bool = False


def is_internal(address: str) -> bool:
    """Private, CGNAT, loopback, link-local, multicast or broadcast."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return True
    return any(ip.version == n.version and ip in n for n in INTERNAL_NETWORKS)


def zone_of(address: str, zones: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(zone name, kind): from IN_ZONE when present, else from the address."""
    named = sorted(
        (str(z.get("name")), str(z.get("kind") or "")) for z in zones if z.get("name")
    )
    if named:
        return named[0]
    if is_internal(address):
        return ("internal", "internal")
    return ("internet", "internet")


def is_ics(service: Service) -> bool:
    return service.port in ICS_PORTS or service.protocol in ICS_PROTOCOLS


def offers_ics(services: Sequence[Service]) -> bool:
    """A proven ICS service, or mostly ICS ports that accepted a handshake."""
    ics = [s for s in services if is_ics(s)]
    if any(s.proven for s in ics):
        return True
    return bool(ics) and 2 * len(ics) >= len(services)


def scans(stats: ClientStats) -> bool:
    """Many targets, mostly rejected or unanswered."""
    return stats.targets >= SCAN_MIN_TARGETS and 2 * stats.failed > stats.opened


def assign_role(host: HostFacts) -> str:
    """The first role rule that holds (see the module docstring)."""
    if host.scan_finding or scans(host.clients):
        return "scanner"
    if SWITCH_PATTERN.search(host.identity):
        return "switch"
    if offers_ics(host.services):
        return "controller"
    if host.engineering_finding:
        return "engineering"
    if host.clients.ics_sessions:
        return "hmi"
    if host.services:
        return "server"
    return "internet" if host.zone_kind == "internet" else "unknown"


def _actor(finding: Mapping[str, Any]) -> bool:
    role = (finding.get("involves") or {}).get("role")
    if isinstance(role, str) and role:
        return role.lower() in ACTOR_ROLES
    return bool(finding.get("opened"))


def _technique_ids(finding: Mapping[str, Any]) -> set[str]:
    return {str(t.get("id")) for t in finding.get("techniques") or []}


def finding_flags(findings: Sequence[Mapping[str, Any]]) -> tuple[bool, bool]:
    """(scanner, engineering) as the host's findings say, when it is the actor."""
    scanner = engineering = False
    for finding in findings:
        if not _actor(finding):
            continue
        ids = _technique_ids(finding)
        rule = str(finding.get("rule") or "").lower()
        scanner = scanner or "scan" in rule or SCAN_TECHNIQUE in ids
        engineering = engineering or bool(ids & ENGINEERING_TECHNIQUES)
    return scanner, engineering


def text_of(value: Any) -> str | None:
    """A non-empty string value, else None (identity values may be absent)."""
    return value if isinstance(value, str) and value.strip() else None


def first_field(fields: Mapping[str, Any], names: Sequence[str]) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if text_of(value):
            return str(value)
    return None


def _keys(rows: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in rows if isinstance(k, str)))


def alert_badge(alert: Mapping[str, Any]) -> Badge:
    severity = text_of(alert.get("severity"))
    return Badge(
        "alert",
        text_of(alert.get("title")) or "alert",
        f"severity: {severity}" if severity else "",
        _keys(alert.get("sessions") or ()),
    )


def finding_badges(finding: Mapping[str, Any]) -> list[Badge]:
    """The finding, then one badge per ATT&CK for ICS technique it maps to."""
    sessions = _keys(finding.get("sessions") or ())
    rule = text_of(finding.get("rule")) or "finding"
    badges = [Badge("finding", rule, text_of(finding.get("title")) or "", sessions)]
    for technique in finding.get("techniques") or []:
        tid = text_of(technique.get("id"))
        if tid:
            name = text_of(technique.get("name")) or ""
            badges.append(Badge("technique", tid, name, sessions))
    return badges


def credential_badge(fields: Mapping[str, Any], secrets: Sequence[str]) -> Badge:
    """Who the credential is for, never its value."""
    user = first_field(fields, USER_FIELDS) or "?"
    protocol = first_field(fields, ("protocol",)) or "cleartext"
    lowered = {s.lower() for s in secrets}
    if "community" in lowered:
        label = f"{protocol} community (value hidden)"
    elif lowered:
        label = f"password for user {user}"
    else:
        label = f"user {user}"
    outcome = first_field(fields, ("outcome",))
    detail = f"{protocol} credential, value hidden" + (
        f"; outcome: {outcome}" if outcome else ""
    )
    return Badge("credential", label, detail)


def file_badge(fields: Mapping[str, Any]) -> Badge:
    protocol = first_field(fields, ("protocol",)) or "file"
    name = first_field(fields, FILE_FIELDS) or f"{protocol} transfer"
    parts = [protocol]
    for label, key in (("direction", "direction"), ("bytes", "size")):
        value = first_field(fields, (key,))
        if value:
            parts.append(f"{label} {value}")
    sha = first_field(fields, ("sha256",))
    if sha:
        parts.append(f"sha256 {sha}")
    if fields.get("inferred"):
        parts.append("inferred from traffic shape")
    return Badge("file", name, ", ".join(parts))


def artifact_badge(artifact: Mapping[str, Any]) -> Badge | None:
    """A credential or file-transfer artifact as a badge; others give none."""
    fields = {f["name"]: f["value"] for f in artifact.get("fields") or []}
    sessions = _keys(artifact.get("sessions") or ())
    kind = artifact.get("kind")
    if kind == "credential":
        badge = credential_badge(fields, artifact.get("secrets") or [])
    elif kind == "file_transfer":
        badge = file_badge(fields)
    else:
        return None
    return Badge(badge.kind, badge.label, badge.detail, sessions)


def banner_of(artifact: Mapping[str, Any]) -> str | None:
    if artifact.get("kind") != "banner":
        return None
    fields = {f["name"]: f["value"] for f in artifact.get("fields") or []}
    return first_field(fields, BANNER_FIELDS)
