"""S7comm (S7 Communication, protocol id 0x32) over ISO-on-TCP.

Specification: RFC 1006 (TPKT) and ISO 8073 / X.224 (COTP) carry it; S7comm
itself is proprietary to Siemens, so codes and names follow Wireshark's
s7comm dissector. Jobs (ROSCTR 1) are requests, Ack_Data (3) their
responses, tied by the PDU reference; userdata (7) carries function groups
such as CPU functions / Read SZL, which is how S7 devices are identified.
The called TSAP of a COTP connection request gives rack and slot.
"""

from __future__ import annotations

import struct

from icsgraph.ingest.ics._stream import Pdu, split_pdus
from icsgraph.ingest.ics.message import IcsMessage, answer
from icsgraph.ingest.records import Conversation

PORTS = (102,)
PROTOCOL = "s7comm"
COTP_DT, COTP_CR = 0xF0, 0xE0
JOB, ACK, ACK_DATA, USERDATA = 1, 2, 3, 7

# Job function -> (tshark name, kind, state_changing)
FUNCTIONS: dict[int, tuple[str, str, bool]] = {
    0x00: ("CPU services", "other", False),
    0x04: ("Read Var", "read", False),
    0x05: ("Write Var", "write", True),
    0x1A: ("Request download", "program_download", True),
    0x1B: ("Download block", "program_download", True),
    0x1C: ("Download ended", "program_download", True),
    0x1D: ("Start upload", "program_upload", False),
    0x1E: ("Upload", "program_upload", False),
    0x1F: ("End upload", "program_upload", False),
    0x28: ("PI-Service", "control", True),
    0x29: ("PLC Stop", "mode_change", True),
    0xF0: ("Setup communication", "other", False),
}

# PI service name -> kind (PLC control, function 0x28)
PI_SERVICES: dict[str, str] = {
    "P_PROGRAM": "mode_change",  # start (warm/cold restart) of the program
    "_INSE": "program_download",  # activate downloaded blocks
    "_INSSE": "program_download",
    "_DELE": "program_download",  # delete blocks
    "_GARB": "control",  # compress memory
    "_MODU": "control",  # copy RAM to ROM
    "_MSRST": "restart",  # memory reset
}

GROUPS = {
    0: "Mode-transition",
    1: "Programmer commands",
    2: "Cyclic services",
    3: "Block functions",
    4: "CPU functions",
    5: "Security",
    7: "Time functions",
}
# (group, subfunction) -> (name, kind, state_changing)
USERDATA_FUNCTIONS: dict[tuple[int, int], tuple[str, str, bool]] = {
    (1, 8): ("Modify variable", "write", True),
    (1, 9): ("Force", "write", True),
    (1, 12): ("Memory reset", "restart", True),
    (3, 1): ("List blocks", "discovery", False),
    (3, 2): ("List blocks of type", "discovery", False),
    (3, 3): ("Get block info", "discovery", False),
    (4, 1): ("Read SZL", "discovery", False),
    (5, 1): ("PLC password", "control", False),
    (7, 1): ("Read clock", "read", False),
    (7, 2): ("Set clock", "control", True),
}


def frame_length(data: bytes, pos: int) -> int | None:
    """Length of the TPKT packet at ``pos``, or None if it is not one."""
    if len(data) - pos < 7 or data[pos] != 3 or data[pos + 1] != 0:
        return None
    length = int.from_bytes(data[pos + 2 : pos + 4], "big")
    return length if length >= 7 else None


def looks_like(data: bytes) -> bool:
    """True when ``data`` starts with TPKT and a COTP header."""
    return frame_length(data, 0) is not None and data[5] in (COTP_DT, COTP_CR, 0xD0)


def _pi_name(func: int, param: bytes) -> str:
    """The PI service name of a PLC control (0x28) or stop (0x29) job."""
    if func == 0x29 and len(param) > 6:
        return param[7 : 7 + param[6]].decode("latin-1")
    if func == 0x28 and len(param) >= 10:
        at = 10 + int.from_bytes(param[8:10], "big")
        if at < len(param):
            return param[at + 1 : at + 1 + param[at]].decode("latin-1")
    return ""


