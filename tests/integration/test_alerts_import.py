"""`icsgraph alerts import` on the replayed PLC-scan case, CSV and JSON."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DATA
from graphcheck import values

from icsgraph.errors import ConfigError
from icsgraph.graph.cases import delete_case
from icsgraph.queries.run import run_pack_query

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

ICSGRAPH = Path(sys.executable).with_name("icsgraph")
REPLAY = DATA / "plc-scan-replay.pcap"
CSV_EXPORT = DATA / "alerts-plc-scan.csv"
JSON_EXPORT = DATA / "alerts-plc-scan.json"
ALERTS = """
MATCH (a:Alert {case: $case})
RETURN [a.id, a.title, a.severity, a.protocol, a.time, a.first_seen,
        a.description, a.source_ip, a.destination_ip, a.source_mac,
        a.destination_mac]
"""
ENDS = """
MATCH (a:Alert {case: $case})-[r]->(h:Host)
RETURN [a.id, type(r), h.ip, h.key, coalesce(h.seen_in_capture, true)]
"""
COUNTS = """
MATCH (a:Alert {case: $case}) OPTIONAL MATCH (a)-[r]->(h:Host)
RETURN [count(DISTINCT a), count(DISTINCT r), count(DISTINCT h),
        COUNT { (:Host {case: $case}) }]
"""


def icsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ICSGRAPH), *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def replay(case: str) -> str:
    result = icsgraph("ingest", str(REPLAY), "--case", case)
    assert result.returncode == 0, result.stderr
    return case


@pytest.fixture
def other_case(
    case: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> Iterator[str]:
    name = f"{case}-json"
    delete_case(driver, neo4j_settings.database, name)
    yield name
    delete_case(driver, neo4j_settings.database, name)


def alerts(driver: Driver, database: str, case: str) -> set[tuple[object, ...]]:
    return {tuple(v) for v in values(driver, database, ALERTS, case=case)}


def test_csv_alerts_are_tied_to_their_hosts(
    replay: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    result = icsgraph("alerts", "import", str(CSV_EXPORT), "--case", replay)

    db = neo4j_settings.database
    assert result.returncode == 0, result.stderr
    assert "4 alerts imported" in result.stdout
    ends = {tuple(v) for v in values(driver, db, ENDS, case=replay)}
    k = f"{replay}|"
    assert ends == {
        ("4101", "SOURCE", "10.10.10.66", k + "10.10.10.66", True),
        ("4101", "DESTINATION", "10.10.10.101", k + "10.10.10.101", True),
        ("4102", "SOURCE", "10.10.10.66", k + "10.10.10.66", True),
        ("4102", "DESTINATION", "10.10.10.20", k + "10.10.10.20", True),
        ("4103", "SOURCE", "10.10.10.66", k + "10.10.10.66", True),
        ("4103", "DESTINATION", "10.10.10.20", k + "10.10.10.20", True),
        ("4104", "SOURCE", "10.10.10.66", k + "10.10.10.66", True),
        ("4104", "DESTINATION", "203.0.113.9", k + "203.0.113.9", False),
    }


def test_csv_alert_fields(
    replay: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    icsgraph("alerts", "import", str(CSV_EXPORT), "--case", replay)

    found = alerts(driver, neo4j_settings.database, replay)

    telnet = next(a for a in found if a[0] == "4102")
    assert telnet == (
        "4102",
        "Unauthorized Telnet access",
        "Critical",
        "Telnet",
        "2023-11-14T22:13:20+00:00",
        1700000000.0,
        "Telnet access to a switch from an unauthorized source.",
        "10.10.10.66",
        "10.10.10.20",
        "00:0c:29:3e:aa:66",
        "00:90:e8:27:8c:37",
    )


def test_importing_again_changes_nothing(
    replay: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    icsgraph("alerts", "import", str(CSV_EXPORT), "--case", replay)
    before = values(driver, db, COUNTS, case=replay)
    props = alerts(driver, db, replay)

    again = icsgraph("alerts", "import", str(CSV_EXPORT), "--case", replay)

    assert again.returncode == 0, again.stderr
    assert values(driver, db, COUNTS, case=replay) == before
    assert alerts(driver, db, replay) == props


def test_json_export_gives_the_same_alerts_as_csv(
    replay: str, other_case: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    icsgraph("alerts", "import", str(CSV_EXPORT), "--case", replay)

    result = icsgraph("alerts", "import", str(JSON_EXPORT), "--case", other_case)

    assert result.returncode == 0, result.stderr
    assert alerts(driver, db, other_case) == alerts(driver, db, replay)
    assert (
        values(
            driver,
            db,
            "MATCH (h:Host {case: $case}) RETURN h.seen_in_capture",
            case=other_case,
        )
        == [False] * 4
    )


def test_context_alerts_of_the_switch(
    replay: str, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    icsgraph("alerts", "import", str(JSON_EXPORT), "--case", replay)
    given = {"case": replay, "suspect": "10.10.10.20"}

    _, rows = run_pack_query(driver, neo4j_settings.database, "context/alerts", given)

    assert {(r["alert"], r["role"], r["source"]) for r in rows} == {
        ("4102", "destination", "10.10.10.66"),
        ("4103", "destination", "10.10.10.66"),
    }


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("Alert ID,Severity,Source device address\n1,High,10.0.0.1\n", "'Title'"),
        ("Alert ID,Title,Severity\n1,Scan,High\n", "'Source device address'"),
    ],
)
def test_a_file_missing_a_column_is_one_line_naming_it(
    case: str, tmp_path: Path, header: str, named: str
) -> None:
    bad = tmp_path / "alerts.csv"
    bad.write_text(header, encoding="utf-8")

    result = icsgraph("alerts", "import", str(bad), "--case", case)

    errors = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == ConfigError.exit_code
    assert len(errors) == 1, result.stderr
    assert named in errors[0]


def test_json_that_is_not_a_list_of_alerts_is_refused(
    case: str, tmp_path: Path
) -> None:
    bad = tmp_path / "alerts.json"
    bad.write_text('{"alerts": [1, 2]}', encoding="utf-8")

    result = icsgraph("alerts", "import", str(bad), "--case", case)

    assert result.returncode == ConfigError.exit_code
    assert "list of alert objects" in result.stderr
