"""ICS command messages parsed from a session's reassembled payload.

One module per protocol (modbus, s7comm, dnp3, enip_cip, iec104, bacnet),
each a pure ``parse(conv) -> list[IcsMessage]``; `parse_ics` picks the
parser from the session's protocol, then its ports, then the payload's
signature. `extract_ics_commands` is the extractor: it turns the messages of
one session into artifacts (see its docstring for their values).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from icsgraph.ingest.ics import bacnet, dnp3, enip_cip, iec104, modbus, s7comm
from icsgraph.ingest.ics.attack import techniques_for
from icsgraph.ingest.ics.message import KINDS, IcsMessage
from icsgraph.ingest.records import (
    ArtifactRecord,
    ArtifactValue,
    Conversation,
    artifact_of,
)

__all__ = [
    "KINDS",
    "PARSERS",
    "IcsMessage",
    "extract_ics_commands",
    "parse_ics",
    "reportable",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Parser:
    """How to recognise one protocol's sessions and parse them."""

    name: str
    names: frozenset[str]  # session protocol names that select it
    ports: tuple[int, ...]
    transports: frozenset[str]
    looks_like: Callable[[bytes], bool]
    parse: Callable[[Conversation], list[IcsMessage]]


TCP, UDP, BOTH = frozenset({"tcp"}), frozenset({"udp"}), frozenset({"tcp", "udp"})
# Explicit, ordered: the first match wins.
PARSERS: tuple[Parser, ...] = (
    Parser("modbus", frozenset({"modbus", "mbtcp"}), modbus.PORTS, TCP,
           modbus.looks_like, modbus.parse),
    Parser("s7comm", frozenset({"s7comm", "s7", "cotp", "tpkt", "iso-tsap"}),
           s7comm.PORTS, TCP, s7comm.looks_like, s7comm.parse),
    Parser("dnp3", frozenset({"dnp3", "dnp"}), dnp3.PORTS, BOTH,
           dnp3.looks_like, dnp3.parse),
    Parser("enip", frozenset({"enip", "cip", "ethernet-ip", "ethernetip"}),
           enip_cip.PORTS, BOTH, enip_cip.looks_like, enip_cip.parse),
    Parser("iec104", frozenset({"iec104", "iec60870_104", "iec-104"}),
           iec104.PORTS, TCP, iec104.looks_like, iec104.parse),
    Parser("bacnet", frozenset({"bacnet", "bacnet-ip", "bvlc"}), bacnet.PORTS,
           UDP, bacnet.looks_like, bacnet.parse),
)  # fmt: skip
UNKNOWN = frozenset({"", "unknown", "tcp", "udp", "data"})
REPORTED_KINDS = frozenset({"discovery", "program_upload"})


def choose_parser(conv: Conversation) -> Parser | None:
    """The parser for a session: by protocol, then port, then payload."""
    for parser in PARSERS:
        if conv.protocol in parser.names:
            return parser
    if conv.protocol not in UNKNOWN:
        return None
    for parser in PARSERS:
        if conv.transport in parser.transports and (
            conv.dst_port in parser.ports or conv.src_port in parser.ports
        ):
            return parser
    first = next((turn.data for turn in conv.turns if turn.data), b"")
    if not first:
        return None
    for parser in PARSERS:
        if conv.transport in parser.transports and parser.looks_like(first):
            return parser
    return None


def parse_ics(conv: Conversation) -> list[IcsMessage]:
    """Every ICS message of one session, in frame order ([] if none).

    Parsers read untrusted bytes; one that fails on a session raises, and
    `extract_artifacts` gives up on that session only and counts it with
    the ingest's other extraction problems.
    """
    parser = choose_parser(conv)
    return [] if parser is None else parser.parse(conv)


def reportable(message: IcsMessage) -> bool:
    """True for a request worth an ``ics_command`` artifact."""
    return message.is_request and (
        message.state_changing or message.kind in REPORTED_KINDS
    )


def extract_ics_commands(conv: Conversation) -> Iterator[ArtifactRecord]:
    """Artifacts for the ICS commands of one session.

    ``ics_command``: one per state-changing, discovery or program-upload
    request, with values protocol, function_code, function, subfunction,
    kind, state_changing (1), unit, detail, techniques (comma-separated
    ATT&CK for ICS ids), and when the response is in the session status and
    status_code; frames are the request's and the response's. It is about
    the device the request was sent to (the server, unless the request went
    from server to client).

    ``ics_functions``: one per protocol seen in the session, summarising
    every function: ("protocol", name), then for each function key in order
    ("function", "KEY:NAME"), ("count:KEY", requests) and, when some failed,
    ("errors:KEY", exception or rejected responses). KEY is the function
    code, or "code/subfunction" when there is one ("8/4" for Modbus force
    listen-only). Counts are of requests only: a function seen only in
    responses or announcements (BACnet i-Am, an exception whose request was
    not captured) is listed with count 0. Frames are the first frame of
    each function.
    """
    messages = parse_ics(conv)
    if not messages:
        return
    answers = {
        (m.request_frame, m.transaction, m.function_code): m
        for m in messages
        if not m.is_request and m.request_frame is not None
    }
    for message in messages:
        if reportable(message):
            response = answers.get(
                (message.frame, message.transaction, message.function_code)
            )
            yield _command(conv, message, response)
    yield from _summaries(conv, messages)


def _command(
    conv: Conversation, request: IcsMessage, response: IcsMessage | None
) -> ArtifactRecord:
    values: list[tuple[str, ArtifactValue | None]] = [
        ("protocol", request.protocol),
        ("function_code", request.function_code),
        ("function", request.function),
        ("subfunction", request.subfunction),
        ("command_kind", request.kind),
        ("state_changing", int(request.state_changing)),
        ("unit", request.unit),
        ("detail", request.detail),
        ("techniques", ",".join(techniques_for(request))),
    ]
    frames = [request.frame]
    if response is not None:
        values += [("status", response.status), ("status_code", response.status_code)]
        frames.append(response.frame)
    return artifact_of(
        conv,
        "ics_command",
        values,
        frames,
        request.time,
        "server" if request.direction == "out" else "client",
    )


def _summaries(
    conv: Conversation, messages: list[IcsMessage]
) -> Iterator[ArtifactRecord]:
    protocols = dict.fromkeys(m.protocol for m in messages)
    for protocol in protocols:
        mine = [m for m in messages if m.protocol == protocol]
        names: dict[tuple[int, int], tuple[str, str, int]] = {}
        requests: Counter[str] = Counter()
        errors: Counter[str] = Counter()
        for m in mine:
            order = (m.function_code, -1 if m.subfunction is None else m.subfunction)
            names.setdefault(order, (m.key, m.function, m.frame))
            if m.is_request:
                requests[m.key] += 1
            elif m.status in ("exception", "rejected"):
                errors[m.key] += 1
        values: list[tuple[str, ArtifactValue | None]] = [("protocol", protocol)]
        for key, name, _ in (names[order] for order in sorted(names)):
            values += [("function", f"{key}:{name}"), (f"count:{key}", requests[key])]
            if errors[key]:
                values.append((f"errors:{key}", errors[key]))
        frames = [frame for _, _, frame in names.values()]
        yield artifact_of(conv, "ics_functions", values, frames, mine[0].time, "server")
