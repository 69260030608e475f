"""Telnet (RFC 854): the server's banner and login exchanges.

Option negotiation (IAC WILL/WONT/DO/DONT, IAC SB … IAC SE) is stripped
before anything is read; IAC IAC stands for a literal 0xFF. Credentials are
read from what the client typed after a login or password prompt, so the
server's echo of the typed characters does not matter; backspace and DEL
edit the typed text as a terminal would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from icsgraph.ingest.extract._common import artifact, speaks, text, turn_frames
from icsgraph.ingest.records import ArtifactRecord, Conversation, Turn

IAC, SB, SE = 0xFF, 0xFA, 0xF0
_NEGOTIATE = range(0xFB, 0xFF)  # WILL, WONT, DO, DONT
_LIMIT = 64 * 1024  # bytes of each direction read for banners and logins
_USER_PROMPT = re.compile(
    rb"(?:login|user ?name|user|account)\s*(?:\[[^\]\r\n]*\]|\([^)\r\n]*\))?\s*:\s*$",
    re.IGNORECASE,
)
_PASS_PROMPT = re.compile(rb"pass(?:word|code)?\s*:\s*$", re.IGNORECASE)
_FAILED = re.compile(rb"incorrect|fail|denied|invalid|wrong", re.IGNORECASE)


def strip_telnet(data: bytes) -> tuple[bytes, list[int]]:
    """Remove Telnet commands; return the text and each byte's source offset."""
    out = bytearray()
    where: list[int] = []
    pos = 0
    while pos < len(data):
        byte = data[pos]
        if byte != IAC:
            out.append(byte)
            where.append(pos)
            pos += 1
            continue
        command = data[pos + 1] if pos + 1 < len(data) else None
        if command == IAC:
            out.append(IAC)
            where.append(pos)
            pos += 2
        elif command == SB:
            end = data.find(bytes((IAC, SE)), pos + 2)
            pos = len(data) if end < 0 else end + 2
        elif command is not None and command in _NEGOTIATE:
            pos += 3
        else:
            pos += 2
    return bytes(out), where


def is_telnet(conv: Conversation) -> bool:
    """Port 23, a Telnet protocol name, or IAC negotiation from the server."""
    if speaks(conv, ("telnet",), 23):
        return True
    first = next((t.data for t in conv.turns if t.direction == "in"), b"")
    return len(first) >= 3 and first[0] == IAC and first[1] in _NEGOTIATE


def extract_telnet(conv: Conversation) -> Iterator[ArtifactRecord]:
    """Telnet banner (server text before the first prompt) and logins."""
    if conv.transport != "tcp" or not is_telnet(conv):
        return
    banner = _banner(conv)
    if banner is not None:
        yield banner
    yield from _logins(conv)


def _banner(conv: Conversation) -> ArtifactRecord | None:
    """Server text sent before the client typed anything, minus the prompt."""
    head = bytearray()
    frames: list[int] = []
    first_seen = None
    for turn in conv.turns:
        clean, where = strip_telnet(turn.data[:_LIMIT])
        if turn.direction == "out":
            if clean.strip(b"\r\n\x00"):
                break
            continue
        if clean.strip():
            frames.extend(turn_frames(turn, where[0], where[-1] + 1))
            first_seen = first_seen or turn.first_time
        head += clean
    prompt = _USER_PROMPT.search(head) or _PASS_PROMPT.search(head)
    body = text(bytes(head[: prompt.start() if prompt else len(head)]), limit=2048)
    if not body or first_seen is None:
        return None
    values = (("protocol", "telnet"), ("text", body))
    return artifact(conv, "banner", values, frames, first_seen)


class _Login:
    """Pairs prompts on the server's screen with the lines the client typed."""

    def __init__(self) -> None:
        self.screen = b""
        self.state: str | None = None
        self.typed = bytearray()
        self.ahead = bytearray()  # typed before the prompt it answers
        self.fields: dict[str, str] = {}
        self.frames: list[int] = []
        self.first_seen: float | None = None

    def server(self, clean: bytes, frame: int) -> bool:
        """Read server text; True when a finished login should be emitted."""
        if "password" in self.fields and "outcome" not in self.fields and clean.strip():
            failed = _FAILED.search(clean) is not None
            self.fields["outcome"] = "failed" if failed else "accepted"
        self.screen = (self.screen + clean)[-256:].rstrip(b"\x00")
        if self.state is not None:
            return False
        if _USER_PROMPT.search(self.screen):
            done = "password" in self.fields
            if not done:
                self._prompt("username", frame)
            return done
        if _PASS_PROMPT.search(self.screen):
            self._prompt("password", frame)
        return False

    def _prompt(self, state: str, frame: int) -> None:
        self.state = state
        self.frames.append(frame)
        pending, self.ahead = bytes(self.ahead), bytearray()
        self.client(pending, (), 0.0)

    def client(self, clean: bytes, frames: tuple[int, ...], time: float) -> None:
        """Read typed bytes; a CR or LF ends the answer to the current prompt."""
        if self.state is None:
            self.ahead += clean
            return
        if frames:
            self.frames.extend(frames)
            self.first_seen = self.first_seen or time
        for index, byte in enumerate(clean):
            if byte in (0x0D, 0x0A, 0x00):
                if self.typed or self.state == "password":
                    self.fields[self.state] = self.typed.decode("latin-1")
                    self.typed.clear()
                    self.state, self.screen = None, b""
                    self.ahead += clean[index + 1 :].lstrip(b"\r\n\x00")
                    return
            elif byte in (0x08, 0x7F):
                del self.typed[-1:]
            elif byte >= 0x20:
                self.typed.append(byte)


def _logins(conv: Conversation) -> Iterator[ArtifactRecord]:
    """Walk the turns in order, pairing prompts with what the client typed.

    Server turns are read segment by segment, so a prompt followed at once by
    more text (the reply to typed-ahead input) is still seen as a prompt.
    """
    login = _Login()
    for turn in conv.turns:
        if turn.direction == "out":
            clean, _ = strip_telnet(turn.data[:_LIMIT])
            login.client(clean, turn_frames(turn), turn.first_time)
            continue
        for frame, chunk in _segments(turn):
            clean, _ = strip_telnet(chunk)
            if login.server(clean, frame):
                yield _credential(conv, login)
                login = _Login()
                login.server(clean, frame)
    if login.fields:
        yield _credential(conv, login)


def _segments(turn: Turn) -> Iterator[tuple[int, bytes]]:
    """(frame, bytes) of each segment of a turn, within the read limit."""
    bounds = [offset for _, offset, _ in turn.segments] + [len(turn.data)]
    for index, (frame, offset, _) in enumerate(turn.segments):
        if offset < _LIMIT:
            yield frame, turn.data[offset : min(bounds[index + 1], _LIMIT)]


def _credential(conv: Conversation, login: _Login) -> ArtifactRecord:
    values = (
        ("protocol", "telnet"),
        ("username", login.fields.get("username")),
        ("password", login.fields.get("password")),
        ("outcome", login.fields.get("outcome", "unknown")),
    )
    first = login.first_seen or 0.0
    return artifact(conv, "credential", values, login.frames, first, about="server")
