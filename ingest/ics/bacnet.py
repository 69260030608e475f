"""BACnet/IP: BVLC, NPDU and the APDU's service choice.

Specification: ANSI/ASHRAE Standard 135 (BACnet), Annex J (BACnet/IP virtual
link control: type 0x81, function, length), clause 6 (NPDU: version 1,
control octet, optional destination/source networks and hop count) and
clause 20.1 (APDU: PDU type in the high nibble; confirmed requests carry an
invoke id that their Simple-/Complex-ACK, Error, Reject or Abort repeats).
"""

from __future__ import annotations

from icsgraph.ingest.ics._stream import Pdu, datagrams
from icsgraph.ingest.ics.message import IcsMessage, answer
from icsgraph.ingest.records import Conversation

PORTS = (47808,)
PROTOCOL = "bacnet"
CONFIRMED, UNCONFIRMED, SIMPLE_ACK, COMPLEX_ACK = 0, 1, 2, 3
ERROR, REJECT, ABORT = 5, 6, 7
FORWARDED = 0x04
NPDU_FUNCTIONS = frozenset({0x04, 0x09, 0x0A, 0x0B})

# confirmed service -> (tshark name, kind, state_changing)
CONFIRMED_SERVICES: dict[int, tuple[str, str, bool]] = {
    5: ("subscribeCOV", "other", False),
    6: ("atomicReadFile", "file", False),
    7: ("atomicWriteFile", "file", True),
    8: ("addListElement", "write", True),
    9: ("removeListElement", "write", True),
    10: ("createObject", "write", True),
    11: ("deleteObject", "write", True),
    12: ("readProperty", "read", False),
    14: ("readPropertyMultiple", "read", False),
    15: ("writeProperty", "write", True),
    16: ("writePropertyMultiple", "write", True),
    17: ("deviceCommunicationControl", "mode_change", True),
    18: ("confirmedPrivateTransfer", "other", False),
    20: ("reinitializeDevice", "restart", True),
    26: ("readRange", "read", False),
    27: ("lifeSafetyOperation", "control", True),
}
UNCONFIRMED_SERVICES: dict[int, tuple[str, str, bool]] = {
    0: ("i-Am", "discovery", False),
    1: ("i-Have", "discovery", False),
    2: ("unconfirmedCOVNotification", "other", False),
    6: ("timeSynchronization", "control", True),
    7: ("who-Has", "discovery", False),
    8: ("who-Is", "discovery", False),
    9: ("utcTimeSynchronization", "control", True),
    10: ("writeGroup", "write", True),
}
ANNOUNCEMENTS = frozenset({0, 1})  # i-Am, i-Have: answers, not requests
REINITIALIZE_STATES = (
    "coldstart", "warmstart", "startbackup", "endbackup",
    "startrestore", "endrestore", "abortrestore", "activate-changes",
)  # fmt: skip


def looks_like(data: bytes) -> bool:
    """True when ``data`` is a BVLC message carrying an NPDU.

    The BVLC length is not checked against the datagram: devices in the wild
    send wrong ones, and Wireshark reads the whole datagram anyway.
    """
    return (
        len(data) >= 6
        and data[0] == 0x81
        and data[1] in NPDU_FUNCTIONS
        and int.from_bytes(data[2:4], "big") >= 4
    )


def apdu(data: bytes) -> bytes | None:
    """The APDU of a BVLC message, or None for a network-layer message."""
    npdu = data[10:] if data[1] == FORWARDED else data[4:]
    if len(npdu) < 2 or npdu[0] != 0x01:
        return None
    control, pos = npdu[1], 2
    if control & 0x80:
        return None  # network layer message
    if control & 0x20:  # destination network, length, address
        pos += 3 + (npdu[pos + 2] if pos + 2 < len(npdu) else 0)
    if control & 0x08:  # source network, length, address
        pos += 3 + (npdu[pos + 2] if pos + 2 < len(npdu) else 0)
    if control & 0x20:
        pos += 1  # hop count
    return npdu[pos:] if pos < len(npdu) else None


def _request(pdu: Pdu, body: bytes) -> IcsMessage | None:
    ptype = body[0] >> 4
    if ptype == CONFIRMED and len(body) >= 4:
        at = 5 if body[0] & 0x08 else 3
        if at >= len(body):
            return None
        code, invoke = body[at], body[2]
        table = CONFIRMED_SERVICES
    elif ptype == UNCONFIRMED and len(body) >= 2:
        code, invoke = body[1], None
        table = UNCONFIRMED_SERVICES
    else:
        return None
    name, kind, changes = table.get(code, (f"service {code}", "other", False))
    detail = _detail(code, body[at + 1 :]) if ptype == CONFIRMED else ""
    status = "ok" if ptype == UNCONFIRMED and code in ANNOUNCEMENTS else None
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, code, name, kind,
        changes, status=status, transaction=invoke, detail=detail,
    )  # fmt: skip


def _detail(code: int, params: bytes) -> str:
    """reinitializeDevice's requested state: context tag 0, one octet."""
    if code == 20 and len(params) >= 2 and params[0] == 0x09:
        index = params[1]
        state = REINITIALIZE_STATES[index] if index < 8 else str(index)
        return f"state={state}"
    return ""


def _response(pdu: Pdu, body: bytes) -> IcsMessage | None:
    ptype = body[0] >> 4
    if ptype not in (SIMPLE_ACK, COMPLEX_ACK, ERROR, REJECT, ABORT) or len(body) < 3:
        return None
    invoke = body[1]
    code = body[2]
    if ptype == COMPLEX_ACK and body[0] & 0x08:
        code = body[4] if len(body) > 4 else 0
    status = {ERROR: "exception", REJECT: "rejected", ABORT: "rejected"}
    reason = body[2] if ptype in (REJECT, ABORT) else None
    name = CONFIRMED_SERVICES.get(code, (f"service {code}",))[0]
    return IcsMessage(
        PROTOCOL, pdu.direction, pdu.frame, pdu.time, code, name, "other",
        status=status.get(ptype, "ok"), status_code=reason, transaction=invoke,
    )  # fmt: skip


def parse(conv: Conversation) -> list[IcsMessage]:
    """Every BACnet confirmed and unconfirmed service and response."""
    pending: dict[tuple[str, int], IcsMessage] = {}
    found: list[IcsMessage] = []
    for pdu in datagrams(conv):
        body = apdu(pdu.data) if looks_like(pdu.data) else None
        if not body:
            continue
        message = _request(pdu, body) or _response(pdu, body)
        if message is None:
            continue
        if message.is_request and message.transaction is not None:
            pending[(message.direction, message.transaction)] = message
        elif message.transaction is not None:
            back = "in" if message.direction == "out" else "out"
            request = pending.pop((back, message.transaction), None)
            message = answer(request, message)
        found.append(message)
    return found
