"""PROFINET DCP Identify responses (IEC 61158-6-10), a layer-2 protocol.

A DCP frame travels in Ethernet type 0x8892 with no IP, so this is not a
conversation extractor: `pn_dcp_identity` reads one frame's bytes from the
PROFINET frame id on and returns the identity its sender reports: station
name, vendor and device ids, role, type of station and IP settings.
"""

from __future__ import annotations

import ipaddress
import struct

from icsgraph.ingest.layer2 import dcp_blocks
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Frame

ETHERTYPE = 0x8892
_IDENTIFY, _RESPONSE = 0x05, 0x01
_ROLES = {1: "io-device", 2: "io-controller", 4: "io-multidevice", 8: "pn-supervisor"}


def pn_dcp_identity(
    data: bytes, number: int, time: float, mac: str
) -> ArtifactRecord | None:
    """The ``device_identity`` of a DCP Identify response, or None.

    Args:
        data: the frame's bytes after the EtherType (frame id first).
        number: the frame number, for evidence.
        time: the frame's capture time.
        mac: the sender's MAC address, which the identity describes.
    """
    if len(data) < 12 or data[2] != _IDENTIFY or data[3] != _RESPONSE:
        return None
    (length,) = struct.unpack_from("!H", data, 10)
    blocks = dcp_blocks(data[12 : 12 + length])
    values: list[tuple[str, ArtifactValue]] = [("source", "pn_dcp"), ("mac", mac)]
    values += _values(blocks)
    if len(values) == 2:
        return None
    return ArtifactRecord(
        kind="device_identity",
        values=tuple(values),
        transport="pn_dcp",
        session=0,
        frames=(number,),
        first_seen=time,
        about="client",
        confidence=0.9,
    )


def pn_dcp_frame_identity(frame: Frame) -> ArtifactRecord | None:
    """`pn_dcp_identity` on a decoded frame whose payload starts at the frame id."""
    return pn_dcp_identity(frame.payload, frame.number, frame.time, frame.src_mac or "")


def _values(blocks: dict[tuple[int, int], bytes]) -> list[tuple[str, ArtifactValue]]:
    found: list[tuple[str, ArtifactValue]] = []
    if (2, 2) in blocks:
        found.append(("station_name", blocks[(2, 2)].decode("utf-8", "replace")))
    if (2, 1) in blocks:
        found.append(("type_of_station", blocks[(2, 1)].decode("latin-1")))
    if len(blocks.get((2, 3), b"")) >= 4:
        vendor, device = struct.unpack_from("!HH", blocks[(2, 3)])
        found += [("vendor_id", f"0x{vendor:04x}"), ("device_id", f"0x{device:04x}")]
    if blocks.get((2, 4)):
        role = blocks[(2, 4)][0]
        names = [name for bit, name in _ROLES.items() if role & bit]
        found.append(("role", ",".join(names) or f"0x{role:02x}"))
    if len(blocks.get((1, 2), b"")) >= 12:
        ip = blocks[(1, 2)]
        found.append(("ip", str(ipaddress.IPv4Address(ip[0:4]))))
        found.append(("netmask", str(ipaddress.IPv4Address(ip[4:8]))))
    return found
