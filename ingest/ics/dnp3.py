"""DNP3 (IEEE Std 1815-2012): application function codes over TCP or UDP.

Specification: IEEE 1815-2012, clauses 9 (data link: 0x0564 start, a 10-byte
header, then user data in blocks of at most 16 bytes each followed by a CRC),
8 (transport: one byte with FIN, FIR and a sequence number) and 4 (application
header: control, function code, and for responses the internal indications
IIN1/IIN2). Transport segments are joined per link source and destination
until FIN, so a message's frame is the one that completed it, as in Wireshark.
"""

from __future__ import annotations

from icsgraph.ingest.ics._stream import Pdu, datagrams, split_pdus
from icsgraph.ingest.ics.message import IcsMessage, answer
from icsgraph.ingest.records import Conversation

PORTS = (20000,)
PROTOCOL = "dnp3"
RESPONSES = frozenset({129, 130, 131})
FIR, FIN = 0x40, 0x80
IIN2_NO_FUNCTION = 0x01  # function code not supported
IIN2_REJECTED = 0x06  # object unknown, parameter error

# code -> (tshark name, kind, state_changing)
FUNCTIONS: dict[int, tuple[str, str, bool]] = {
    0: ("Confirm", "other", False),
    1: ("Read", "read", False),
    2: ("Write", "write", True),
    3: ("Select", "control", True),
    4: ("Operate", "control", True),
    5: ("Direct Operate", "control", True),
    6: ("Direct Operate No Ack", "control", True),
    7: ("Immediate Freeze", "control", True),
    8: ("Immediate Freeze No Ack", "control", True),
    9: ("Freeze and Clear", "control", True),
    10: ("Freeze and Clear No ACK", "control", True),
    11: ("Freeze With Time", "control", True),
    12: ("Freeze With Time No ACK", "control", True),
    13: ("Cold Restart", "restart", True),
    14: ("Warm Restart", "restart", True),
    15: ("Initialize Data", "control", True),
    16: ("Initialize Application", "mode_change", True),
    17: ("Start Application", "mode_change", True),
    18: ("Stop Application", "mode_change", True),
    19: ("Save Configuration", "control", True),
    20: ("Enable Spontaneous Messages", "control", True),
    21: ("Disable Spontaneous Messages", "control", True),
    22: ("Assign Classes", "control", True),
    23: ("Delay Measurement", "diagnostic", False),
    24: ("Record Current Time", "control", False),
    25: ("Open File", "file", True),
    26: ("Close File", "file", True),
    27: ("Delete File", "file", True),
    28: ("Get File Info", "file", False),
    29: ("Authenticate File", "file", False),
    30: ("Abort File", "file", True),
    31: ("Activate Config", "program_download", True),
    32: ("Authentication Request", "other", False),
    33: ("Authentication Error", "other", False),
    129: ("Response", "other", False),
    130: ("Unsolicited Response", "other", False),
    131: ("Authentication Response", "other", False),
}


def frame_length(data: bytes, pos: int) -> int | None:
    """Length of the link-layer frame at ``pos`` with its CRCs, or None."""
    if len(data) - pos < 10 or data[pos] != 0x05 or data[pos + 1] != 0x64:
        return None
    if data[pos + 2] < 5:
        return None
    user = data[pos + 2] - 5
    return 10 + user + 2 * ((user + 15) // 16)


def looks_like(data: bytes) -> bool:
    """True when ``data`` starts with a DNP3 link-layer header."""
    return frame_length(data, 0) is not None


def user_data(frame: bytes) -> bytes:
    """The link frame's user data with the CRC of every block removed."""
    body = frame[10:]
    return b"".join(body[i : i + 18][:-2] for i in range(0, len(body), 18))


def _application(pdu: Pdu, fragment: bytes, dst: int, src: int) -> IcsMessage | None:
    if len(fragment) < 2:
        return None
    seq, fc = fragment[0] & 0x0F, fragment[1]
    name, kind, changes = FUNCTIONS.get(fc, (f"Unknown ({fc})", "other", False))
    if fc not in RESPONSES:
        return IcsMessage(
            PROTOCOL, pdu.direction, pdu.frame, pdu.time, fc, name, kind,
            changes, unit=dst, transaction=seq,
        )  # fmt: skip
    iin = int.from_bytes(fragment[2:4], "big") if len(fragment) >= 4 else 0
    status = "ok"
    if iin & IIN2_NO_FUNCTION:
        status = "rejected"
    elif iin & IIN2_REJECTED:
        status = "exception"
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, fc, name, kind,
        unit=src, status=status, status_code=iin, transaction=seq,
        detail=f"iin={iin:#06x}",
    )  # fmt: skip


def _units(conv: Conversation) -> list[Pdu]:
    if conv.transport == "tcp":
        return split_pdus(conv, frame_length)
    return [p for p in datagrams(conv) if frame_length(p.data, 0) == len(p.data)]


def parse(conv: Conversation) -> list[IcsMessage]:
    """Every DNP3 application message of a session, in frame order."""
    partial: dict[tuple[int, int], bytearray] = {}
    pending: dict[tuple[int, int, int], IcsMessage] = {}
    found: list[IcsMessage] = []
    for pdu in _units(conv):
        dst, src = pdu.data[4] | pdu.data[5] << 8, pdu.data[6] | pdu.data[7] << 8
        data = user_data(pdu.data)
        if pdu.data[3] & 0x0F not in (3, 4) or not data:
            continue  # link-layer service without user data
        if data[0] & FIR:
            partial[(src, dst)] = bytearray()
        if (src, dst) not in partial:
            continue  # middle of a message whose start was not captured
        partial[(src, dst)] += data[1:]
        if not data[0] & FIN:
            continue
        message = _application(pdu, bytes(partial.pop((src, dst))), dst, src)
        if message is None:
            continue
        if message.is_request:
            pending[(src, dst, message.transaction or 0)] = message
        else:
            key = (dst, src, message.transaction or 0)
            message = answer(pending.pop(key, None), message)
        found.append(message)
    return found
