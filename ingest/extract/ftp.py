"""FTP control connections (RFC 959, RFC 2428): logins and file transfers.

Each RETR/STOR/APPE/STOU becomes a ``file_transfer`` artifact naming the
data connection announced just before it (PASV/EPSV reply or PORT/EPRT
command) as ``data_ip``/``data_port``. The bytes travel in another session:
`icsgraph.ingest.extract.transfers.tie_data_sessions` adds their size and
SHA-256 once both sessions are finished.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from icsgraph.ingest.extract._common import Joined, artifact, join, speaks
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

_LINE = re.compile(rb"[^\r\n]*\r?\n")
_PASV = re.compile(rb"227 [^(]*\(?(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)")
_EPSV = re.compile(rb"229 [^(]*\(([\x21-\x7e])\1\1(\d+)\1\)")
_BYTES = re.compile(r"\((\d+) bytes?\)", re.IGNORECASE)
_FILE_COMMANDS = {
    "RETR": "download",
    "STOR": "upload",
    "APPE": "upload",
    "STOU": "upload",
}
_LIMIT = 256 * 1024


@dataclass(slots=True)
class _Line:
    text: str
    frames: tuple[int, ...]
    time: float
    offset: int


def extract_ftp(conv: Conversation) -> Iterator[ArtifactRecord]:
    """Credentials (USER/PASS) and file commands of an FTP control session."""
    if conv.transport != "tcp" or not _is_ftp(conv):
        return
    commands = _lines(join(conv, "out"))
    replies = _lines(join(conv, "in"))
    yield from _credentials(conv, commands)
    yield from _transfers(conv, commands, replies)


def _is_ftp(conv: Conversation) -> bool:
    if speaks(conv, ("ftp",), 21):
        return True
    first = next((t.data for t in conv.turns if t.direction == "in"), b"")
    return first.startswith(b"220") and b"FTP" in first[:200].upper()


def _lines(stream: Joined) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(stream.data[:_LIMIT]):
        raw = match.group(0).rstrip(b"\r\n").decode("latin-1")
        frames = stream.frames_between(match.start(), match.end())
        lines.append(_Line(raw, frames, stream.time_at(match.start()), match.start()))
    return lines


def _credentials(conv: Conversation, commands: list[_Line]) -> Iterator[ArtifactRecord]:
    user: _Line | None = None
    for line in commands:
        verb, _, arg = line.text.partition(" ")
        if verb.upper() == "USER":
            user = line
        elif verb.upper() == "PASS" and user is not None:
            values = (
                ("protocol", "ftp"),
                ("username", user.text.partition(" ")[2]),
                ("password", arg),
            )
            frames = user.frames + line.frames
            yield artifact(conv, "credential", values, frames, user.time)
            user = None


def _transfers(
    conv: Conversation, commands: list[_Line], replies: list[_Line]
) -> Iterator[ArtifactRecord]:
    data_ip, data_port = None, None
    sizes = _sizes(commands, replies)
    events = sorted(
        [(c.time, 0, c) for c in commands] + [(r.time, 1, r) for r in replies],
        key=lambda item: (item[0], item[1], item[2].offset),
    )
    for _, is_reply, line in events:
        endpoint = _reply_endpoint(conv, line.text) if is_reply else _port(line.text)
        if endpoint is not None:
            data_ip, data_port = endpoint
            continue
        verb, _, arg = line.text.partition(" ")
        direction = _FILE_COMMANDS.get(verb.upper()) if not is_reply else None
        if direction is None:
            continue
        expected = None
        if direction == "download":
            expected = _announced(replies, line.time)
            expected = expected or _size_before(sizes, arg.strip(), line.time)
        values: tuple[tuple[str, ArtifactValue | None], ...] = (
            ("protocol", "ftp"),
            ("command", verb.upper()),
            ("name", arg.strip()),
            ("direction", direction),
            ("data_ip", data_ip),
            ("data_port", data_port),
            ("status", _status_after(replies, line.time)),
            ("expected_size", expected),
        )
        yield artifact(conv, "file_transfer", values, line.frames, line.time)
        data_ip, data_port = None, None


def _reply_endpoint(conv: Conversation, line: str) -> tuple[str, int] | None:
    raw = line.encode("latin-1")
    match = _PASV.match(raw)
    if match:
        parts = [int(g) for g in match.groups()]
        return ".".join(map(str, parts[:4])), parts[4] * 256 + parts[5]
    match = _EPSV.match(raw)
    if match:
        return conv.dst_ip, int(match.group(2))
    return None


def _port(line: str) -> tuple[str, int] | None:
    verb, _, arg = line.partition(" ")
    if verb.upper() == "PORT":
        parts = arg.strip().split(",")
        if len(parts) == 6 and all(p.isdigit() for p in parts):
            return ".".join(parts[:4]), int(parts[4]) * 256 + int(parts[5])
    if verb.upper() == "EPRT":
        fields = arg.strip().split(arg.strip()[:1] or "|")
        if len(fields) >= 4 and fields[3].isdigit():
            return fields[2], int(fields[3])
    return None


def _status_after(replies: list[_Line], time: float) -> int | None:
    """The last reply code at or after ``time`` that ends the transfer."""
    codes = [r.text[:3] for r in replies if r.time >= time and r.text[:3].isdigit()]
    final = [int(c) for c in codes if not c.startswith("1")]
    return final[0] if final else (int(codes[0]) if codes else None)


def _announced(replies: list[_Line], time: float) -> int | None:
    """The size a preliminary reply gives: ``150 ... for NAME (N bytes)``."""
    first = next((r for r in replies if r.time >= time and r.text[:1]), None)
    if first is None or not first.text.startswith(("125", "150")):
        return None
    match = _BYTES.search(first.text)
    return int(match.group(1)) if match else None


def _sizes(commands: list[_Line], replies: list[_Line]) -> list[tuple[float, str, int]]:
    """File sizes from SIZE commands (RFC 3659): ``(time, name, N)`` per
    ``213 N`` reply, in time order."""
    times = [r.time for r in replies]
    sizes = []
    for command in commands:
        verb, _, arg = command.text.partition(" ")
        at = bisect.bisect_right(times, command.time)
        if verb.upper() != "SIZE" or at == len(replies):
            continue
        reply = replies[at].text
        if reply[:4] == "213 " and reply[4:].strip().isdigit():
            sizes.append((command.time, arg.strip(), int(reply[4:].strip())))
    return sizes


def _size_before(
    sizes: list[tuple[float, str, int]], name: str, time: float
) -> int | None:
    """The last size a SIZE command got for ``name`` before ``time``."""
    found = [size for at, asked, size in sizes if asked == name and at < time]
    return found[-1] if found else None
