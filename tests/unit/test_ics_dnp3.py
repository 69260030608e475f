"""DNP3 parser on byte literals (from dnp3-cold-restart, dnp3-select-operate)."""

from __future__ import annotations

from ics_helpers import conversation

from icsgraph.ingest.ics import dnp3

COLD_RESTART = bytes.fromhex("056408c40a000100fc42c0c00d9c86")
REJECTED = bytes.fromhex("05640a4401000a006e25c0c0810001c2de")
SELECT = bytes.fromhex(
    "056418c405006400feddccc7030c011701084201f40100000000d2fd000000ffff"
)


def test_cold_restart_and_its_function_not_supported_response() -> None:
    conv = conversation([("out", COLD_RESTART), ("in", REJECTED)], dst_port=20000)

    request, response = dnp3.parse(conv)

    assert (request.function, request.kind, request.state_changing) == (
        "Cold Restart", "restart", True
    )  # fmt: skip
    assert request.unit == 10  # link destination
    assert (response.status, response.status_code) == ("rejected", 0x0001)
    assert (response.request_frame, response.function_code) == (10, 13)


def test_crc_blocks_are_removed_before_reading_the_application_layer() -> None:
    conv = conversation([("out", SELECT, 20)], dst_port=20000)

    (select,) = dnp3.parse(conv)

    assert (select.function_code, select.frame, select.transaction) == (3, 11, 7)


def test_user_data_strips_each_crc() -> None:
    body = bytes(range(20))
    frame = (
        b"\x05\x64\x19\xc4\x01\x00\x02\x00\xaa\xbb"
        + body[:16]
        + b"CC"
        + body[16:]
        + b"DD"
    )

    assert dnp3.user_data(frame) == body


def test_fuzzed_bytes_do_not_raise() -> None:
    junk = b"\x05\x64\x05\xc4\x01\x00\x02\x00\x00\x00" + b"\x05\x64\xff" * 10
    conv = conversation([("out", junk), ("in", b"\x05\x64")], dst_port=20000)

    assert dnp3.parse(conv) == []
