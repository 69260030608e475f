"""The replayed PLC-scan case, gaps and hostile payloads, through the real
pipeline into the graph (issue #3, acceptance items 2 and 4).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from artifactcheck import found, host, ingest, tshark
from conftest import DATA
from graphcheck import scalar

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration


def load_layout(tmp_path: Path) -> dict[str, int]:
    """Rebuild the replay capture; its layout holds for the committed file."""
    spec = importlib.util.spec_from_file_location(
        "make_captures", DATA / "make_captures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    layout: dict[str, int] = module.main(tmp_path)
    committed = (DATA / "plc-scan-replay.pcap").read_bytes()
    assert (tmp_path / "plc-scan-replay.pcap").read_bytes() == committed
    return layout


MOXA, SCANNER = "10.10.10.20", "10.10.10.66"


def test_plc_scan_replay_yields_the_case(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    at = load_layout(tmp_path)

    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    (banner,) = [
        a
        for a in found(driver, neo4j_settings, case, "banner")
        if a["protocol"] == "telnet"
    ]
    identity = [
        a
        for a in found(driver, neo4j_settings, case, "device_identity")
        if a["about_ip"] == MOXA
    ]

    # The banner is the server's text before the first typed key; its frames
    # run to the prompt's, though the prompt is cut from the text.
    assert banner["frames"] == [at["telnet_banner"], at["telnet_prompt1"]]
    assert banner["about_ip"] == MOXA
    assert "Moxa EtherDevice Switch EDS-516A" in banner["text"]
    claims = {
        (k, a[k])
        for a in identity
        for k in ("model", "firmware", "serial", "mac")
        if k in a
    }
    assert claims == {
        ("model", "EDS-516A"),
        ("firmware", "2.6"),
        ("serial", "09404"),
        ("mac", "00:90:e8:27:8c:37"),
    }
    assert {tuple(a["frames"]) for a in identity} == {(at["telnet_banner"],)}


def test_plc_scan_replay_telnet_logins_with_their_frames(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    at = load_layout(tmp_path)
    typed = at["telnet_user_first"]  # u, s, e, r and CR, each key echoed
    user = [at["telnet_prompt1"], *range(typed, typed + 9, 2)]
    user += [at["telnet_password_prompt1"], at["telnet_password1"]]
    admin = [at["telnet_failed"], at["telnet_user2"], at["telnet_user2"] + 1]
    admin += [at["telnet_password2"]]

    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    logins = found(driver, neo4j_settings, case, "credential")

    assert [
        (a["username"], a["password"], a["outcome"], a["about_ip"], a["frames"])
        for a in logins
    ] == [
        ("user", "Hadmin", "failed", MOXA, user),
        ("admin", "Hadmin", "accepted", MOXA, admin),
    ]


def test_plc_scan_replay_ssh_http_and_jdwp(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str, tmp_path: Path
) -> None:
    at = load_layout(tmp_path)

    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    ssh = found(driver, neo4j_settings, case, "ssh_version")
    (http,) = found(driver, neo4j_settings, case, "http_request")
    jdwp = found(driver, neo4j_settings, case, "jdwp_handshake")
    state = scalar(
        driver,
        neo4j_settings.database,
        "MATCH (s:Session {case: $case, dst_port: 22}) RETURN s.state",
        case=case,
    )

    assert [(a["frames"], a["about_ip"], a["software"]) for a in ssh] == [
        ([at["ssh_server"]], MOXA, "dropbear_0.52"),
        ([at["ssh_client"]], SCANNER, "PuTTY_Release_0.60"),
    ]
    assert state == "closed"  # the console was reached: key exchange began
    assert (http["method"], http["uri"], http["status"], http["about_ip"]) == (
        "OPTIONS",
        "/",
        200,
        MOXA,
    )
    assert "POST" in http["allow"].split(", ")
    assert http["frames"] == [at["http_request"], at["http_response"]]
    assert [(a["port"], a["answered"], a["about_ip"], a["frames"]) for a in jdwp] == [
        (port, 1, MOXA, [at[f"jdwp{port}_request"], at[f"jdwp{port}_reply"]])
        for port in (4000, 4001)
    ]


def test_plc_scan_replay_host_identity_with_sources(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, DATA / "plc-scan-replay.pcap")
    device = host(driver, neo4j_settings, case, MOXA)

    assert {
        f: (device[f], device[f"{f}_source"], device[f"{f}_confidence"])
        for f in ("vendor", "model", "firmware", "serial")
    } == {
        "vendor": ("Moxa", "banner:23", 0.9),
        "model": ("EDS-516A", "banner:23", 0.9),
        "firmware": ("2.6", "banner:23", 0.7),
        "serial": ("09404", "banner:23", 0.7),
    }


def test_plc_scan_replay_matches_tshark_frames(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    path = DATA / "plc-scan-replay.pcap"
    telnet = tshark(path, 'telnet.data contains "EDS-516A"', "frame.number")
    options = tshark(path, 'http.request.method == "OPTIONS"', "frame.number")
    ssh = tshark(path, "ssh.protocol", "frame.number", "ssh.protocol")

    ingest(driver, neo4j_settings, case, path)
    (banner,) = [
        a
        for a in found(driver, neo4j_settings, case, "banner")
        if a["protocol"] == "telnet"
    ]
    (http,) = found(driver, neo4j_settings, case, "http_request")
    versions = found(driver, neo4j_settings, case, "ssh_version")

    assert banner["first_frame"] == int(telnet[0][0])
    assert http["first_frame"] == int(options[0][0])
    assert [(a["first_frame"], a["text"]) for a in versions] == [
        (int(n), text) for n, text in ssh
    ]


GAP_CUT = DATA / "gap-cut.pcap"
SESSIONS = """
MATCH (s:Session {case: $case})
RETURN s.index AS index, s.state AS state, s.gaps AS gaps,
       s.payload_truncated AS truncated
ORDER BY index
"""


def test_gap_and_cut_short_stream_yield_what_is_there(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, GAP_CUT)
    banners = found(driver, neo4j_settings, case, "banner")
    complete = scalar(
        driver,
        neo4j_settings.database,
        "MATCH (:Case {id: $case})-[r:HAS_CAPTURE]->() RETURN r.complete",
        case=case,
    )

    assert complete is True
    assert [(a["frames"], a["text"]) for a in banners] == [
        ([4], "HELLO first part"),
        ([16], "status: running, the rest never came"),
    ]


def test_gaps_are_marked_on_the_session(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, GAP_CUT)
    with driver.session(database=neo4j_settings.database) as session:
        rows = [tuple(r.values()) for r in session.run(SESSIONS, case=case)]

    # Stream 0 misses a segment the peer acknowledged (36 bytes) and the end
    # of a segment cut by the snap length (32 bytes); stream 1 just stops.
    assert rows == [(0, "closed", 2, False), (1, "established", 0, False)]


XSS = {
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
}


def test_markup_in_payload_is_stored_verbatim(
    driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    ingest(driver, neo4j_settings, case, DATA / "xss-banner.pcap")
    banners = found(driver, neo4j_settings, case, "banner")

    assert {a["text"] for a in banners} == XSS
