"""Modbus/TCP: function codes of requests and exceptions of responses.

Specification: MODBUS Application Protocol Specification V1.1b3 and MODBUS
Messaging on TCP/IP Implementation Guide V1.0b (modbus.org). Each message is
an MBAP header (transaction id, protocol id 0, length, unit id) and a PDU;
several may share a segment or span segments. Function 90 carries
Schneider Electric's UMAS, whose second byte is the UMAS function (codes as
published by security research on UMAS; Schneider says "upload" for a
transfer to the PLC, so 0x30-0x32 are program downloads in ATT&CK's terms).
"""

from __future__ import annotations

import struct

from icsgraph.ingest.ics._stream import Pdu, split_pdus
from icsgraph.ingest.ics.message import IcsMessage, answer, request_side
from icsgraph.ingest.records import Conversation

PORTS = (502,)
PROTOCOL = "modbus"

# code -> (tshark name, kind, state_changing)
FUNCTIONS: dict[int, tuple[str, str, bool]] = {
    1: ("Read Coils", "read", False),
    2: ("Read Discrete Inputs", "read", False),
    3: ("Read Holding Registers", "read", False),
    4: ("Read Input Registers", "read", False),
    5: ("Write Single Coil", "write", True),
    6: ("Write Single Register", "write", True),
    7: ("Read Exception Status", "diagnostic", False),
    8: ("Diagnostics", "diagnostic", False),
    11: ("Get Comm. Event Counters", "diagnostic", False),
    12: ("Get Comm. Event Log", "diagnostic", False),
    15: ("Write Multiple Coils", "write", True),
    16: ("Write Multiple Registers", "write", True),
    17: ("Report Slave ID", "discovery", False),
    20: ("Read File Record", "file", False),
    21: ("Write File Record", "file", True),
    22: ("Mask Write Register", "write", True),
    23: ("Read Write Register", "write", True),
    24: ("Read FIFO Queue", "read", False),
    43: ("Encapsulated Interface Transport", "other", False),
    90: ("Unity (Schneider)", "other", False),
}

# Diagnostics (8) sub-functions that change the device's state.
DIAGNOSTICS: dict[int, tuple[str, str]] = {
    1: ("Restart Communications Option", "restart"),
    3: ("Change ASCII Input Delimiter", "mode_change"),
    4: ("Force Listen Only Mode", "mode_change"),
    10: ("Clear Counters and Diagnostic Register", "diagnostic"),
    20: ("Clear Overrun Counter and Flag", "diagnostic"),
}

# UMAS function -> (name, kind, state_changing)
UMAS: dict[int, tuple[str, str, bool]] = {
    0x01: ("INIT_COMM", "other", False),
    0x02: ("READ_ID", "discovery", False),
    0x03: ("READ_PROJECT_INFO", "discovery", False),
    0x04: ("READ_PLC_INFO", "discovery", False),
    0x06: ("READ_CARD_INFO", "discovery", False),
    0x10: ("TAKE_PLC_RESERVATION", "control", True),
    0x11: ("RELEASE_PLC_RESERVATION", "control", True),
    0x12: ("KEEP_ALIVE", "other", False),
    0x20: ("READ_MEMORY_BLOCK", "read", False),
    0x22: ("READ_VARIABLES", "read", False),
    0x23: ("WRITE_VARIABLES", "write", True),
    0x24: ("READ_COILS_REGISTERS", "read", False),
    0x25: ("WRITE_COILS_REGISTERS", "write", True),
    0x30: ("INITIALIZE_UPLOAD", "program_download", True),
    0x31: ("UPLOAD_BLOCK", "program_download", True),
    0x32: ("END_STRATEGY_UPLOAD", "program_download", True),
    0x33: ("INITIALIZE_DOWNLOAD", "program_upload", False),
    0x34: ("DOWNLOAD_BLOCK", "program_upload", False),
    0x35: ("END_STRATEGY_DOWNLOAD", "program_upload", False),
    0x40: ("START_PLC", "mode_change", True),
    0x41: ("STOP_PLC", "mode_change", True),
    0x50: ("MONITOR_PLC", "read", False),
    0x58: ("CHECK_PLC", "diagnostic", False),
}
UMAS_OK, UMAS_ERROR = 0xFE, 0xFD


