"""Alerts from a sensor's export (Microsoft Defender for IoT, CSV or JSON).

The file is sniffed: one that starts with ``[`` or ``{`` is JSON (a list of
alerts, or an object holding one under ``value``, ``alerts``, ``items`` or
``data``; an alert's ``properties`` object is read as part of it), anything
else is CSV. Column names are compared case-insensitively with everything but
letters and digits dropped, so "Source device address", ``sourceDeviceAddress``
and ``source_device_address`` are one column. The accepted names are
`COLUMNS`; a title column and at least one address column are required.

An alert's key is its case and its id, or a hash of its row when the export
has no id, so importing the same file again changes nothing. Times without a
zone are read as UTC.
"""

from __future__ import annotations

import csv
import hashlib
import io
import ipaddress
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icsgraph.errors import ConfigError
from icsgraph.graph.keys import host_key
from icsgraph.graph.statements import statement, statements

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

log = logging.getLogger(__name__)

# Field -> accepted column names (compared as lowercase letters and digits).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Alert ID", "ID", "Alert UUID", "UUID"),
    "title": ("Title", "Alert title", "Alert name", "Display name", "Alert"),
    "severity": ("Severity", "Alert severity", "Reported severity"),
    "protocol": ("Protocol", "Protocols"),
    "time": (
        "Time",
        "Detection time",
        "First detection",
        "First detection time",
        "Last detection",
        "Last detection time",
        "Date",
        "Timestamp",
        "Time generated",
    ),
    "description": ("Description", "Message", "Details"),
    "source_ip": (
        "Source device address",
        "Source address",
        "Source IP",
        "Source IP address",
        "Source device IP",
        "Source",
        "Src IP",
    ),
    "destination_ip": (
        "Destination device address",
        "Destination address",
        "Destination IP",
        "Destination IP address",
        "Destination device IP",
        "Destination",
        "Dst IP",
    ),
    "source_mac": ("Source device MAC", "Source MAC", "Source MAC address"),
    "destination_mac": (
        "Destination device MAC",
        "Destination MAC",
        "Destination MAC address",
    ),
}
REQUIRED_ADDRESS = ("source_ip", "destination_ip")
JSON_LISTS = ("value", "alerts", "items", "data")
MAC = re.compile(r"^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$", re.I)
TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert of an export; addresses are normalised or None."""

    key: str
    case: str
    id: str | None
    title: str
    severity: str | None
    protocol: str | None
    time: str | None  # ISO 8601, UTC
    first_seen: float | None  # seconds since the epoch
    description: str | None
    source_ip: str | None
    destination_ip: str | None
    source_mac: str | None
    destination_mac: str | None


@dataclass(frozen=True, slots=True)
class AlertFile:
    """What reading a file gave: the alerts and the rows it could not use."""

    alerts: tuple[Alert, ...]
    skipped: int  # rows without a title or any usable address
    bad_addresses: int  # address cells that are not an IP address


def fold(name: str) -> str:
    """A column name as compared: lowercase letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


ALIASES = {fold(c): field for field, cs in COLUMNS.items() for c in cs}


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV or JSON export as dicts keyed by the file's names."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the alert file: {exc}") from exc
    if text.lstrip()[:1] in ("[", "{"):
        return json_rows(text, path)
    return list(csv.DictReader(io.StringIO(text)))


