"""Artifact rows for the writer, and the host identity rolled up from them.

An artifact's key is its session's key, its kind, its first frame and a
digest of its values; the values that tying an FTP/TFTP transfer to its data
session adds are left out of the digest, so the tied artifact replaces the
one written when the control session ended instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from icsgraph.graph.keys import host_key, session_key
from icsgraph.ingest.extraction import Found
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue

TIE_FIELDS = frozenset({"data_session", "size", "sha256", "complete", "expected_size"})
RESERVED = frozenset(
    {"key", "case", "capture", "kind", "frames", "first_frame", "last_frame"}
    | {"first_seen", "last_seen", "session", "about", "inferred", "confidence"}
    | {"transport", "extra"}
)
PROPERTY_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")
IDENTITY_FIELDS = (
    "vendor",
    "model",
    "firmware",
    "serial",
    "product_name",
    "product_code",
    "revision",
    "device_type",
    "station_name",
    "hostname",
)
OUI_CONFIDENCE = 0.4  # a MAC's vendor says who made the network card


def artifact_digest(values: Iterable[tuple[str, ArtifactValue]]) -> str:
    kept = [(n, v) for n, v in values if n not in TIE_FIELDS]
    text = json.dumps(kept, sort_keys=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def value_properties(values: Sequence[tuple[str, ArtifactValue]]) -> dict[str, Any]:
    """Values as properties: a repeated name becomes a list, odd names `extra`.

    Names come from the extractors, but some carry packet data (a function
    code); only plain snake_case names become property keys.
    """
    grouped: dict[str, list[ArtifactValue]] = {}
    extra: list[str] = []
    for name, value in values:
        if PROPERTY_NAME.fullmatch(name) and name not in RESERVED:
            grouped.setdefault(name, []).append(value)
        else:
            extra.append(f"{name}={value}")
    props: dict[str, Any] = {}
    for name, found in grouped.items():
        if len(found) == 1:
            props[name] = found[0]
        elif all(isinstance(v, int) for v in found):
            props[name] = found
        else:
            props[name] = [str(v) for v in found]
    if extra:
        props["extra"] = extra
    return props


def artifact_row(
    case: str, capture: str, item: ArtifactRecord, scope: str, mac: str | None
) -> dict[str, Any]:
    first = min(item.frames, default=0)
    key = f"{scope}|{item.kind}|{first}|{artifact_digest(item.values)}"
    evidence = {
        "case": case,
        "capture": capture,
        "first_frame": first,
        "last_frame": max(item.frames, default=0),
        "first_seen": item.first_seen,
        "last_seen": item.first_seen,
    }
    props = {
        **value_properties(item.values),
        **evidence,
        "key": key,
        "kind": item.kind,
        "frames": list(item.frames),
        "transport": item.transport,
        "about": item.about,
        "inferred": item.inferred,
        "confidence": item.confidence,
    }
    about_ip = named_address(item)
    about_mac = None  # a DHCP client without an address yet is its MAC
    if item.kind == "dhcp_host" and about_ip is None and item.get("mac"):
        about_mac = str(item.get("mac"))
    return {
        "key": key,
        "case": case,
        "capture": capture,
        "session_key": scope if mac is None else None,
        "mac": mac,
        "about": item.about,
        "about_key": host_key(case, str(about_ip)) if about_ip else None,
        "about_mac": about_mac,
        "props": props,
        "evidence": evidence,
    }


def named_address(item: ArtifactRecord) -> str | None:
    """The address an artifact describes when it is not an end of its session.

    A DNS answer describes the address it resolves to; a DHCP request the
    address the client asks for or already has (not 0.0.0.0, its source).
    """
    if item.kind == "dns_name":
        names = [item.get("address")]
    elif item.kind == "dhcp_host":
        names = [item.get("requested_ip"), item.get("client_ip")]
    else:
        return None
    return next((str(n) for n in names if n and not _unspecified(str(n))), None)


def _unspecified(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_unspecified
    except ValueError:
        return True


def artifact_rows(
    case: str, capture: str, found: Sequence[Found]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of session artifacts, and of layer-2 ones (about a MAC)."""
    in_sessions: list[dict[str, Any]] = []
    layer2: list[dict[str, Any]] = []
    for group in found:
        if group.session is None:
            scope = f"{case}|{capture[:12]}|l2"
            layer2 += [
                artifact_row(case, capture, a, scope, group.mac or "")
                for a in group.artifacts
            ]
            continue
        transport, index = group.session
        scope = session_key(case, capture, transport, index)
        in_sessions += [
            artifact_row(case, capture, a, scope, None) for a in group.artifacts
        ]
    return in_sessions, layer2


def stream_rows(
    case: str, capture: str, found: Sequence[Found]
) -> list[dict[str, Any]]:
    """Gap and cap marks of the sessions whose payload was reassembled."""
    return [
        {
            "key": session_key(case, capture, *group.session),
            "gaps": group.gaps,
            "truncated": bool(group.payload_truncated),
        }
        for group in found
        if group.session is not None and group.gaps is not None
    ]


def best_identity(claims: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The most confident value of each identity field, with its source.

    Each claim is an artifact's properties (or a MAC vendor claim); ties go
    to the earliest claim.
    """
    best: dict[str, tuple[float, float, Any, str]] = {}
    for claim in claims:
        confidence = float(claim.get("confidence", 0.0))
        seen = float(claim.get("first_seen") or 0.0)
        source = str(claim.get("source") or claim.get("kind") or "artifact")
        for field in IDENTITY_FIELDS:
            value = claim.get(field)
            if value in (None, ""):
                continue
            current = best.get(field)
            if current is None or (-confidence, seen) < (-current[0], current[1]):
                best[field] = (confidence, seen, value, source)
    props: dict[str, Any] = {}
    for field, (confidence, _, value, source) in best.items():
        props[field] = value
        props[f"{field}_source"] = source
        props[f"{field}_confidence"] = confidence
    return props
