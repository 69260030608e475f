"""Parsing `-p` parameters and formatting query results."""

from __future__ import annotations

import json

import pytest

from icsgraph.commands.query import OutputFormat, format_rows, parse_params
from icsgraph.errors import ConfigError


def test_params_parse_json_values_and_fall_back_to_text() -> None:
    params = parse_params(["n=5", 'ips=["10.0.0.1"]', "name=plc-1", "x="], "c1")

    assert params == {
        "n": 5,
        "ips": ["10.0.0.1"],
        "name": "plc-1",
        "x": "",
        "case": "c1",
    }


@pytest.mark.parametrize("bad", ["novalue", "=5", "a b=1", "1x=2"])
def test_a_malformed_parameter_is_refused(bad: str) -> None:
    with pytest.raises(ConfigError, match="name=value"):
        parse_params([bad], None)


def test_json_output_is_one_object_per_row_keyed_by_column() -> None:
    rows = [{"ip": "10.0.0.1", "n": 2}, {"ip": "10.0.0.2", "n": 0}]

    text = format_rows(["ip", "n"], rows, OutputFormat.json)

    assert json.loads(text) == rows


def test_csv_output_has_a_header_and_json_for_lists() -> None:
    rows = [{"ip": "10.0.0.1", "protocols": ["modbus", "s7comm"]}]

    text = format_rows(["ip", "protocols"], rows, OutputFormat.csv)

    assert text.splitlines() == ["ip,protocols", '10.0.0.1,"[""modbus"", ""s7comm""]"']


def test_table_output_counts_rows() -> None:
    text = format_rows(["ip"], [{"ip": "10.0.0.1"}], OutputFormat.table)

    assert "10.0.0.1" in text
    assert text.endswith("1 row")


def test_tables_and_csv_show_times_in_utc_and_json_keeps_seconds() -> None:
    rows = [{"first_seen": 1700000000.05, "frames": 3, "nested": {"last_seen": 0}}]
    keys = ["first_seen", "frames", "nested"]

    text = format_rows(keys, rows, OutputFormat.csv)
    raw = json.loads(format_rows(keys, rows, OutputFormat.json))

    assert text.splitlines()[1].startswith("2023-11-14T22:13:20.050Z,3,")
    assert '""last_seen"": ""1970-01-01T00:00:00.000Z""' in text
    assert raw == rows