def json_rows(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not JSON: {exc}") from exc
    if isinstance(data, dict):
        found = [data[k] for k in JSON_LISTS if isinstance(data.get(k), list)]
        data = found[0] if found else [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ConfigError(f"{path}: JSON must be a list of alert objects")
    return [_flatten(r) for r in data]


def _flatten(row: Mapping[str, Any]) -> dict[str, Any]:
    inner = row.get("properties")
    flat = {k: v for k, v in row.items() if k != "properties"}
    if isinstance(inner, Mapping):
        flat.update({k: v for k, v in inner.items() if k not in flat})
    return flat


def map_columns(names: Iterable[str], path: Path) -> dict[str, str]:
    """Field -> the file's column name; one-line error naming what is missing."""
    mapping: dict[str, str] = {}
    for name in names:
        field = ALIASES.get(fold(name))
        if field and field not in mapping:
            mapping[field] = name
    if "title" not in mapping:
        raise ConfigError(f"{path}: no {COLUMNS['title'][0]!r} column")
    if not any(f in mapping for f in REQUIRED_ADDRESS):
        wanted = " or ".join(repr(COLUMNS[f][0]) for f in REQUIRED_ADDRESS)
        raise ConfigError(f"{path}: no {wanted} column")
    return mapping


def text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def parse_ip(value: Any) -> tuple[str | None, bool]:
    """A normalised address and whether the cell held something else."""
    text = text_of(value)
    if text is None:
        return None, False
    try:
        return str(ipaddress.ip_address(text)), False
    except ValueError:
        return None, True


def parse_mac(value: Any) -> str | None:
    text = text_of(value)
    if text is None or not MAC.match(text):
        return None
    digits = re.sub(r"[^0-9a-f]", "", text.lower())
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def parse_time(value: Any) -> tuple[str | None, float | None]:
    """ISO text (UTC) and epoch seconds of a time cell; (None, None) if neither."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        stamp = float(value) / (1000 if value > 1e11 else 1)
        return datetime.fromtimestamp(stamp, UTC).isoformat(), stamp
    text = text_of(value)
    if text is None:
        return None, None
    moment = _parse_datetime(text)
    if moment is None:
        return text, None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.isoformat(), moment.timestamp()


def _parse_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def alert_key(case: str, alert_id: str | None, row: Mapping[str, Any]) -> str:
    """``case|alert|id``, or a hash of the row's values when there is no id."""
    if alert_id:
        return f"{case}|alert|{alert_id}"
    canonical = json.dumps(row, sort_keys=True, default=str)
    return f"{case}|alert|row-{hashlib.sha256(canonical.encode()).hexdigest()[:20]}"


def parse_alerts(path: Path, case: str) -> AlertFile:
    """Read and check an export; rows without title or address are counted."""
    rows = read_rows(path)
    if not rows:
        raise ConfigError(f"{path}: no alerts in the file")
    # JSON objects may each leave out fields: the columns are the union.
    mapping = map_columns(dict.fromkeys(k for row in rows for k in row), path)
    alerts, skipped, bad = [], 0, 0
    for row in rows:
        alert, bad_cells = parse_row(row, mapping, case)
        bad += bad_cells
        if alert is None:
            skipped += 1
        else:
            alerts.append(alert)
    return AlertFile(tuple(alerts), skipped, bad)


def parse_row(
    row: Mapping[str, Any], mapping: Mapping[str, str], case: str
) -> tuple[Alert | None, int]:
    """One alert from one row (None without a title or an address)."""
    cell = {field: row.get(name) for field, name in mapping.items()}
    title = text_of(cell.get("title"))
    source, bad_src = parse_ip(cell.get("source_ip"))
    dest, bad_dst = parse_ip(cell.get("destination_ip"))
    bad = int(bad_src) + int(bad_dst)
    if title is None or (source is None and dest is None):
        return None, bad
    alert_id = text_of(cell.get("id"))
    time, first_seen = parse_time(cell.get("time"))
    alert = Alert(
        key=alert_key(case, alert_id, {k: text_of(v) for k, v in cell.items()}),
        case=case,
        id=alert_id,
        title=title,
        severity=text_of(cell.get("severity")),
        protocol=text_of(cell.get("protocol")),
        time=time,
        first_seen=first_seen,
        description=text_of(cell.get("description")),
        source_ip=source,
        destination_ip=dest,
        source_mac=parse_mac(cell.get("source_mac")),
        destination_mac=parse_mac(cell.get("destination_mac")),
    )
    return alert, bad


def alert_row(alert: Alert) -> dict[str, Any]:
    """The parameters of one alert for ``alerts_merge``."""
    ends = [
        {"role": role, "ip": ip, "key": host_key(alert.case, ip)}
        for role, ip in (
            ("source", alert.source_ip),
            ("destination", alert.destination_ip),
        )
        if ip is not None
    ]
    return {"props": asdict(alert), "ends": ends}


def _merge(tx: ManagedTransaction, case: str, rows: list[dict[str, Any]]) -> int:
    record = tx.run(statement("alerts_merge"), case=case, rows=rows).single()
    return int(record["alerts"]) if record else 0


def load_alerts(
    driver: Driver, database: str, case: str, alerts: Iterable[Alert]
) -> int:
    """Write the alerts of one case in one transaction; returns how many."""
    rows = [alert_row(a) for a in alerts]
    with driver.session(database=database) as session:
        for query in statements("alerts_schema"):
            session.run(query).consume()
        count = session.execute_write(_merge, case, rows)
    log.info("imported %d alerts into case %s", count, case)
    return count
