"""S7comm SZL reads (Siemens system status lists) that identify a CPU.

SZL 0x0011 (module identification): the order number (MLFB) of the module
and of its hardware, and the firmware version (index 7). SZL 0x001C
(component identification): PLC and module names, plant designation, serial
numbers, module type. Read from S7 userdata responses (ROSCTR 7) over TPKT
(RFC 1006) and COTP on port 102; multi-PDU SZL answers are read from their
first fragment only.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from icsgraph.ingest.extract._common import Joined, artifact, join, speaks
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

_USERDATA = 7
_SZL_0011 = {1: "order_number", 6: "hardware_order_number"}
_SZL_001C = {
    1: "plc_name",
    2: "module_name",
    3: "plant_id",
    4: "copyright",
    5: "serial",
    7: "module_type",
    8: "memory_card_serial",
    11: "location",
}


def extract_s7_identity(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``device_identity`` per SZL 0x0011 or 0x001C answer."""
    if conv.transport != "tcp" or not speaks(conv, ("s7comm", "cotp", "tpkt"), 102):
        return
    server = join(conv, "in")
    for pos, pdu in _tpkts(server):
        values = szl_identity(pdu)
        if values:
            frames = server.frames_between(pos, pos + 4 + len(pdu))
            yield artifact(
                conv,
                "device_identity",
                values,
                frames,
                server.time_at(pos),
                confidence=0.9,
            )


def _tpkts(stream: Joined) -> Iterator[tuple[int, bytes]]:
    """(offset, S7 PDU) of each TPKT whose COTP unit is a data transfer."""
    data, pos = stream.data, 0
    while pos + 7 <= len(data) and data[pos] == 3:
        (length,) = struct.unpack_from("!H", data, pos + 2)
        if length < 7:
            return
        cotp = data[pos + 4 : pos + length]
        if len(cotp) > 2 and cotp[1] == 0xF0:  # DT
            yield pos, cotp[1 + cotp[0] :]
        pos += length


def szl_identity(pdu: bytes) -> tuple[tuple[str, ArtifactValue], ...]:
    """Identity values of an SZL 0x0011 / 0x001C read response, or ()."""
    if len(pdu) < 10 or pdu[0] != 0x32 or pdu[1] != _USERDATA:
        return ()
    param_length, data_length = struct.unpack_from("!HH", pdu, 6)
    data = pdu[10 + param_length : 10 + param_length + data_length]
    if len(data) < 12 or data[0] != 0xFF:
        return ()
    szl_id, _, entry_length, count = struct.unpack_from("!HHHH", data, 4)
    kind = {(0x11, 28): _module_identification, (0x1C, 34): _component_identification}
    reader = kind.get((szl_id & 0x00FF, entry_length))
    if reader is None:
        return ()
    count = min(count, (len(data) - 12) // entry_length)
    starts = range(12, 12 + count * entry_length, entry_length)
    found = reader([data[start : start + entry_length] for start in starts])
    source = f"s7_szl_{szl_id:#06x}"
    return (("source", source), ("vendor", "Siemens"), *found) if found else ()


def _module_identification(entries: list[bytes]) -> list[tuple[str, ArtifactValue]]:
    found: list[tuple[str, ArtifactValue]] = []
    for entry in entries:
        (index,) = struct.unpack_from("!H", entry)
        mlfb = entry[2:22].decode("latin-1").strip()
        if index in _SZL_0011 and mlfb:
            found.append((_SZL_0011[index], mlfb))
        elif index == 7 and entry[24] == ord("V"):
            found.append(("firmware", f"V{entry[25]}.{entry[26]}.{entry[27]}"))
    return found


def _component_identification(entries: list[bytes]) -> list[tuple[str, ArtifactValue]]:
    found: list[tuple[str, ArtifactValue]] = []
    for entry in entries:
        (index,) = struct.unpack_from("!H", entry)
        name = _SZL_001C.get(index)
        value = entry[2:].split(b"\x00", 1)[0].decode("latin-1").strip()
        if name and value:
            found.append((name, value))
    return found
