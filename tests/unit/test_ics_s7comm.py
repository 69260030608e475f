"""S7comm parser on byte literals (from s7-plc-stop and scan-s7-szl-ident)."""

from __future__ import annotations

from ics_helpers import conversation

from icsgraph.ingest.ics import s7comm

CONNECT = bytes.fromhex("0300001611e00000000100c0010ac1020100c2020102")
STOP = bytes.fromhex(
    "0300002102f080320100003500001000002900000000000950" + b"_PROGRAM".hex()
)
STOP_ACK = bytes.fromhex("0300001402f080320300003500000100000000" + "29")
SZL = bytes.fromhex(
    "0300002102f080320700000100000800080001120411440100ff09000400110000"
)
SZL_REPLY = bytes.fromhex(
    "0300002102f080320700000100000c0004000112081284010000000000ff09000000"
)
UPLOAD_REFUSED = bytes.fromhex("0300001302f08032020000070000000000d241")


def test_plc_stop_with_its_pi_service_and_acknowledgement() -> None:
    conv = conversation([("out", STOP), ("in", STOP_ACK)], dst_port=102)

    stop, ack = s7comm.parse(conv)

    assert (stop.function_code, stop.function, stop.kind) == (
        0x29,
        "PLC Stop",
        "mode_change",
    )
    assert stop.state_changing
    assert stop.detail == "P_PROGRAM"
    assert (ack.status, ack.request_frame, ack.function_code) == ("ok", 10, 0x29)


def test_szl_read_is_discovery_with_id_and_rack_slot_from_the_tsap() -> None:
    conv = conversation(
        [("out", CONNECT), ("out", SZL), ("in", SZL_REPLY)], dst_port=102
    )

    request, reply = s7comm.parse(conv)

    assert (request.key, request.kind, request.detail) == (
        "4/1", "discovery", "szl_id=0x0011 index=0x0000"
    )  # fmt: skip
    assert request.function == "CPU functions: Read SZL"
    assert request.unit == 2  # rack 0, slot 2
    assert (reply.status, reply.request_frame) == ("ok", 20)


def test_error_class_and_code_of_an_ack() -> None:
    upload = (
        bytes.fromhex("0300002302f080320100000700001200001d0000000000000009")
        + b"_0B000001P"
    )
    conv = conversation([("out", upload[:35]), ("in", UPLOAD_REFUSED)], dst_port=102)

    found = s7comm.parse(conv)

    assert [(m.function_code, m.kind, m.status) for m in found] == [
        (0x1D, "program_upload", None),
        (0x1D, "program_upload", "exception"),
    ]
    assert found[1].status_code == 0xD241


def test_not_s7_does_not_raise() -> None:
    conv = conversation(
        [("out", b"\x03\x00\x00\x09\x02\xf0\x80\x32\x01"), ("in", b"\x03")],
        dst_port=102,
    )

    assert s7comm.parse(conv) == []