def _job(pdu: Pdu, ref: int, param: bytes, unit: int | None) -> IcsMessage:
    func = param[0]
    name, kind, changes = FUNCTIONS.get(func, (f"Unknown ({func:#x})", "other", False))
    detail = _pi_name(func, param) if func in (0x28, 0x29) else ""
    if func == 0x28:
        kind = PI_SERVICES.get(detail, "control")
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, func, name, kind, changes,
        unit=unit, transaction=ref, detail=detail,
    )  # fmt: skip


def _userdata(
    pdu: Pdu, ref: int, param: bytes, data: bytes, unit: int | None
) -> IcsMessage | None:
    if len(param) < 8 or param[:3] != b"\x00\x01\x12":
        return None
    kind_nibble, group, sub = param[5] >> 4, param[5] & 0x0F, param[6]
    name, kind, changes = USERDATA_FUNCTIONS.get(
        (group, sub), (f"subfunction {sub}", "other", False)
    )
    function = f"{GROUPS.get(group, f'group {group}')}: {name}"
    status = code = None
    detail = ""
    if kind_nibble == 8:  # response
        code = int.from_bytes(param[10:12], "big") if len(param) >= 12 else 0
        status = "exception" if code else "ok"
    elif (group, sub) == (4, 1) and len(data) >= 8:
        szl_id, index = struct.unpack_from("!HH", data, 4)
        detail = f"szl_id={szl_id:#06x} index={index:#06x}"
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, group, function, kind,
        changes and status is None, sub, unit, status, code or None,
        transaction=ref, detail=detail,
    )  # fmt: skip


def _ack(pdu: Pdu, ref: int, code: int, param: bytes) -> IcsMessage:
    func = param[0] if param else 0
    name = FUNCTIONS.get(func, (f"Unknown ({func:#x})",))[0]
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, func, name, "other",
        status="exception" if code else "ok", status_code=code or None,
        transaction=ref,
    )  # fmt: skip


def _tsap_unit(cotp: bytes) -> int | None:
    """Rack * 32 + slot from the called TSAP (0xC2) of a connection request."""
    pos = 7
    while pos + 2 <= len(cotp):
        code, size = cotp[pos], cotp[pos + 1]
        if code == 0xC2 and size == 2 and pos + 4 <= len(cotp):
            return cotp[pos + 3]
        pos += 2 + size
    return None


def _decode(pdu: Pdu, unit: int | None) -> IcsMessage | None:
    cotp = pdu.data[4:]
    s7 = cotp[cotp[0] + 1 :]
    if len(s7) < 10 or s7[0] != 0x32:
        return None
    rosctr, ref = s7[1], int.from_bytes(s7[4:6], "big")
    plen, dlen = struct.unpack_from("!HH", s7, 6)
    head = 12 if rosctr in (ACK, ACK_DATA) else 10
    param, data = s7[head : head + plen], s7[head + plen : head + plen + dlen]
    if rosctr == JOB and param:
        return _job(pdu, ref, param, unit)
    if rosctr in (ACK, ACK_DATA) and len(s7) >= 12:
        return _ack(pdu, ref, int.from_bytes(s7[10:12], "big"), param)
    if rosctr == USERDATA:
        return _userdata(pdu, ref, param, data, unit)
    return None


def parse(conv: Conversation) -> list[IcsMessage]:
    """Every S7comm job, acknowledgement and userdata message of a session."""
    unit: int | None = None
    pending: dict[tuple[bool, int], IcsMessage] = {}
    found: list[IcsMessage] = []
    for pdu in split_pdus(conv, frame_length):
        if len(pdu.data) > 6 and pdu.data[5] == COTP_CR:
            unit = _tsap_unit(pdu.data[4:])
            continue
        message = _decode(pdu, unit)
        if message is None:
            continue
        key = (message.subfunction is not None, message.transaction or 0)
        if message.is_request:
            pending[key] = message
        else:
            message = answer(pending.pop(key, None), message)
        found.append(message)
    return found
