"""BACnet/IP I-Am (ASHRAE 135, clause 16.10.2) over BVLC (Annex J), UDP 47808.

An I-Am names the device object instance, its maximum APDU and its vendor
identifier; it is sent by the device it describes.
"""

from __future__ import annotations

from collections.abc import Iterator

from icsgraph.ingest.extract._common import (
    about_sender,
    artifact,
    parse_datagram,
    speaks,
    turn_frames,
)
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

_FORWARDED = 0x04
_UNCONFIRMED, _I_AM = 0x10, 0x00


def extract_bacnet_identity(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``device_identity`` per distinct I-Am of a session."""
    if conv.transport != "udp" or not speaks(conv, ("bacnet", "bvlc"), 47808):
        return
    seen: set[tuple[tuple[str, ArtifactValue], ...]] = set()
    for turn in conv.turns:
        values = parse_datagram((), i_am, turn.data)
        if not values or values in seen:
            continue
        seen.add(values)
        about = about_sender(turn.direction)
        yield artifact(
            conv,
            "device_identity",
            values,
            turn_frames(turn),
            turn.first_time,
            about,
            confidence=0.9,
        )


def i_am(datagram: bytes) -> tuple[tuple[str, ArtifactValue], ...]:
    """Identity values of a BVLC datagram holding an I-Am, or ()."""
    if len(datagram) < 4 or datagram[0] != 0x81:
        return ()
    pos = 4 + (6 if datagram[1] == _FORWARDED else 0)
    npdu = datagram[pos:]
    if len(npdu) < 2 or npdu[0] != 0x01 or npdu[1] & 0x80:
        return ()
    control, pos = npdu[1], 2
    if control & 0x20:  # destination network, length, address
        pos += 3 + npdu[pos + 2]
    if control & 0x08:  # source network, length, address
        pos += 3 + npdu[pos + 2]
    if control & 0x20:
        pos += 1  # hop count
    apdu = npdu[pos:]
    if len(apdu) < 2 or apdu[0] != _UNCONFIRMED or apdu[1] != _I_AM:
        return ()
    tags = _application_tags(apdu[2:])
    if len(tags) < 4 or tags[0][0] != 12:
        return ()
    object_id = int.from_bytes(tags[0][1], "big")
    return (
        ("source", "bacnet_i_am"),
        ("object_type", object_id >> 22),
        ("device_instance", object_id & 0x3FFFFF),
        ("max_apdu", int.from_bytes(tags[1][1], "big")),
        ("segmentation", int.from_bytes(tags[2][1], "big")),
        ("vendor_id", int.from_bytes(tags[3][1], "big")),
    )


def _application_tags(data: bytes) -> list[tuple[int, bytes]]:
    """(tag number, contents) of consecutive application-tagged values."""
    tags, pos = [], 0
    while pos < len(data):
        number, length = data[pos] >> 4, data[pos] & 0x07
        pos += 1
        if length == 5:
            length = data[pos]
            pos += 1
        tags.append((number, data[pos : pos + length]))
        pos += length
    return tags
