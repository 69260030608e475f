"""ICS command parsers against tshark on the shared captures.

Conversations come from the real header pipeline (`ingest_capture` with a
frame hook feeding one `ConversationBuilder` per session). For each capture
the set of (frame, function code[, sub-function]) of the state-changing and
discovery requests the parsers report must equal what tshark's dissectors
show for the same codes in requests.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path

import pytest
from conftest import PCAPS, shared_captures

from icsgraph.ingest.ics import PARSERS, extract_ics_commands, parse_ics, reportable
from icsgraph.ingest.pipeline import ingest_capture
from icsgraph.ingest.reassembly import ConversationBuilder
from icsgraph.ingest.records import (
    Assignment,
    CaptureSummary,
    Conversation,
    Frame,
    HostRecord,
    MacRecord,
    SessionRecord,
)

pytestmark = pytest.mark.integration

Row = tuple[int, ...]


class NullSink:
    """The pipeline's sink, discarding the header records."""

    def start_capture(self, sha256: str, file_name: str) -> None: ...
    def write_sessions(self, rows: Sequence[SessionRecord]) -> None: ...
    def write_hosts(self, rows: Sequence[HostRecord]) -> None: ...
    def write_macs(self, rows: Sequence[MacRecord]) -> None: ...
    def finish_capture(self, summary: CaptureSummary) -> None: ...


@cache
def conversations(name: str) -> tuple[Conversation, ...]:
    """Every TCP/UDP session of a capture, reassembled, in tracker order."""
    builders: dict[tuple[str, int], ConversationBuilder] = {}

    def feed(frame: Frame, assignment: Assignment | None) -> None:
        if assignment is None or frame.src_ip is None or frame.dst_ip is None:
            return
        key = (assignment.transport, assignment.index)
        builder = builders.get(key)
        if builder is None:
            ends = [
                (frame.src_ip, frame.src_port or 0),
                (frame.dst_ip, frame.dst_port or 0),
            ]
            client, server = ends if assignment.direction == "out" else ends[::-1]
            builder = builders[key] = ConversationBuilder(*key, client, server)
        builder.feed(frame, assignment.direction)

    ingest_capture(PCAPS / name, NullSink(), frame_hooks=(feed,))
    return tuple(builder.finish() for builder in builders.values())


def ours(name: str, protocols: set[str], keep: Callable[[Row], bool]) -> set[Row]:
    found = set()
    for conv in conversations(name):
        for m in parse_ics(conv):
            row = (m.frame, m.function_code) + (
                () if m.subfunction is None else (m.subfunction,)
            )
            if m.protocol in protocols and reportable(m) and keep(row):
                found.add(row)
    return found


def tshark(name: str, display_filter: str, *fields: str) -> Iterator[list[list[str]]]:
    """Rows of tshark fields; each field split into its occurrences."""
    args = ["tshark", "-n", "-r", str(PCAPS / name), "-Y", display_filter]
    args += ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    for field in fields:
        args += ["-e", field]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        yield [cell.split(",") if cell else [] for cell in line.split("\t")]


def number(text: str) -> int:
    return int(text, 0)


MODBUS_WRITES = {5, 6, 15, 16, 21, 22, 23}
MODBUS_DIAGNOSTICS = {1, 3, 4, 10, 20}


def theirs_modbus(name: str) -> set[Row]:
    found: set[Row] = set()
    fields = (
        "frame.number",
        "modbus.func_code",
        "modbus.diagnostic_code",
        "modbus.mei",
    )
    for frame, codes, diags, meis in tshark(
        name, "modbus && tcp.dstport == 502", *fields
    ):
        diag_values, mei_values = iter(diags), iter(meis)
        for code in map(number, codes):
            if code in MODBUS_WRITES or code == 17:
                found.add((number(frame[0]), code))
            elif code == 8:
                sub = number(next(diag_values))
                if sub in MODBUS_DIAGNOSTICS:
                    found.add((number(frame[0]), 8, sub))
            elif code == 43 and number(next(mei_values)) == 14:
                found.add((number(frame[0]), 43, 14))
    return found


@pytest.mark.parametrize("name", ["modbus-devid-diag.pcap", "plant1-mixed-ics.pcap"])
def test_modbus(name: str) -> None:
    expected = theirs_modbus(name)

    assert expected
    assert ours(name, {"modbus"}, lambda row: row[1] != 90) == expected


S7_CODES = {0x05, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x28, 0x29}


