"""The ICS command record every protocol parser returns, and its vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = frozenset(
    {
        "read",
        "write",
        "program_download",
        "program_upload",
        "restart",
        "mode_change",
        "diagnostic",
        "discovery",
        "control",
        "file",
        "other",
    }
)
STATUSES = frozenset({"ok", "exception", "rejected"})


@dataclass(frozen=True, slots=True)
class IcsMessage:
    """One ICS application message (request or response) found in a session.

    ``direction`` is the side that sent it, as in `Turn` ("out" = client →
    server). ``frame`` is the frame holding the message's last byte, which is
    where Wireshark shows a reassembled PDU. ``function`` is the name tshark
    uses where it has one. A response has ``status`` set ("ok", "exception" or
    "rejected") and ``request_frame`` pointing at the request it answers when
    that request is in the session; ``status_code`` is the protocol's own code
    for it (Modbus exception code, S7 error class << 8 | code, CIP general
    status, DNP3 IIN, IEC-104 cause of transmission, BACnet error code).
    A request has ``status`` None; ``state_changing`` is only set on requests.
    ``transaction`` is the protocol's own request/response key where it has
    one (Modbus transaction id, S7 PDU reference, DNP3 application sequence,
    CIP/ENIP sender context, BACnet invoke id): a response has the same
    ``request_frame`` and ``transaction`` as its request.
    """

    protocol: str
    direction: str
    frame: int
    time: float
    function_code: int
    function: str
    kind: str
    state_changing: bool = False
    subfunction: int | None = None
    unit: int | None = None
    status: str | None = None
    status_code: int | None = None
    request_frame: int | None = None
    transaction: int | None = None
    detail: str = ""

    @property
    def is_request(self) -> bool:
        """True for a request (a command), False for a response."""
        return self.status is None

    @property
    def key(self) -> str:
        """Function code, with ``/subfunction`` when there is one: "8/4"."""
        if self.subfunction is None:
            return str(self.function_code)
        return f"{self.function_code}/{self.subfunction}"


def answer(
    request: IcsMessage | None,
    response: IcsMessage,
) -> IcsMessage:
    """Tie a response to its request: same function, kind and unit."""
    if request is None:
        return response
    # Built directly: dataclasses.replace costs three times as much, and a
    # polled PLC answers tens of thousands of requests in a capture.
    return IcsMessage(
        response.protocol,
        response.direction,
        response.frame,
        response.time,
        request.function_code,
        request.function,
        request.kind,
        response.state_changing,
        request.subfunction,
        request.unit if response.unit is None else response.unit,
        response.status,
        response.status_code,
        request.frame,
        request.transaction,
        response.detail,
    )


def request_side(conv_ports: tuple[int, int], server_ports: tuple[int, ...]) -> str:
    """Direction that carries requests: towards the well-known server port."""
    src_port, dst_port = conv_ports
    if dst_port not in server_ports and src_port in server_ports:
        return "in"
    return "out"
