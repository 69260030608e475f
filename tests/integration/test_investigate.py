"""`icsgraph investigate` on the replayed PLC-scan case and on hostile banners.

The report must name the scanner, the ports it tried (as tshark counts
them), the switch's identity, the leaked accounts with the password masked
unless asked for, and T0846, T0888 and T0859; its HTML must open offline in
Chromium without a request outside its folder and show capture text as text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser import chromium_available, ink_fraction, open_browser
from conftest import DATA

from icsgraph.graph.cases import delete_case
from icsgraph.queries.packs import find_query
from icsgraph.report.steps import STEPS
from icsgraph.secrets import MASK

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

ICSGRAPH = Path(sys.executable).with_name("icsgraph")
REPLAY = DATA / "plc-scan-replay.pcap"
XSS = DATA / "xss-banner.pcap"
CASE = "test-investigate-replay"
XSS_CASE = "test-investigate-xss"
SCANNER, SWITCH = "10.10.10.66", "10.10.10.20"
IDENTITY = ("vendor", "model", "firmware", "serial")
PAYLOADS = ("<script>window.pwned=1</script>", '<img src=x onerror="window.pwned=1">')


def icsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(ICSGRAPH), *args], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result


def tshark_syn_ports(src: str, dst: str) -> set[int]:
    """Distinct destination ports of the SYNs from src to dst, by tshark."""
    display = f"ip.src=={src} && ip.dst=={dst} && tcp.flags.syn==1 && tcp.flags.ack==0"
    command = ["tshark", "-r", str(REPLAY), "-Y", display, "-T", "fields"]
    out = subprocess.run(
        [*command, "-e", "tcp.dstport"], capture_output=True, text=True, check=True
    ).stdout
    return {int(p) for p in out.split()}


@pytest.fixture(scope="module")
def reports(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: Any
) -> Iterator[dict[str, Path]]:
    """The replay case with its alerts, investigated masked (from alert 4101)
    and in clear (from the findings); each folder by name."""
    db = neo4j_settings.database
    delete_case(driver, db, CASE)
    icsgraph("ingest", str(REPLAY), "--case", CASE)
    icsgraph("alerts", "import", str(DATA / "alerts-plc-scan.csv"), "--case", CASE)
    masked = tmp_path_factory.mktemp("masked")
    clear = tmp_path_factory.mktemp("clear")
    icsgraph("investigate", "--case", CASE, "--alert", "4101", "-o", str(masked))
    icsgraph("investigate", "--case", CASE, "--show-secrets", "-o", str(clear))
    yield {"masked": masked, "clear": clear}
    delete_case(driver, db, CASE)


def load(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "report.json").read_text("utf-8"))
    return data


def answers(data: dict[str, Any], ref: str) -> list[dict[str, Any]]:
    return [a for s in data["steps"] for a in s["answers"] if a["ref"] == ref]


def rows(data: dict[str, Any], ref: str) -> list[dict[str, Any]]:
    return [r for a in answers(data, ref) for r in a["rows"]]


def test_the_report_has_every_step_in_order(reports: dict[str, Path]) -> None:
    data = load(reports["masked"])
    markdown = (reports["masked"] / "report.md").read_text("utf-8")

    assert [s["title"] for s in data["steps"]] == [s.title for s in STEPS]
    for step in STEPS:
        assert f"## {step.number}. {step.title}" in markdown


def test_the_suspect_is_the_alerts_source_or_the_top_scanner(
    reports: dict[str, Path],
) -> None:
    from_alert, from_findings = load(reports["masked"]), load(reports["clear"])

    assert from_alert["suspects"] == [SCANNER]
    assert "alert 4101" in from_alert["suspects_from"]
    assert from_findings["suspects"] == [SCANNER]
    assert "scanning findings" in from_findings["suspects_from"]
    assert next(r["title"] for r in rows(from_alert, "context/alerts")) == (
        "PLC Scan Detected"
    )


def test_each_answer_carries_its_query_and_how_to_rerun_it(
    reports: dict[str, Path],
) -> None:
    data = load(reports["masked"])

    for step in data["steps"]:
        for answer in step["answers"]:
            query = find_query(answer["ref"])
            assert query is not None
            assert answer["cypher"] == query.text
            assert answer["rerun"].startswith(f"icsgraph query {answer['ref']} ")


def test_the_scanner_and_the_ports_it_tried_agree_with_tshark(
    reports: dict[str, Path],
) -> None:
    data = load(reports["masked"])
    expected = tshark_syn_ports(SCANNER, SWITCH)

    scans = {(r["scanner"], r["rule"]) for r in rows(data, "scanning/scanners")}
    tried = [r for r in rows(data, "scanning/ports_tried") if r["target"] == SWITCH]
    assert (SCANNER, "port_scan") in scans
    assert (SCANNER, "plc_scan") in scans
    assert len(tried) == 1
    assert set(tried[0]["ports"]) == expected
    assert tried[0]["tried"] == len(expected)


def test_the_switch_identity_is_in_what_leaked(reports: dict[str, Path]) -> None:
    data = load(reports["masked"])
    markdown = (reports["masked"] / "report.md").read_text("utf-8")

    identity: dict[str, str] = {}
    for row in rows(data, "context/leaked"):
        if row["about"] == SWITCH and row["kind"] == "device_identity":
            identity |= {k: v for k, v in row["values"].items() if k in IDENTITY}
    assert identity == {
        "vendor": "Moxa",
        "model": "EDS-516A",
        "firmware": "2.6",
        "serial": "09404",
    }
    leaked = markdown.split("## 5. What leaked")[1].split("## 6.")[0]
    for text in ("Moxa", "EDS-516A", "2.6", "09404"):
        assert text in leaked


def test_the_accounts_leak_with_the_password_masked(
    reports: dict[str, Path],
) -> None:
    data = load(reports["masked"])

    accounts = {r["username"] for r in rows(data, "remote_access/credentials")}
    creds = [r for r in rows(data, "context/leaked") if r["kind"] == "credential"]
    assert accounts == {"admin", "user"}
    assert {(c["values"]["username"], c["values"]["password"]) for c in creds} == {
        ("admin", MASK),
        ("user", MASK),
    }
    for name in ("report.md", "report.html", "report.json", "map.html"):
        assert "Hadmin" not in (reports["masked"] / name).read_text("utf-8")


def test_show_secrets_shows_the_password(reports: dict[str, Path]) -> None:
    data = load(reports["clear"])
    markdown = (reports["clear"] / "report.md").read_text("utf-8")

    creds = [r for r in rows(data, "context/leaked") if r["kind"] == "credential"]
    assert {c["values"]["password"] for c in creds} == {"Hadmin"}
    assert "Hadmin" in markdown


def test_attack_placement_names_t0846_t0888_t0859(reports: dict[str, Path]) -> None:
    data = load(reports["masked"])
    markdown = (reports["masked"] / "report.md").read_text("utf-8")

    techniques = {r["technique"] for r in rows(data, "attack/techniques")}
    assert {"T0846", "T0888", "T0859"} <= techniques
    placement = markdown.split("## 12. ATT&CK for ICS placement")[1]
    for technique in ("T0846", "T0888", "T0859"):
        assert technique in placement


def test_streams_worth_following_come_with_follow_lines(
    reports: dict[str, Path],
) -> None:
    data = load(reports["masked"])
    (answer,) = answers(data, "conversations/worth_following")

    telnet = [r for r in answer["rows"] if r["port"] == 23]
    follows = {e["session"]: e["follow"] for e in answer["evidence"]}
    assert len(telnet) == 1
    assert "credential" in telnet[0]["yielded"]
    assert follows[telnet[0]["session"]] == (
        f"icsgraph follow --case {CASE} '{telnet[0]['session']}'"
    )


def test_the_map_and_flow_graph_are_written_beside_the_report(
    reports: dict[str, Path],
) -> None:
    folder = reports["masked"]
    data = load(folder)

    assert data["files"]["map"] == "map.html"
    assert data["files"]["flows"][0]["file"] == f"flow-{SCANNER}.html"
    assert (folder / "map.html").is_file()
    assert (folder / f"flow-{SCANNER}.html").is_file()
    assert 'src="map.html"' in (folder / "report.html").read_text("utf-8")


@pytest.mark.browser
def test_report_html_opens_offline_without_foreign_requests(
    reports: dict[str, Path],
) -> None:
    if not chromium_available():
        pytest.skip("chromium and chromedriver are not installed")
    folder = reports["masked"]
    inside = folder.resolve().as_uri() + "/"

    with open_browser() as browser:
        page = browser.open(folder / "report.html")
        shot = browser.screenshot()

    outside = [u for u in page.requests if not u.startswith((inside, "data:"))]
    assert outside == []
    assert page.state["steps"] == len(STEPS)
    assert page.state["tables"] > 10
    assert ink_fraction(shot) > 0.01


@pytest.fixture(scope="module")
def xss_report(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: Any
) -> Iterator[Path]:
    db = neo4j_settings.database
    delete_case(driver, db, XSS_CASE)
    icsgraph("ingest", str(XSS), "--case", XSS_CASE)
    folder = tmp_path_factory.mktemp("xss")
    icsgraph(
        "investigate", "--case", XSS_CASE, "--suspect", "10.20.0.5", "-o", str(folder)
    )
    yield folder
    delete_case(driver, db, XSS_CASE)


def test_hostile_banners_are_data_in_the_files(xss_report: Path) -> None:
    page = (xss_report / "report.html").read_text("utf-8")
    markdown = (xss_report / "report.md").read_text("utf-8")
    data = load(xss_report)

    texts = json.dumps(rows(data, "context/leaked"))
    for payload in PAYLOADS:
        assert json.dumps(payload)[1:-1] in texts
        assert payload not in page
        assert payload not in markdown


@pytest.mark.browser
def test_hostile_banners_render_as_text_and_never_run(xss_report: Path) -> None:
    if not chromium_available():
        pytest.skip("chromium and chromedriver are not installed")

    with open_browser() as browser:
        browser.open(xss_report / "report.html")
        pwned = browser.run("return typeof window.pwned")
        shown = browser.text("#steps")
        browser.open(xss_report / "map.html")
        map_pwned = browser.run("return typeof window.pwned")

    assert pwned == "undefined"
    assert map_pwned == "undefined"
    for payload in PAYLOADS:
        assert payload in shown
