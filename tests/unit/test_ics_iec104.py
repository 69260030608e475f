"""IEC 60870-5-104 parser on byte literals (from iec104-commands)."""

from __future__ import annotations

from ics_helpers import conversation

from icsgraph.ingest.ics import iec104

SINGLE_COMMAND = bytes.fromhex("680e04000e002d0106010d911a270081")
S_FRAME_AND_CONFIRMATION = bytes.fromhex("680401000600680e0e0006002d0107010d911a270081")
NEGATIVE_DOUBLE = bytes.fromhex("680401000400680e0a0004002e0147010d91983a0082")
STARTDT_ACT, STARTDT_CON = bytes.fromhex("680407000000"), bytes.fromhex("68040b000000")


def test_single_command_and_its_activation_confirmation() -> None:
    conv = conversation(
        [("out", SINGLE_COMMAND), ("in", S_FRAME_AND_CONFIRMATION)], dst_port=2404
    )

    command, confirmation = iec104.parse(conv)

    assert (command.function_code, command.function, command.kind) == (
        45,
        "C_SC_NA_1",
        "control",
    )
    assert command.state_changing
    assert command.unit == 37133
    assert (confirmation.status, confirmation.status_code) == ("ok", 7)
    assert confirmation.request_frame == 10


def test_negative_confirmation_is_rejected() -> None:
    conv = conversation([("in", NEGATIVE_DOUBLE)], dst_port=2404)

    (message,) = iec104.parse(conv)

    assert (message.function_code, message.status) == (46, "rejected")
    assert message.detail == "cot=7 negative"


def test_u_format_startdt() -> None:
    conv = conversation([("out", STARTDT_ACT), ("in", STARTDT_CON)], dst_port=2404)

    act, con = iec104.parse(conv)

    assert (act.function, act.is_request) == ("STARTDT act", True)
    assert (con.function, con.status) == ("STARTDT con", "ok")


def test_monitor_direction_data_is_not_a_command() -> None:
    spontaneous = bytes.fromhex("680e0000000001010300" + "0d91" + "010000" + "01")

    assert iec104.parse(conversation([("in", spontaneous)], dst_port=2404)) == []
    assert iec104.parse(conversation([("in", b"\x68\x04\x01")], dst_port=2404)) == []
