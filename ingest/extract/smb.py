"""SMB file access: SMB2/3 CREATE, READ, WRITE (MS-SMB2) and SMB1 NT Create
AndX, Read AndX, Write AndX (MS-CIFS), over NetBIOS session framing (port 445
or 139).

Files are grouped by name within a session. A SHA-256 is given when the bytes
read (or written) run from offset 0 without a hole to the file's end of file
(or, for writes, to the end of the furthest write request) and the session has
no gap — that is, when the whole file crossed the wire inside the capture;
``size`` is then the file's length, else the bytes seen. Encrypted SMB3 yields
nothing.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from icsgraph.ingest.extract._common import Joined, artifact, join, speaks
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

SMB2, SMB1 = b"\xfeSMB", b"\xffSMB"
_CREATE, _READ, _WRITE = 5, 8, 9
_NT_CREATE, _READ_ANDX, _WRITE_ANDX = 0xA2, 0x2E, 0x2F


@dataclass(slots=True)
class _File:
    name: str
    frames: set[int] = field(default_factory=set)
    first_seen: float = 0.0
    size: int | None = None  # end of file, from the create response
    extent: int = 0  # end of the furthest write request, by its own length
    read: dict[int, bytes] = field(default_factory=dict)  # offset -> bytes
    written: dict[int, bytes] = field(default_factory=dict)


@dataclass(slots=True)
class _Message:
    data: bytes  # from the SMB header on
    frames: tuple[int, ...]
    time: float


class _Session:
    """Files by name, and the requests still waiting for their response."""

    def __init__(self) -> None:
        self.files: dict[str, _File] = {}
        self.handles: dict[bytes, _File] = {}
        self.pending: dict[
            int, tuple[int, bytes, int]
        ] = {}  # id -> cmd, handle, offset
        self.names: dict[int, str] = {}  # message id -> name of a create

    def file(self, name: str, message: _Message) -> _File:
        entry = self.files.setdefault(name, _File(name, first_seen=message.time))
        entry.frames.update(message.frames)
        return entry


def extract_smb(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``file_transfer`` per file name opened, read or written."""
    if conv.transport != "tcp" or not speaks(conv, ("smb", "smb2", "nbss"), 445, 139):
        return
    session = _Session()
    requests = [(m.frames[:1], 0, m) for m in _messages(join(conv, "out"))]
    responses = [(m.frames[:1], 1, m) for m in _messages(join(conv, "in"))]
    for _, is_response, message in sorted(requests + responses, key=lambda x: x[:2]):
        (_response if is_response else _request)(session, message)
    for entry in session.files.values():
        yield _artifact(conv, entry)


def _messages(stream: Joined) -> Iterator[_Message]:
    """SMB messages in NetBIOS session frames; SMB2 compounds are split."""
    data, pos = stream.data, 0
    while pos + 4 <= len(data):
        length = int.from_bytes(data[pos + 1 : pos + 4], "big")
        body = data[pos + 4 : pos + 4 + length]
        frames = stream.frames_between(pos, pos + 4 + length)
        time = stream.time_at(pos)
        if data[pos] == 0 and body[:4] == SMB1:
            yield _Message(body, frames, time)
        while data[pos] == 0 and body[:4] == SMB2 and len(body) >= 64:
            (following,) = struct.unpack_from("<I", body, 20)
            yield _Message(body[: following or len(body)], frames, time)
            if not following:
                break
            body = body[following:]
        pos += 4 + length


def _request(session: _Session, message: _Message) -> None:
    data = message.data
    if data[:4] == SMB1:
        _request1(session, message)
        return
    (command,) = struct.unpack_from("<H", data, 12)
    (msg_id,) = struct.unpack_from("<Q", data, 24)
    if command == _CREATE:
        offset, length = struct.unpack_from("<HH", data, 64 + 44)
        name = data[offset : offset + length].decode("utf-16-le", "replace")
        if name:
            session.file(name, message)
            session.names[msg_id] = name
    elif command in (_READ, _WRITE):
        length, offset = struct.unpack_from("<IQ", data, 64 + 4)
        handle = data[64 + 16 : 64 + 32]
        session.pending[msg_id] = (command, handle, offset)
        entry = session.handles.get(handle)
        if entry is not None:
            entry.frames.update(message.frames)
        if command == _WRITE and entry is not None:
            (start,) = struct.unpack_from("<H", data, 64 + 2)
            _keep(entry.written, offset, data[start : start + length])
            entry.extent = max(entry.extent, offset + length)
            entry.frames.update(message.frames)


def _keep(pieces: dict[int, bytes], offset: int, data: bytes) -> None:
    """Keep the longest piece read or written at one offset."""
    if len(data) > len(pieces.get(offset, b"")):
        pieces[offset] = data


