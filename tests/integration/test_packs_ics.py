"""ICS command packs against tshark: state changes, ATT&CK, illegal commands.

The state-changing request codes of each protocol are written here from the
specifications, not taken from the parsers: tshark finds the requests with
those codes, and `ics_commands/state_changes` must list the same
(frame, function code) pairs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import pytest
from conftest import DATA, PCAPS
from test_packs_answers import Graph, tshark_fields

if TYPE_CHECKING:
    from pathlib import Path

    from neo4j import Driver

    from icsgraph.settings import Neo4jSettings

pytestmark = pytest.mark.integration


class Spec(NamedTuple):
    """Requests of one protocol in tshark terms, and its state-changing codes."""

    requests: str
    field: str
    codes: frozenset[int]


SPECS = {
    # Job requests: write var, download (0x1a-0x1c), upload (0x1d-0x1f, the
    # issue lists uploads with the state changes), PI service, PLC stop.
    "s7comm": Spec(
        "s7comm.header.rosctr == 1",
        "s7comm.param.func",
        frozenset({0x05, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x28, 0x29}),
    ),
    # Write, select/operate, freezes, restarts, application and
    # unsolicited control, time and file services (IEEE 1815 table 4-1).
    "dnp3": Spec(
        "dnp3.al.func < 0x81",
        "dnp3.al.func",
        frozenset(range(2, 22)) | {24, 25, 26, 27, 30, 31},
    ),
    # Set attributes, reset, start, stop, create, delete, apply, restore and
    # the Logix tag writes; Connection Manager's own services are left out.
    "cip": Spec(
        "cip.rr == 0 && !(cip.class == 0x06)",
        "cip.sc",
        frozenset({0x02, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0D, 0x10, 0x15})
        | {0x4D, 0x4E, 0x53},
    ),
    # Commands in control direction (activation or deactivation): single to
    # bitstring commands with and without time, counter interrogation, clock
    # synchronisation, reset process.
    "iec104": Spec(
        "iec60870_asdu.causetx == 6 || iec60870_asdu.causetx == 8",
        "iec60870_asdu.typeid",
        frozenset(range(45, 52)) | frozenset(range(58, 65)) | {101, 103, 105},
    ),
    # Writes and diagnostics (the sub-functions are checked separately).
    "modbus": Spec(
        "tcp.dstport == 502",
        "modbus.func_code",
        frozenset({5, 6, 8, 15, 16, 22, 23}),
    ),
    # Confirmed requests: file writes, list and object edits, property
    # writes, device communication control, reinitialize device.
    "bacnet": Spec(
        "bacapp.type == 0",
        "bacapp.confirmed_service",
        frozenset({7, 8, 9, 10, 11, 15, 16, 17, 20}),
    ),
}
CAPTURES = {
    "s7-plc-stop.pcapng": ("s7comm",),
    "scan-s7-szl-ident.pcap": ("s7comm",),
    "dnp3-cold-restart.pcap": ("dnp3",),
    "dnp3-select-operate.pcap": ("dnp3",),
    "enip-plc-reboot.pcap": ("cip",),
    "iec104-commands.pcap": ("iec104",),
    "modbus-devid-diag.pcap": ("modbus",),
    "plant1-mixed-ics.pcap": ("modbus", "s7comm", "cip"),
    "bacnet-example.pcap": ("bacnet",),
}
# What the issue asks of `attack`: (protocol, function code) -> techniques.
TECHNIQUES = {
    ("s7comm", 0x29): {"T0858", "T0816"},
    ("dnp3", 13): {"T0816"},
    ("dnp3", 3): {"T0855"},
    ("dnp3", 4): {"T0855"},
    ("cip", 0x05): {"T0816"},
    ("iec104", 45): {"T0855"},
    ("iec104", 46): {"T0855"},
    ("modbus", 5): {"T0855", "T0836"},
    ("modbus", 6): {"T0855", "T0836"},
    ("modbus", 15): {"T0855", "T0836"},
    ("bacnet", 20): {"T0816"},
}


@pytest.fixture
def graph(driver: Driver, neo4j_settings: Neo4jSettings, case: str) -> Graph:
    return Graph(driver, neo4j_settings, case)


def tshark_state_changes(capture: Path, protocol: str) -> set[tuple[int, int]]:
    """``(frame, code)`` of the requests with a state-changing code."""
    spec = SPECS[protocol]
    found = set()
    for frame, codes in tshark_fields(
        capture, spec.requests, "frame.number", spec.field
    ):
        for code in (int(c, 0) for c in codes.split(",") if c):
            if code in spec.codes:
                found.add((int(frame), code))
    return found


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_state_changes_are_the_frames_and_codes_tshark_shows(
    graph: Graph, name: str
) -> None:
    capture = PCAPS / name
    expected = {p: tshark_state_changes(capture, p) for p in CAPTURES[name]}
    graph.ingest(capture)

    rows = graph.run("ics_commands/state_changes")

    found = {
        p: {(r["frame"], r["function_code"]) for r in rows if r["protocol"] == p}
        for p in CAPTURES[name]
    }
    assert found == expected
    assert {r["protocol"] for r in rows} <= set(CAPTURES[name])
    assert any(expected.values())


def test_modbus_diagnostics_listed_are_the_state_changing_sub_functions(
    graph: Graph,
) -> None:
    capture = PCAPS / "modbus-devid-diag.pcap"
    # Restart communications (1), force listen only (4), clear counters (10),
    # clear overrun counter (20): the sub-functions that change the device.
    subs = {
        (int(frame), int(sub))
        for frame, sub in tshark_fields(
            capture,
            "modbus.func_code == 8 && tcp.dstport == 502",
            "frame.number",
            "modbus.diagnostic_code",
        )
        if int(sub) in {1, 4, 10, 20}
    }
    graph.ingest(capture)

    rows = graph.run("ics_commands/state_changes")

    diag = {(r["frame"], r["subfunction"]) for r in rows if r["function_code"] == 8}
    assert diag == subs
    assert subs


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_attack_places_the_commands_under_the_published_ids(
    graph: Graph, name: str
) -> None:
    graph.ingest(PCAPS / name)
    graph.record()

    rows = graph.run("ics_commands/state_changes")
    placed = {r["technique"]: r for r in graph.run("attack/techniques")}

    for row in rows:
        wanted = TECHNIQUES.get((row["protocol"], row["function_code"]))
        if wanted is not None:
            assert wanted <= set(row["techniques"]), row
        assert set(row["techniques"]) <= set(placed)
        assert all("ics_command" in placed[t]["rules"] for t in row["techniques"])


def test_attack_maps_each_command_the_issue_names(graph: Graph) -> None:
    for name in CAPTURES:
        graph.ingest(PCAPS / name)
    graph.record()

    rows = graph.run("ics_commands/state_changes")

    seen = {
        (r["protocol"], r["function_code"]): set(r["techniques"])
        for r in rows
        if (r["protocol"], r["function_code"]) in TECHNIQUES
    }
    assert set(seen) == set(TECHNIQUES)
    assert all(TECHNIQUES[k] <= v for k, v in seen.items())


@pytest.fixture
def baseline(graph: Graph) -> str:
    name = graph.case + "-baseline"
    from icsgraph.graph.cases import delete_case

    delete_case(graph.driver, graph.db, name)
    graph.ingest(PCAPS / "modbus-devid-diag.pcap", name)
    return name


def test_illegal_flags_the_new_master_and_the_exception(
    graph: Graph, baseline: str
) -> None:
    capture = DATA / "modbus-new-master.pcap"
    writes = "modbus.func_code in {5, 6, 15, 16} && tcp.dstport == 502"
    new_writes = {
        (int(f), int(c))
        for f, c in tshark_fields(
            capture,
            f"{writes} && ip.src == 10.0.0.66",
            "frame.number",
            "modbus.func_code",
        )
    }
    requests = {
        (stream, tid): int(frame)
        for frame, stream, tid in tshark_fields(
            capture,
            "tcp.dstport == 502 && mbtcp",
            "frame.number",
            "tcp.stream",
            "mbtcp.trans_id",
        )
    }
    rejected = {
        requests[(stream, tid)]
        for stream, tid in tshark_fields(
            capture, "modbus.exception_code", "tcp.stream", "mbtcp.trans_id"
        )
    }
    graph.ingest(capture)

    rows = graph.run("ics_commands/illegal", baseline=baseline)
    without = graph.run("ics_commands/illegal")

    unknown = {
        (r["first_frame"], r["function_code"])
        for r in rows
        if "unknown master" in r["reasons"]
    }
    failed = {r["first_frame"] for r in rows if "exception" in r["reasons"]}
    assert unknown == new_writes
    assert {r["master"] for r in rows if "unknown master" in r["reasons"]} == {
        "10.0.0.66"
    }
    assert failed == rejected
    assert len(new_writes) == 2
    assert len(rejected) == 1
    assert {r["first_frame"] for r in without} == rejected


def test_illegal_lists_error_responses_and_undefined_functions(graph: Graph) -> None:
    capture = PCAPS / "modbus-devid-diag.pcap"
    exceptions = tshark_fields(
        capture, "modbus.exception_code", "ip.dst", "modbus.func_code"
    )
    graph.ingest(capture)

    rows = graph.run("ics_commands/illegal")

    errored = {(r["master"], r["function_code"] & 0x7F) for r in rows}
    assert {(ip, int(fc) & 0x7F) for ip, fc in exceptions} <= errored
    assert any("undefined function" in r["reasons"] for r in rows)


def test_masters_are_the_hosts_that_sent_requests(graph: Graph) -> None:
    capture = PCAPS / "modbus-devid-diag.pcap"
    pairs = {
        (dst, src)
        for src, dst in tshark_fields(
            capture, "mbtcp && tcp.dstport == 502", "ip.src", "ip.dst"
        )
    }
    graph.ingest(capture)

    rows = graph.run("ics_commands/masters")

    assert {(r["device"], r["master"]) for r in rows if r["requests"]} == pairs


def test_function_summaries_count_the_requests_tshark_sees(graph: Graph) -> None:
    capture = PCAPS / "dnp3-select-operate.pcap"
    requests = tshark_fields(capture, "dnp3.al.func < 0x81", "dnp3.al.func")
    assert requests
    graph.ingest(capture)

    rows = graph.run("ics_commands/functions")

    counts: dict[str, int] = {}
    for row in rows:
        for name, value in row["values"]:
            for entry in value if name == "extra" else []:
                key, _, n = entry.removeprefix("count:").partition("=")
                if entry.startswith("count:"):
                    counts[key] = counts.get(key, 0) + int(n)
    expected: dict[str, int] = {}
    for (fc,) in requests:
        if fc != "0":  # Confirm acknowledges a fragment; it asks for nothing
            expected[fc] = expected.get(fc, 0) + 1
    assert {k: n for k, n in counts.items() if n} == expected
