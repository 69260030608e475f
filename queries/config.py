"""Zones and thresholds: the shipped defaults, overridden by the user's file."""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from icsgraph.errors import ConfigError
from icsgraph.settings import load_user_table

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    kind: str
    cidrs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ZoneMap:
    """Zones in file order; the first whose CIDR holds an address wins."""

    zones: tuple[Zone, ...]
    default: Zone


def _default(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"defaults/{name}.toml")
    return tomllib.loads(text.read_text(encoding="utf-8"))


def load_thresholds() -> dict[str, dict[str, Any]]:
    """Default thresholds with the user's keys laid over them, table by table."""
    merged = {k: dict(v) for k, v in _default("thresholds").items()}
    for table, values in load_user_table("thresholds").items():
        if not isinstance(values, dict):
            raise ConfigError(f"thresholds: [{table}] must be a table")
        merged.setdefault(table, {}).update(values)
    return merged


def load_zones() -> ZoneMap:
    """The user's zones file if there is one, else the shipped defaults."""
    return zone_map(load_user_table("zones") or _default("zones"))


def zone_map(table: dict[str, Any]) -> ZoneMap:
    """Validate a zones table (``[[zone]]`` entries with name, kind, cidrs)."""
    zones = []
    for entry in table.get("zone", []):
        try:
            name, kind, cidrs = str(entry["name"]), str(entry["kind"]), entry["cidrs"]
            for cidr in cidrs:
                ipaddress.ip_network(cidr, strict=False)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"zones: bad zone entry {entry!r}: {exc}") from exc
        zones.append(Zone(name, kind, tuple(str(c) for c in cidrs)))
    default = Zone(
        str(table.get("default_zone", "internet")),
        str(table.get("default_kind", "internet")),
        (),
    )
    return ZoneMap(tuple(zones), default)


def zone_of(zones: ZoneMap, ip: str) -> Zone:
    """The zone holding ``ip``; an address that does not parse gets the default."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return zones.default
    for zone in zones.zones:
        for cidr in zone.cidrs:
            network = ipaddress.ip_network(cidr, strict=False)
            if address.version == network.version and address in network:
                return zone
    return zones.default
