"""EtherNet/IP and CIP parser on byte literals (from enip-plc-reboot)."""

from __future__ import annotations

from ics_helpers import conversation

from icsgraph.ingest.ics import enip_cip

RESET = bytes.fromhex(
    "70001c0000010211000000000000000000000000000000000000000001000200"
    "a1000400010b7900b1000800a100050220722401"
)
RESET_REPLY = bytes.fromhex(
    "70001a0000010211000000000000000000000000000000000000000000000200"
    "a10004001700fe80b1000600a10085000000"
)
LIST_IDENTITY = bytes.fromhex("63000000000000000000000000000000c1debed100000000")


def rr_data(cip: bytes) -> bytes:
    items = bytes.fromhex("0000000000000200") + bytes.fromhex("00000000b200")
    body = items + len(cip).to_bytes(2, "little") + cip
    return bytes.fromhex("6f00") + len(body).to_bytes(2, "little") + bytes(20) + body


def test_reset_in_connected_data_and_its_status() -> None:
    conv = conversation([("out", RESET), ("in", RESET_REPLY)], dst_port=44818)

    reset, reply = enip_cip.parse(conv)

    assert (reset.protocol, reset.function_code, reset.function) == ("cip", 5, "Reset")
    assert (reset.kind, reset.state_changing, reset.detail) == (
        "restart",
        True,
        "class=0x72",
    )
    assert (reply.status, reply.status_code, reply.request_frame) == ("ok", 0, 10)


def test_list_identity_request_is_discovery() -> None:
    conv = conversation([("out", LIST_IDENTITY)], dst_port=44818, transport="udp")

    (message,) = enip_cip.parse(conv)

    assert (message.protocol, message.function, message.kind) == (
        "enip", "List Identity", "discovery"
    )  # fmt: skip
    assert message.is_request


def test_unconnected_send_and_multiple_service_packet_are_unwrapped() -> None:
    embedded = bytes.fromhex("10032001240130010100")  # Set Attribute Single
    send = (
        bytes.fromhex("52022006240105f7")
        + len(embedded).to_bytes(2, "little")
        + embedded
        + bytes.fromhex("01000102")
    )
    conv = conversation([("out", rr_data(send))], dst_port=44818)

    found = enip_cip.parse(conv)

    assert [(m.function_code, m.function) for m in found] == [
        (0x52, "Unconnected Send"),
        (0x10, "Set Attribute Single"),
    ]
    assert found[1].detail == "class=0x1 via Unconnected Send"
    assert found[1].state_changing


def test_multiple_service_packet_with_a_write_tag() -> None:
    write_tag = bytes.fromhex("4d039104") + b"Pump" + bytes.fromhex("c3000100")
    read = bytes.fromhex("0e03200124013001")
    offsets = (6).to_bytes(2, "little") + (6 + len(write_tag)).to_bytes(2, "little")
    msp = (
        bytes.fromhex("0a0220022401")
        + (2).to_bytes(2, "little")
        + offsets
        + write_tag
        + read
    )
    conv = conversation([("out", rr_data(msp))], dst_port=44818)

    found = enip_cip.parse(conv)

    assert [(m.function, m.kind, m.state_changing) for m in found] == [
        ("Multiple Service Packet", "other", False),
        ("Write Tag", "write", True),
        ("Get Attribute Single", "discovery", False),
    ]
    assert found[1].detail == "tag=Pump in Multiple Service Packet"


def test_truncated_items_do_not_raise() -> None:
    conv = conversation(
        [("out", RESET[:40] + bytes(20)), ("in", b"\x70\x00\x05")], dst_port=44818
    )

    assert enip_cip.parse(conv) == []
