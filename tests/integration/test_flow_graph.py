"""The flow graph: a case's capture re-read for one host, against tshark.

The capture is ingested into the real Neo4j with the path it came from; the
flow reader finds it through the graph and must list exactly the frames
tshark's ``ip.addr`` filter lists, with tshark's TCP flags, each tied to a
session the graph holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import Browser, chromium_available, ink_fraction, open_browser
from graphcheck import values

from icsgraph.errors import CaptureError
from icsgraph.graph.flow_data import CaptureFile, Flow, read_flow
from icsgraph.graph.map_data import read_captures
from icsgraph.graph.writer import GraphSink
from icsgraph.ingest.pipeline import ingest_capture
from icsgraph.ingest.sessions import FLAG_NAMES

if TYPE_CHECKING:
    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration

ICSGRAPH = Path(sys.executable).with_name("icsgraph")
DNP3 = "dnp3-cold-restart.pcap"
PLANT = "plant1-mixed-ics.pcap"


def ingest(driver: Driver, settings: Neo4jSettings, case: str, path: Path) -> None:
    ingest_capture(path, GraphSink(driver, settings.database, case, path=str(path)))


def captures(driver: Driver, settings: Neo4jSettings, case: str) -> list[CaptureFile]:
    with driver.session(database=settings.database) as session:
        return read_captures(session, case)


def tshark_frames(path: Path, display_filter: str) -> dict[int, str]:
    """Frame number -> TCP flags as hex ('' for non-TCP frames)."""
    out = subprocess.run(
        [
            *("tshark", "-n", "-r", str(path), "-Y", display_filter),
            *("-T", "fields", "-e", "frame.number", "-e", "tcp.flags"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = (line.split("\t") for line in out.splitlines() if line.strip())
    return {int(number): flags for number, flags in rows}


def arp_or_ip(host: str, peer: str | None = None) -> str:
    """tshark's filter for the frames the flow keeps: IP, and ARP about it."""
    if peer is None:
        arp = f"arp.src.proto_ipv4=={host} || arp.dst.proto_ipv4=={host}"
        return f"ip.addr=={host} || {arp}"
    pair = f"ip.addr=={host} && ip.addr=={peer}"
    there = f"arp.src.proto_ipv4=={host} && arp.dst.proto_ipv4=={peer}"
    back = f"arp.src.proto_ipv4=={peer} && arp.dst.proto_ipv4=={host}"
    return f"({pair}) || ({there}) || ({back})"


def flag_names(hex_flags: str) -> list[str]:
    bits = int(hex_flags, 16)
    return [name for bit, name in enumerate(FLAG_NAMES) if bits >> bit & 1]


def flow_of(
    driver: Driver, settings: Neo4jSettings, case: str, host: str, **kw: object
) -> Flow:
    return read_flow(captures(driver, settings, case), case, host, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("host", ["192.168.60.1", "192.168.60.130"])
def test_events_are_tsharks_frames_with_their_flags(
    host: str, pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    capture = pcaps / DNP3
    ingest(driver, neo4j_settings, case, capture)
    expected = tshark_frames(capture, f"ip.addr=={host}")
    sessions = values(
        driver,
        neo4j_settings.database,
        "MATCH (s:Session {case: $c}) RETURN s.key",
        c=case,
    )

    flow = flow_of(driver, neo4j_settings, case, host)

    assert [e.frame for e in flow.events] == sorted(expected)
    for event in flow.events:
        flags = ", ".join(flag_names(expected[event.frame]))
        assert event.summary.split(" Len=")[0] == flags
        assert event.session in sessions
    assert {e.protocol for e in flow.events} == {"tcp", "dnp3"}
    assert [e.summary for e in flow.events][:3] == ["SYN", "SYN, ACK", "ACK"]
    assert flow.matched == len(expected)
    assert not flow.capped


def test_peer_and_limit(
    pcaps: Path, driver: Driver, neo4j_settings: Neo4jSettings, case: str
) -> None:
    capture = pcaps / PLANT
    hmi, plc = "141.81.0.10", "141.81.0.104"
    ingest(driver, neo4j_settings, case, capture)
    pair = tshark_frames(capture, arp_or_ip(plc, hmi))

    flow = flow_of(driver, neo4j_settings, case, plc, peer=hmi)
    capped = flow_of(driver, neo4j_settings, case, hmi, limit=50)

    assert [e.frame for e in flow.events] == sorted(pair)
    assert {(e.src, e.dst) for e in flow.events} <= {(hmi, plc), (plc, hmi)}
    assert {"modbus", "tcp", "arp"} <= {e.protocol for e in flow.events}
    assert "Who has 141.81.0.104? Tell 141.81.0.10" in {e.summary for e in flow.events}
    assert len(capped.events) == 50
    assert capped.capped
    assert capped.matched == len(tshark_frames(capture, arp_or_ip(hmi)))


def test_moved_or_changed_capture_is_one_line(
    pcaps: Path,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    case: str,
    tmp_path: Path,
) -> None:
    copy = tmp_path / DNP3  # times shifted: a capture no other case shares
    subprocess.run(["editcap", "-t", "3600", str(pcaps / DNP3), str(copy)], check=True)
    ingest(driver, neo4j_settings, case, copy)
    found = captures(driver, neo4j_settings, case)

    with copy.open("ab") as stream:
        stream.write(b"\0" * 16)
    with pytest.raises(CaptureError, match="moved or changed") as changed:
        read_flow(found, case, "192.168.60.1")
    copy.unlink()
    with pytest.raises(CaptureError, match="moved or changed") as moved:
        read_flow(found, case, "192.168.60.1")

    assert found[0].paths == (str(copy),)
    assert "\n" not in str(changed.value) + str(moved.value)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip("chromium and chromedriver are not installed")
    with open_browser() as opened:
        yield opened


@pytest.mark.browser
def test_cli_flow_draws_every_packet_offline(
    pcaps: Path,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    case: str,
    browser: Browser,
    tmp_path: Path,
) -> None:
    host = "192.168.60.130"
    ingest(driver, neo4j_settings, case, pcaps / DNP3)
    out = tmp_path / "flow.html"
    expected = tshark_frames(pcaps / DNP3, f"ip.addr=={host}")

    done = subprocess.run(
        [str(ICSGRAPH), "flow", "--case", case, "--host", host, "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
        check=False,
    )
    page = browser.open(out)

    assert done.returncode == 0, done.stderr
    assert page.state["events"] == len(expected)
    assert page.state["drawnArrows"] == len(expected)
    assert page.state["hosts"] == 2
    assert page.foreign_requests() == []
    assert "SYN, ACK" in browser.text("#flow")
    assert ink_fraction(browser.screenshot(), (0, 40, 900, 240)) > 0.005