def frame_length(data: bytes, pos: int) -> int | None:
    """Length of the MBAP message at ``pos``, or None if it is not one."""
    if len(data) - pos < 8:
        return None
    proto = int.from_bytes(data[pos + 2 : pos + 4], "big")
    length = int.from_bytes(data[pos + 4 : pos + 6], "big")
    if proto != 0 or not 2 <= length <= 254:
        return None
    return 6 + length


def looks_like(data: bytes) -> bool:
    """True when ``data`` starts with a plausible MBAP header and function."""
    size = frame_length(data, 0)
    return size is not None and (data[7] & 0x7F) in FUNCTIONS


def describe(fc: int, body: bytes) -> tuple[str, str, bool, int | None, str]:
    """Name, kind, state change, sub-function and detail of a request."""
    name, kind, changes = FUNCTIONS.get(fc, (f"Unknown ({fc})", "other", False))
    if fc == 8 and len(body) >= 2:
        sub = int.from_bytes(body[:2], "big")
        sub_name, sub_kind = DIAGNOSTICS.get(sub, ("", "diagnostic"))
        return name, sub_kind, sub in DIAGNOSTICS, sub, sub_name
    if fc == 43 and body:
        found = body[0] == 14
        detail = "Read Device Identification" if found else f"MEI type {body[0]}"
        return name, "discovery" if found else "other", False, body[0], detail
    if fc == 90 and len(body) >= 2:
        umas, umas_kind, umas_changes = UMAS.get(body[1], ("", "other", False))
        return name, umas_kind, umas_changes, body[1], umas
    return name, kind, changes, None, _range(fc, body)


def _range(fc: int, body: bytes) -> str:
    if fc in (1, 2, 3, 4, 5, 6, 15, 16, 22, 23) and len(body) >= 4:
        address, value = struct.unpack_from("!HH", body)
        label = "value" if fc in (5, 6) else "count"
        return f"address={address} {label}={value}"
    return ""


def _request(pdu: Pdu, tid: int, unit: int, fc: int, body: bytes) -> IcsMessage:
    name, kind, changes, sub, detail = describe(fc, body)
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, fc, name, kind, changes,
        sub, unit, transaction=tid, detail=detail,
    )  # fmt: skip


def _response(pdu: Pdu, tid: int, unit: int, fc: int, body: bytes) -> IcsMessage:
    base = fc & 0x7F
    name = FUNCTIONS.get(base, (f"Unknown ({base})",))[0]
    status, code = "ok", None
    if fc & 0x80:
        status, code = "exception", body[0] if body else None
    elif base == 90 and len(body) >= 2 and body[1] == UMAS_ERROR:
        status, code = "exception", body[2] if len(body) > 2 else None
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, base, name, "other",
        unit=unit, status=status, status_code=code, transaction=tid,
    )  # fmt: skip


def parse(conv: Conversation) -> list[IcsMessage]:
    """Every Modbus request and response of a session, in frame order."""
    requests_go = request_side((conv.src_port, conv.dst_port), PORTS)
    pending: dict[tuple[int, int], IcsMessage] = {}
    found: list[IcsMessage] = []
    for pdu in split_pdus(conv, frame_length):
        tid = int.from_bytes(pdu.data[:2], "big")
        unit, fc, body = pdu.data[6], pdu.data[7], pdu.data[8:]
        if pdu.direction == requests_go and not fc & 0x80:
            message = _request(pdu, tid, unit, fc, body)
            pending[(tid, unit)] = message
        else:
            request = pending.pop((tid, unit), None)
            message = answer(request, _response(pdu, tid, unit, fc, body))
        found.append(message)
    return found
