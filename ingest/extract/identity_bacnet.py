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
from icsgraph.ingest.ics.bacnet import apdu, looks_like
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

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
    body = apdu(datagram) if looks_like(datagram) else None
    if body is None or len(body) < 2 or body[0] != _UNCONFIRMED or body[1] != _I_AM:
        return ()
    tags = _application_tags(body[2:])
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
