"""Modbus/TCP parser on byte literals."""

from __future__ import annotations

from ics_helpers import conversation

from icsgraph.ingest.ics import modbus


def mbap(tid: int, unit: int, pdu: bytes) -> bytes:
    return tid.to_bytes(2, "big") + b"\x00\x00" + (len(pdu) + 1).to_bytes(2, "big") \
        + bytes([unit]) + pdu  # fmt: skip


def test_several_pdus_per_turn_and_one_split_across_frames() -> None:
    writes = mbap(1, 1, bytes.fromhex("0f00000010020f0f")) + mbap(
        2, 1, bytes.fromhex("0600100005")
    )
    read = mbap(3, 1, bytes.fromhex("0300000002"))
    conv = conversation([("out", writes + read, len(writes) + 3)], dst_port=502)

    found = modbus.parse(conv)

    assert [(m.frame, m.function_code, m.kind, m.state_changing) for m in found] == [
        (10, 15, "write", True),
        (10, 6, "write", True),
        (11, 3, "read", False),
    ]
    assert found[1].function == "Write Single Register"
    assert found[1].detail == "address=16 value=5"


def test_exception_response_ties_back_to_request() -> None:
    conv = conversation(
        [
            ("out", mbap(7, 3, bytes.fromhex("0800040000"))),
            ("in", mbap(7, 3, bytes.fromhex("8801"))),
        ],
        dst_port=502,
    )

    request, response = modbus.parse(conv)

    assert (request.subfunction, request.kind, request.state_changing) == (
        4,
        "mode_change",
        True,
    )
    assert request.detail == "Force Listen Only Mode"
    assert (response.status, response.status_code) == ("exception", 1)
    assert (response.request_frame, response.function_code, response.unit) == (
        10,
        8,
        3,
    )


def test_device_identification_report_server_id_and_umas() -> None:
    conv = conversation(
        [
            ("out", mbap(1, 0, bytes.fromhex("2b0e0100"))),
            ("out", mbap(2, 0, b"\x11")),
            ("out", mbap(3, 0, bytes.fromhex("5a0041ff00"))),
            ("in", mbap(3, 0, bytes.fromhex("5a00fd"))),
        ],
        dst_port=502,
    )

    devid, report, umas, reply = modbus.parse(conv)

    assert (devid.key, devid.kind) == ("43/14", "discovery")
    assert (report.function, report.kind) == ("Report Slave ID", "discovery")
    assert (umas.key, umas.detail, umas.kind, umas.state_changing) == (
        "90/65",
        "STOP_PLC",
        "mode_change",
        True,
    )
    assert (reply.status, reply.request_frame) == ("exception", 30)


def test_requests_from_the_port_502_side_when_the_tracker_flipped_it() -> None:
    conv = conversation(
        [("in", mbap(1, 1, bytes.fromhex("0500010000")))], dst_port=3333, src_port=502
    )

    (message,) = modbus.parse(conv)

    assert message.is_request
    assert message.state_changing


def test_garbage_and_truncation_do_not_raise() -> None:
    conv = conversation(
        [("out", b"\x00\x01\x00\x00\x00\x09\x01\x03"), ("in", b"\xff" * 40)],
        dst_port=502,
    )

    assert modbus.parse(conv) == []
