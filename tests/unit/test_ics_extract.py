"""Dispatch, the ics_command / ics_functions artifacts and the ATT&CK mapping."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import REPO
from ics_helpers import conversation

from icsgraph.ingest.ics import extract_ics_commands, parse_ics
from icsgraph.ingest.ics.attack import techniques_for
from icsgraph.ingest.ics.message import KINDS, IcsMessage
from icsgraph.ingest.records import Conversation

TECHNIQUES = REPO / "queries" / "attack" / "techniques.json"
WRITE = bytes.fromhex("000100000006010600100005")
WRITE_EXCEPTION = bytes.fromhex("000100000003018602")
READ = bytes.fromhex("000200000006010300000002")
READ_REPLY = bytes.fromhex("000200000007010304000a000b")
ISSUE_4_IDS = [
    "T0846",
    "T0888",
    "T0886",
    "T0822",
    "T0859",
    "T0812",
    "T0867",
    "T0855",
    "T0836",
    "T0843",
    "T0845",
    "T0816",
    "T0858",
]


def modbus_session(protocol: str = "", port: int = 502) -> Conversation:
    turns = [("out", WRITE), ("in", WRITE_EXCEPTION), ("out", READ)]
    return conversation([*turns, ("in", READ_REPLY)], dst_port=port, protocol=protocol)


def test_dispatch_by_protocol_port_and_payload() -> None:
    assert len(parse_ics(modbus_session())) == 4  # port 502
    assert len(parse_ics(modbus_session(protocol="modbus", port=1502))) == 4
    assert len(parse_ics(modbus_session(port=1502))) == 4  # payload signature
    assert parse_ics(modbus_session(protocol="http", port=1502)) == []


def test_ics_command_for_the_write_with_its_exception() -> None:
    artifacts = list(extract_ics_commands(modbus_session()))

    command = next(a for a in artifacts if a.kind == "ics_command")
    assert dict(command.values) == {
        "protocol": "modbus",
        "function_code": 6,
        "function": "Write Single Register",
        "command_kind": "write",
        "state_changing": 1,
        "unit": 1,
        "detail": "address=16 value=5",
        "techniques": "T0855,T0836",
        "status": "exception",
        "status_code": 2,
    }
    assert command.frames == (10, 20)
    assert command.about == "server"
    assert [a.kind for a in artifacts].count("ics_command") == 1  # reads are not


def test_ics_functions_summarises_every_function_code() -> None:
    artifacts = list(extract_ics_commands(modbus_session()))

    (summary,) = [a for a in artifacts if a.kind == "ics_functions"]
    assert summary.values == (
        ("protocol", "modbus"),
        ("function", "3:Read Holding Registers"),
        ("count:3", 1),
        ("function", "6:Write Single Register"),
        ("count:6", 1),
        ("errors:6", 1),
    )
    assert summary.frames == (10, 30)


def message(
    kind: str, protocol: str = "modbus", code: int = 1, sub: int | None = None
) -> IcsMessage:
    return IcsMessage(protocol, "out", 1, 0.0, code, "f", kind, True, sub)


@pytest.mark.parametrize(
    ("msg", "expected"),
    [
        (message("write"), ("T0855", "T0836")),
        (message("program_download"), ("T0843",)),
        (message("program_upload"), ("T0845",)),
        (message("restart"), ("T0816",)),
        (message("mode_change"), ("T0858",)),
        (message("mode_change", "s7comm", 0x29), ("T0858", "T0816")),
        (message("mode_change", "modbus", 8, 4), ("T0814", "T0858")),
        (message("discovery"), ("T0888", "T0846")),
        (message("control", "dnp3", 21), ("T0855", "T0878")),
        (replace(message("write"), status="ok"), ()),
    ],
)
def test_techniques_for(msg: IcsMessage, expected: tuple[str, ...]) -> None:
    assert techniques_for(msg) == expected


def test_technique_list_is_pinned_and_covers_every_mapped_id() -> None:
    doc = json.loads(TECHNIQUES.read_text(encoding="utf-8"))
    ids = [t["id"] for t in doc["techniques"]]

    assert doc["attack_version"]
    assert len(ids) == len(set(ids))
    assert set(ISSUE_4_IDS) <= set(ids)
    for technique in doc["techniques"]:
        assert (
            technique["url"]
            == f"https://attack.mitre.org/techniques/{technique['id']}/"
        )
        assert technique["name"]
        assert technique["tactics"]
    mapped = {
        t
        for kind in KINDS
        for code in (1, 4, 8, 18, 21, 0x29, 0x41, 90)
        for sub in (None, 4, 0x41)
        for t in techniques_for(message(kind, "modbus", code, sub))
    }
    assert mapped <= set(ids)
