"""IEC 60870-5-104: APCI framing and the ASDUs of I-format messages.

Specification: IEC 60870-5-104 (APCI: start byte 0x68, length, four control
octets; I-, S- and U-format) and IEC 60870-5-101 clause 7 (ASDU: type id,
variable structure qualifier, cause of transmission with its P/N bit,
originator address and common address of the ASDU, in the 104 profile of
two-octet COT and common address). Commands (control direction) are
requests; their activation confirmation or termination is the response.
"""

from __future__ import annotations

from icsgraph.ingest.ics._stream import Pdu, split_pdus
from icsgraph.ingest.ics.message import IcsMessage, answer
from icsgraph.ingest.records import Conversation

PORTS = (2404,)
PROTOCOL = "iec104"
ACT, ACTCON, DEACT, DEACTCON, ACTTERM = 6, 7, 8, 9, 10
REQUEST_CAUSES = frozenset({ACT, DEACT, 5})  # activation, deactivation, request
NEGATIVE = 0x40
U_FORMAT = {
    0x07: "STARTDT act",
    0x0B: "STARTDT con",
    0x13: "STOPDT act",
    0x23: "STOPDT con",
    0x43: "TESTFR act",
    0x83: "TESTFR con",
}

# type id -> (tshark name, kind, state_changing)
TYPES: dict[int, tuple[str, str, bool]] = {
    45: ("C_SC_NA_1", "control", True),  # single command
    46: ("C_DC_NA_1", "control", True),  # double command
    47: ("C_RC_NA_1", "control", True),  # regulating step command
    48: ("C_SE_NA_1", "write", True),  # set point, normalised
    49: ("C_SE_NB_1", "write", True),  # set point, scaled
    50: ("C_SE_NC_1", "write", True),  # set point, short float
    51: ("C_BO_NA_1", "write", True),  # bitstring of 32 bits
    58: ("C_SC_TA_1", "control", True),
    59: ("C_DC_TA_1", "control", True),
    60: ("C_RC_TA_1", "control", True),
    61: ("C_SE_TA_1", "write", True),
    62: ("C_SE_TB_1", "write", True),
    63: ("C_SE_TC_1", "write", True),
    64: ("C_BO_TA_1", "write", True),
    100: ("C_IC_NA_1", "read", False),  # (general) interrogation
    101: ("C_CI_NA_1", "read", False),  # counter interrogation
    102: ("C_RD_NA_1", "read", False),  # read
    103: ("C_CS_NA_1", "control", True),  # clock synchronisation
    105: ("C_RP_NA_1", "restart", True),  # reset process
    107: ("C_TS_TA_1", "diagnostic", False),  # test with time tag
    120: ("F_FR_NA_1", "file", False),
    121: ("F_SR_NA_1", "file", False),
    122: ("F_SC_NA_1", "file", False),
    123: ("F_LS_NA_1", "file", False),
    124: ("F_AF_NA_1", "file", False),
    125: ("F_SG_NA_1", "file", True),  # segment: file transfer
    126: ("F_DR_TA_1", "file", False),
}


def frame_length(data: bytes, pos: int) -> int | None:
    """Length of the APDU at ``pos``, or None if it is not one."""
    if len(data) - pos < 6 or data[pos] != 0x68 or data[pos + 1] < 4:
        return None
    return 2 + data[pos + 1]


def looks_like(data: bytes) -> bool:
    """True when ``data`` is one or more whole APDUs."""
    pos = 0
    while pos < len(data):
        size = frame_length(data, pos)
        if size is None:
            return False
        pos += size
    return pos == len(data) > 0


def _u_format(pdu: Pdu) -> IcsMessage | None:
    code = pdu.data[2]
    name = U_FORMAT.get(code)
    if name is None:
        return None
    confirm = name.endswith("con")
    kind = "control" if code in (0x07, 0x13) else "diagnostic"
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, code, name, kind,
        status="ok" if confirm else None,
    )  # fmt: skip


def _asdu(pdu: Pdu) -> IcsMessage | None:
    asdu = pdu.data[6:]
    if len(asdu) < 6:
        return None
    type_id, cause = asdu[0], asdu[2] & 0x3F
    address = int.from_bytes(asdu[4:6], "little")
    name, kind, changes = TYPES.get(type_id, ("", "read", False))
    if not name:
        return None  # monitor direction data: not a command
    detail = f"cot={cause}" + (" negative" if asdu[2] & NEGATIVE else "")
    if cause in REQUEST_CAUSES:
        return IcsMessage(
            PROTOCOL, pdu.direction, pdu.frame, pdu.time, type_id, name, kind,
            changes and cause == ACT, unit=address, detail=detail,
        )  # fmt: skip
    status = "rejected" if asdu[2] & NEGATIVE or cause >= 44 else "ok"
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, type_id, name, kind,
        unit=address, status=status, status_code=cause, detail=detail,
    )  # fmt: skip


def parse(conv: Conversation) -> list[IcsMessage]:
    """Every command ASDU, its confirmation, and U-format message of a session."""
    pending: dict[tuple[int, int], IcsMessage] = {}
    found: list[IcsMessage] = []
    for pdu in split_pdus(conv, frame_length):
        if pdu.data[2] & 0x03 == 0x03:
            message = _u_format(pdu)
        elif not pdu.data[2] & 0x01:
            message = _asdu(pdu)
        else:
            continue  # S-format: acknowledgement only
        if message is None:
            continue
        key = (message.function_code, message.unit or 0)
        if message.is_request:
            pending[key] = message
        elif (message.status_code or 0) in (ACTCON, DEACTCON, *range(44, 48)):
            message = answer(pending.get(key), message)
        found.append(message)
    return found
