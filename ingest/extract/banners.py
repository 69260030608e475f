"""Service greetings: FTP/SMTP 220, POP3, IMAP, VNC's RFB version, and the
first server bytes of any other TCP service when they are text.

Telnet, SSH and HTTP have their own modules; a session they claim gets no
generic banner here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from icsgraph.ingest.extract._common import artifact, is_text, text, turn_frames
from icsgraph.ingest.extract.telnet import is_telnet
from icsgraph.ingest.records import ArtifactRecord, Conversation, Turn

_GREETINGS = (  # protocol, pattern on the first server line
    ("ftp", re.compile(rb"^(?:220|120|421)[ -]")),
    ("smtp", re.compile(rb"^220[ -][^\r\n]*(?:SMTP|MAIL)", re.IGNORECASE)),
    ("pop3", re.compile(rb"^\+OK")),
    ("imap", re.compile(rb"^\* (?:OK|PREAUTH)")),
    ("vnc", re.compile(rb"^RFB \d{3}\.\d{3}\n")),
)
_PORTS = {"ftp": (21,), "smtp": (25, 587, 465), "pop3": (110,), "imap": (143,)}
_OWN_MODULE = (22, 80, 8080, 443)
_RFB = re.compile(rb"^RFB (\d{3})\.(\d{3})\n")


def extract_banners(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A banner per TCP session whose server speaks text first (or at all)."""
    turn = _first_server_turn(conv)
    if conv.transport != "tcp" or turn is None or is_telnet(conv):
        return
    line = turn.data.split(b"\n", 1)[0] + b"\n"
    protocol = _greeting(conv, line)
    if protocol == "vnc":
        yield _rfb(conv, turn)
        return
    if protocol is None and (_claimed(conv, turn) or not is_text(turn.data[:256])):
        return
    body = turn.data if protocol is None else line
    values = (("protocol", protocol or f"tcp/{conv.dst_port}"), ("text", text(body)))
    confidence = 1.0 if protocol else 0.7
    frames = turn_frames(turn, 0, len(body))
    yield artifact(
        conv, "banner", values, frames, turn.first_time, confidence=confidence
    )


def _first_server_turn(conv: Conversation) -> Turn | None:
    return next((t for t in conv.turns if t.direction == "in" and t.data), None)


def _greeting(conv: Conversation, line: bytes) -> str | None:
    for protocol, pattern in _GREETINGS:
        if pattern.match(line):
            ports = _PORTS.get(protocol, ())
            if (
                protocol != "ftp"
                or not ports
                or conv.dst_port in ports
                or b"FTP" in line
            ):
                return protocol
            if conv.dst_port not in _PORTS["smtp"]:
                return protocol
    return None


def _claimed(conv: Conversation, turn: Turn) -> bool:
    """Sessions another module reads: SSH, HTTP, TLS."""
    head = turn.data[:8]
    return (
        conv.dst_port in _OWN_MODULE
        or head.startswith((b"SSH-", b"HTTP/"))
        or head[:1] == b"\x16"
    )


def _rfb(conv: Conversation, turn: Turn) -> ArtifactRecord:
    match = _RFB.match(turn.data)
    assert match is not None
    version = f"{int(match.group(1))}.{int(match.group(2))}"
    values = (("protocol", "vnc"), ("text", text(match.group(0))), ("version", version))
    return artifact(conv, "banner", values, turn_frames(turn, 0, 12), turn.first_time)