@pytest.mark.parametrize(
    "name", ["s7-plc-stop.pcapng", "plant1-mixed-ics.pcap", "scan-s7-szl-ident.pcap"]
)
def test_s7comm_jobs(name: str) -> None:
    rows = tshark(
        name, "s7comm.header.rosctr == 1", "frame.number", "s7comm.param.func"
    )
    expected = {
        (number(f[0]), code)
        for f, codes in rows
        for code in map(number, codes)
        if code in S7_CODES
    }

    assert expected
    assert ours(name, {"s7comm"}, lambda row: len(row) == 2) == expected


def test_s7comm_szl_reads() -> None:
    name = "scan-s7-szl-ident.pcap"
    rows = tshark(
        name,
        "s7comm.param.userdata.type == 4",
        "frame.number",
        "s7comm.param.userdata.funcgroup",
        "s7comm.param.userdata.subfunc",
    )
    expected = {(number(f[0]), number(g[0]), number(s[0])) for f, g, s in rows}

    assert expected
    assert ours(name, {"s7comm"}, lambda row: len(row) == 3) == expected


DNP3_NOT_REPORTED = {0, 1, 23, 24, 28, 29, 32, 33, 129, 130, 131}


@pytest.mark.parametrize("name", ["dnp3-cold-restart.pcap", "dnp3-select-operate.pcap"])
def test_dnp3(name: str) -> None:
    rows = tshark(name, "dnp3.al.func", "frame.number", "dnp3.al.func")
    expected = {
        (number(f[0]), code)
        for f, codes in rows
        for code in map(number, codes)
        if code not in DNP3_NOT_REPORTED
    }

    assert expected
    assert ours(name, {"dnp3"}, lambda row: True) == expected


CIP_COMMON = {0x02, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0D, 0x10, 0x15, 0x16}
TAG_WRITES = {0x4D, 0x4E, 0x53}  # Logix tag services, on symbolic paths only


@pytest.mark.parametrize("name", ["enip-plc-reboot.pcap", "plant1-mixed-ics.pcap"])
def test_cip_services(name: str) -> None:
    fields = ("frame.number", "cip.sc", "cip.rr", "cip.symbol")
    expected = {
        (number(f[0]), number(code))
        for f, codes, rr, symbols in tshark(name, "cip.rr == 0", *fields)
        for code, response in zip(codes, rr, strict=False)
        if number(response) == 0
        and (number(code) in CIP_COMMON or (number(code) in TAG_WRITES and symbols))
    }
    wanted = CIP_COMMON | TAG_WRITES

    assert expected
    assert ours(name, {"cip"}, lambda row: row[1] in wanted) == expected


def test_enip_list_identity() -> None:
    name = "scan-enip-listidentity.pcap"
    rows = tshark(name, "enip.command == 0x63 && enip.length == 0", "frame.number")
    expected = {(number(f[0]), 0x63) for (f,) in rows}

    assert expected
    assert ours(name, {"enip"}, lambda row: True) == expected


IEC104_COMMANDS = {*range(45, 52), *range(58, 65), 103, 105}


def test_iec104() -> None:
    name = "iec104-commands.pcap"
    fields = ("frame.number", "iec60870_asdu.typeid", "iec60870_asdu.causetx")
    expected = {
        (number(f[0]), number(type_id))
        for f, types, causes in tshark(name, "iec60870_asdu", *fields)
        for type_id, cause in zip(types, causes, strict=False)
        if number(cause) == 6 and number(type_id) in IEC104_COMMANDS
    }

    assert expected
    assert ours(name, {"iec104"}, lambda row: True) == expected


BACNET_CONFIRMED = {7, 8, 9, 10, 11, 15, 16, 17, 20, 27}
BACNET_UNCONFIRMED = {6, 7, 8, 9, 10}


def test_bacnet() -> None:
    name = "bacnet-example.pcap"
    fields = (
        "frame.number",
        "bacapp.type",
        "bacapp.confirmed_service",
        "bacapp.unconfirmed_service",
    )
    expected = set()
    for f, kind, confirmed, unconfirmed in tshark(name, "bacapp.type <= 1", *fields):
        wanted = BACNET_CONFIRMED if number(kind[0]) == 0 else BACNET_UNCONFIRMED
        codes = confirmed or unconfirmed
        expected |= {(number(f[0]), c) for c in map(number, codes) if c in wanted}

    assert expected
    assert ours(name, {"bacnet"}, lambda row: True) == expected


@pytest.mark.parametrize("path", shared_captures(), ids=lambda p: p.name)
def test_every_parser_on_every_session_never_raises(path: Path) -> None:
    for conv in conversations(path.name):
        for parser in PARSERS:
            parser.parse(conv)  # forced, whatever the session's port
        list(extract_ics_commands(conv))
