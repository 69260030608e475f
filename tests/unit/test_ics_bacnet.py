"""BACnet/IP parser on byte literals (from bacnet-example)."""

from __future__ import annotations

from ics_helpers import conversation

from icsgraph.ingest.ics import bacnet

# The BVLC length (0x11) is shorter than the datagram, as sent on the wire.
REINITIALIZE = bytes.fromhex("810a001101040005011409061d0b0044656c63617474793730")
ERROR = bytes.fromhex("810a001101045001149105911a")
WHO_IS = bytes.fromhex("810b000c0120ffff00ff1008")
SIMPLE_ACK = bytes.fromhex("810a0009010020" + "0214")


def test_reinitialize_device_and_its_error_by_invoke_id() -> None:
    conv = conversation(
        [("out", REINITIALIZE), ("in", ERROR)], dst_port=47808, transport="udp"
    )

    request, error = bacnet.parse(conv)

    assert (request.function_code, request.function, request.kind) == (
        20,
        "reinitializeDevice",
        "restart",
    )
    assert request.state_changing
    assert (request.transaction, request.detail) == (1, "state=abortrestore")
    assert (error.status, error.request_frame, error.function_code) == (
        "exception",
        10,
        20,
    )


def test_who_is_through_a_routed_npdu_is_discovery() -> None:
    conv = conversation([("out", WHO_IS)], dst_port=47808, transport="udp")

    (message,) = bacnet.parse(conv)

    assert (message.function, message.kind, message.is_request) == (
        "who-Is",
        "discovery",
        True,
    )


def test_simple_ack_without_its_request() -> None:
    conv = conversation([("in", SIMPLE_ACK)], dst_port=47808, transport="udp")

    (message,) = bacnet.parse(conv)

    assert (message.status, message.function_code, message.request_frame) == (
        "ok",
        20,
        None,
    )


def test_not_bacnet_does_not_raise() -> None:
    conv = conversation(
        [("out", b"\x81\x0a\x00\x05\x01"), ("in", b"\x81\x0b\x00\x08\x01\x20\xff")],
        dst_port=47808,
        transport="udp",
    )

    assert bacnet.parse(conv) == []
