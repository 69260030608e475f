"""Alert exports read without a database: columns, times, addresses, keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icsgraph.errors import ConfigError
from icsgraph.graph.alerts import parse_alerts, parse_mac, parse_time
from icsgraph.report.write import md_cell


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_spellings_are_folded(tmp_path: Path) -> None:
    csv = (
        "ALERT_ID,alert title,SOURCE IP,dst ip,Severity\n7,Scan,10.0.0.1,10.0.0.2,Low\n"
    )

    (alert,) = parse_alerts(write(tmp_path, "a.csv", csv), "c").alerts

    assert (alert.id, alert.title, alert.source_ip, alert.destination_ip) == (
        "7",
        "Scan",
        "10.0.0.1",
        "10.0.0.2",
    )
    assert alert.key == "c|alert|7"


def test_azure_style_json_with_properties(tmp_path: Path) -> None:
    body = {
        "value": [
            {
                "id": "x1",
                "properties": {
                    "displayName": "PLC Scan Detected",
                    "sourceDeviceAddress": "10.10.10.66",
                    "firstDetectionTime": "2023-11-14T22:13:20Z",
                },
            }
        ]
    }

    (alert,) = parse_alerts(write(tmp_path, "a.json", json.dumps(body)), "c").alerts

    assert (alert.title, alert.source_ip, alert.first_seen) == (
        "PLC Scan Detected",
        "10.10.10.66",
        1700000000.0,
    )


def test_rows_without_id_get_a_stable_hash_key(tmp_path: Path) -> None:
    csv = "Title,Source device address\nScan,10.0.0.1\nScan,10.0.0.9\n"
    path = write(tmp_path, "a.csv", csv)

    first = [a.key for a in parse_alerts(path, "c").alerts]
    again = [a.key for a in parse_alerts(path, "c").alerts]

    assert first == again
    assert len(set(first)) == 2
    assert all(k.startswith("c|alert|row-") for k in first)


def test_rows_without_address_are_skipped_and_bad_cells_counted(
    tmp_path: Path,
) -> None:
    csv = "Title,Source device address\nScan,not-an-ip\nScan,10.0.0.1\n,10.0.0.2\n"

    parsed = parse_alerts(write(tmp_path, "a.csv", csv), "c")

    assert len(parsed.alerts) == 1
    assert parsed.skipped == 2
    assert parsed.bad_addresses == 1


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20+00:00"),
        ("2023-11-14 23:13:20+01:00", "2023-11-14T22:13:20+00:00"),
        ("11/14/2023 10:13:20 PM", "2023-11-14T22:13:20+00:00"),
        (1700000000, "2023-11-14T22:13:20+00:00"),
        (1700000000000, "2023-11-14T22:13:20+00:00"),
    ],
)
def test_times_are_utc(cell: object, iso: str) -> None:
    assert parse_time(cell) == (iso, 1700000000.0)


def test_macs_are_normalised() -> None:
    assert parse_mac("00-90-E8-27-8C-37") == "00:90:e8:27:8c:37"
    assert parse_mac("0090e8278c37") == "00:90:e8:27:8c:37"
    assert parse_mac("nope") is None


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no alerts"):
        parse_alerts(write(tmp_path, "a.csv", "Title,Source IP\n"), "c")


def test_markdown_cells_escape_markup() -> None:
    cell = md_cell({"text": "<script>x</script> | *b*", "n": [1, 2]})

    assert cell == r"text: \<script\>x\</script\> \| \*b\*; n: 1, 2"