def _response(session: _Session, message: _Message) -> None:
    data = message.data
    if data[:4] == SMB1:
        _response1(session, message)
        return
    command, _, _ = struct.unpack_from("<HHI", data, 12)
    (status,) = struct.unpack_from("<I", data, 8)
    (msg_id,) = struct.unpack_from("<Q", data, 24)
    if status != 0:
        return
    if command == _CREATE and msg_id in session.names:
        entry = session.file(session.names[msg_id], message)
        entry.size = struct.unpack_from("<Q", data, 64 + 48)[0]
        session.handles[data[64 + 64 : 64 + 80]] = entry
    elif command == _READ and msg_id in session.pending:
        _, handle, offset = session.pending[msg_id]
        found = session.handles.get(handle)
        start, _, length = struct.unpack_from("<BBI", data, 64 + 2)
        if found is not None:
            _keep(found.read, offset, data[start : start + length])
            found.frames.update(message.frames)


def _request1(session: _Session, message: _Message) -> None:
    data = message.data
    command, mid, unicode = (
        data[4],
        struct.unpack_from("<H", data, 30)[0],
        data[11] & 0x80,
    )
    words = 33
    if command == _NT_CREATE and data[32] == 24:
        (length,) = struct.unpack_from("<H", data, words + 5)
        start = words + 48 + 2
        start += start % 2 if unicode else 0
        raw = data[start : start + length]
        name = raw.decode("utf-16-le" if unicode else "latin-1", "replace").rstrip(
            "\x00"
        )
        if name:
            session.file(name, message)
            session.names[mid] = name
    elif command == _WRITE_ANDX and data[32] in (12, 14):
        handle = data[words + 4 : words + 6]
        (offset,) = struct.unpack_from("<I", data, words + 6)
        high, length, start = struct.unpack_from("<HHH", data, words + 18)
        length += high << 16
        entry = session.handles.get(handle)
        if entry is not None:
            _keep(entry.written, offset, data[start : start + length])
            entry.extent = max(entry.extent, offset + length)
            entry.frames.update(message.frames)
    elif command == _READ_ANDX and data[32] in (10, 12):
        handle = data[words + 4 : words + 6]
        (offset,) = struct.unpack_from("<I", data, words + 6)
        session.pending[mid] = (command, handle, offset)


def _response1(session: _Session, message: _Message) -> None:
    data = message.data
    command, mid = data[4], struct.unpack_from("<H", data, 30)[0]
    status = struct.unpack_from("<I", data, 5)[0]
    words = 33
    if status != 0 or data[32] == 0:
        return
    if command == _NT_CREATE and mid in session.names:
        entry = session.file(session.names[mid], message)
        entry.size = struct.unpack_from("<Q", data, words + 55)[0]
        session.handles[data[words + 5 : words + 7]] = entry
    elif command == _READ_ANDX and mid in session.pending:
        _, handle, offset = session.pending[mid]
        length, start = struct.unpack_from("<HH", data, words + 10)
        found = session.handles.get(handle)
        if found is not None:
            _keep(found.read, offset, data[start : start + length])
            found.frames.update(message.frames)


def _whole(pieces: dict[int, bytes]) -> bytes:
    """The bytes from offset 0 up to the first hole."""
    body = bytearray()
    for offset in sorted(pieces):
        if offset > len(body):
            break
        body += pieces[offset][len(body) - offset :]
    return bytes(body)


def _covered(pieces: dict[int, bytes]) -> int:
    """How many distinct file bytes the pieces hold."""
    total, reach = 0, 0
    for offset in sorted(pieces):
        end = offset + len(pieces[offset])
        total += max(0, end - max(offset, reach))
        reach = max(reach, end)
    return total


def _artifact(conv: Conversation, entry: _File) -> ArtifactRecord:
    read = sum(len(v) for v in entry.read.values())
    written = sum(len(v) for v in entry.written.values())
    direction = "download" if read else ("upload" if written else "open")
    size, expected, digest = _file_bytes(conv, entry, direction)
    values: tuple[tuple[str, ArtifactValue | None], ...] = (
        ("protocol", "smb"),
        ("name", entry.name),
        ("direction", direction),
        ("size", size),
        ("expected_size", expected),
        ("bytes_read", read),
        ("bytes_written", written),
        ("sha256", digest),
        ("complete", None if direction == "open" else int(digest is not None)),
    )
    return artifact(conv, "file_transfer", values, entry.frames, entry.first_seen)


def _file_bytes(
    conv: Conversation, entry: _File, direction: str
) -> tuple[int | None, int | None, str | None]:
    """Size, expected size and SHA-256 (None unless whole) of what crossed.

    A download must cover the end of file the create response gave; an upload
    the end of its furthest write, with every write request in the capture
    (no gap, nothing past the cap). The size of a whole file is its length,
    of a partial one the bytes seen; an open is sized by its end of file.
    """
    if direction == "open":
        return entry.size, None, None
    pieces = entry.read if direction == "download" else entry.written
    expected = entry.size if direction == "download" else entry.extent
    whole = _whole(pieces)
    if direction == "upload" and conv.truncated:
        expected = None
    if conv.gaps or expected is None or len(whole) < expected or not whole:
        return _covered(pieces), expected, None
    return expected, expected, hashlib.sha256(whole[:expected]).hexdigest()
