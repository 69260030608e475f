"""Every query pack file: valid metadata, unique ids, parameters that match."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icsgraph.cli import app
from icsgraph.errors import ConfigError, QueryError
from icsgraph.queries.config import load_thresholds, zone_map, zone_of
from icsgraph.queries.findings import finding_key, load_techniques
from icsgraph.queries.packs import (
    FINDING_COLUMNS,
    PACKS,
    PackQuery,
    bind_parameters,
    find_query,
    load_packs,
    parse_query,
    used_parameters,
)

QUERIES = Path(__file__).resolve().parents[2] / "queries"
ALL = load_packs()
TECHNIQUES = QUERIES / "attack" / "techniques.json"


def by_ref(ref: str) -> PackQuery:
    query = find_query(ref)
    assert query is not None
    return query


def test_every_cypher_file_of_a_pack_is_loaded() -> None:
    files = {
        f"{p.parent.name}/{p.stem}"
        for pack in PACKS
        for p in (QUERIES / pack).glob("*.cypher")
    }

    assert {q.ref for q in ALL} == files
    assert {q.pack for q in ALL} == set(PACKS)


def test_query_ids_are_unique() -> None:
    refs = [q.ref for q in ALL]

    assert len(refs) == len(set(refs))


@pytest.mark.parametrize("query", ALL, ids=lambda q: q.ref)
def test_declared_parameters_are_the_ones_used(query: PackQuery) -> None:
    used = used_parameters(query)

    assert "case" in used
    assert used - {"case"} == {p.name for p in query.parameters}


@pytest.mark.parametrize("query", ALL, ids=lambda q: q.ref)
def test_metadata_is_complete(query: PackQuery) -> None:
    assert query.title
    assert query.description
    assert query.limitations
    assert query.returns
    assert len(set(query.returns)) == len(query.returns)
    assert query.step is not None
    if query.finding:
        assert set(query.returns) >= FINDING_COLUMNS
        assert query.attack, "a finding rule maps to ATT&CK"


@pytest.mark.parametrize("query", ALL, ids=lambda q: q.ref)
def test_thresholds_named_exist_in_the_defaults(query: PackQuery) -> None:
    thresholds = load_thresholds()

    for p in query.parameters:
        if p.threshold:
            table, _, key = p.threshold.partition(".")
            assert key in thresholds[table], p.threshold


def test_attack_ids_are_in_the_pinned_technique_list() -> None:
    if not TECHNIQUES.exists():
        pytest.skip("queries/attack/techniques.json has not landed yet")
    known = set(load_techniques())
    used = {a for q in ALL for a in q.attack}

    assert used
    assert used <= known, sorted(used - known)


def test_default_thresholds_are_the_published_ones() -> None:
    with (QUERIES / "defaults" / "thresholds.toml").open("rb") as f:
        th = tomllib.load(f)

    assert (th["port_scan"]["min_ports"], th["port_scan"]["window"]) == (25, 120)
    assert th["address_sweep"]["min_addresses"] == 50
    assert th["address_sweep"]["window"] == 120
    assert (th["plc_scan"]["min_controllers"], th["plc_scan"]["window"]) == (10, 120)


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ("// description: d\n// returns: a\n// limitations: l\n", "missing title"),
        ("// title: t\n// colour: red\n", "bad header line"),
        ("// title: t\n// param x: float, required\n", "description"),
        ("// title: t\n// param x: date, required -- d\n", "unknown type"),
        ("// title: t\n// param x: int, sometimes -- d\n", "required, default"),
        ("// title: t\n// param x: int, default [1 -- d\n", "not JSON"),
        ("// title: t\n// title: u\n", "given twice"),
    ],
)
def test_a_malformed_header_is_refused(header: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        parse_query("p", "q", header + "MATCH (n) RETURN n\n")


def test_bad_attack_ids_and_finding_columns_are_refused() -> None:
    base = "// title: t\n// description: d\n// limitations: l\n// returns: a\n"

    with pytest.raises(ConfigError, match="attack"):
        parse_query("p", "q", base + "// attack: T846\nRETURN 1 AS a")
    with pytest.raises(ConfigError, match="finding rule"):
        parse_query("p", "q", base + "// finding: x\nRETURN 1 AS a")


def test_continuation_lines_join_the_previous_value() -> None:
    query = by_ref("scanning/plc_scan")
    ports = query.parameter("ics_ports")

    assert ports is not None
    assert ports.default[:3] == (502, 102, 44818)
    assert 2455 in ports.default
    assert ports.description == "server ports of ICS services"


def test_binding_checks_required_and_fills_defaults_and_thresholds() -> None:
    th = {"port_scan": {"min_ports": 7, "window": 60.0}}
    query = by_ref("scanning/port_scan")

    bound = bind_parameters(query, {"case": "c", "window": "30"}, th)

    assert bound == {"case": "c", "suspect": None, "min_ports": 7, "window": 30.0}
    with pytest.raises(QueryError, match="needs -p suspect"):
        bind_parameters(by_ref("context/peers"), {"case": "c"}, th)
    with pytest.raises(QueryError, match="takes no parameter 'nope'"):
        bind_parameters(query, {"case": "c", "nope": 1}, th)
    with pytest.raises(QueryError, match="min_ports must be int"):
        bind_parameters(query, {"case": "c", "min_ports": "many"}, th)
    with pytest.raises(QueryError, match="needs --case"):
        bind_parameters(query, {}, th)


def test_list_parameters_take_one_value_or_a_list() -> None:
    query = by_ref("scanning/plc_scan")
    th = load_thresholds()

    one = bind_parameters(query, {"case": "c", "ics_ports": 502}, th)
    many = bind_parameters(query, {"case": "c", "ics_ports": [502, "102"]}, th)

    assert one["ics_ports"] == [502]
    assert many["ics_ports"] == [502, 102]


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("37.187.126.138", "internet"),
        ("192.168.98.125", "internal"),
        ("10.1.2.3", "internal"),
        ("172.31.0.1", "internal"),
        ("172.32.0.1", "internet"),
        ("100.64.0.9", "internal"),
        ("127.0.0.1", "internal"),
        ("169.254.10.1", "internal"),
        ("224.0.0.251", "internal"),
        ("255.255.255.255", "internal"),
        ("fe80::1", "internal"),
        ("ff02::1", "internal"),
        ("2001:4860::8888", "internet"),
    ],
)
def test_default_zones(ip: str, kind: str) -> None:
    from icsgraph.queries.config import load_zones

    assert zone_of(load_zones(), ip).kind == kind


def test_a_zones_file_replaces_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icsgraph.queries.config import load_zones

    path = tmp_path / "zones.toml"
    path.write_text(
        '[[zone]]\nname = "cell-1"\nkind = "ot"\ncidrs = ["10.10.0.0/16"]\n'
        '[[zone]]\nname = "dmz"\nkind = "dmz"\ncidrs = ["192.168.50.0/24"]\n'
    )
    monkeypatch.setenv("ICSGRAPH_ZONES", str(path))

    zones = load_zones()

    assert zone_of(zones, "10.10.3.4").name == "cell-1"
    assert zone_of(zones, "192.168.50.7").kind == "dmz"
    assert zone_of(zones, "192.168.1.1").kind == "internet"
    with pytest.raises(ConfigError, match="bad zone entry"):
        zone_map({"zone": [{"name": "x", "kind": "ot", "cidrs": ["10.0.0.0/33"]}]})


def test_thresholds_from_the_config_file_override_single_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[thresholds.port_scan]\nmin_ports = 5\n")
    monkeypatch.delenv("ICSGRAPH_THRESHOLDS", raising=False)
    monkeypatch.setenv("ICSGRAPH_CONFIG", str(path))

    th = load_thresholds()

    assert th["port_scan"] == {"min_ports": 5, "window": 120.0}
    assert th["plc_scan"]["min_controllers"] == 10


def test_finding_keys_are_deterministic_and_order_free_in_evidence() -> None:
    one = finding_key("c", "port_scan", ["a", "b"], ["s1", "s2"])

    assert one == finding_key("c", "port_scan", ["a", "b"], ["s2", "s1"])
    assert one != finding_key("c", "port_scan", ["b", "a"], ["s1", "s2"])


def test_packs_list_and_show_on_the_command_line() -> None:
    runner = CliRunner()

    listed = runner.invoke(app, ["packs", "list", "--format", "json"])
    shown = runner.invoke(app, ["packs", "show", "scanning/port_scan"])
    missing = runner.invoke(app, ["packs", "show", "scanning/nope"])

    assert listed.exit_code == 0
    assert {q["query"] for q in json.loads(listed.output)} == {q.ref for q in ALL}
    assert shown.exit_code == 0
    assert "// title: Port scans" in shown.output
    assert missing.exit_code == 2


def test_a_pack_query_missing_a_required_parameter_fails_in_one_line() -> None:
    result = CliRunner().invoke(app, ["query", "context/peers", "--case", "c"])

    assert result.exit_code == 6
    assert "needs -p suspect" in result.output
