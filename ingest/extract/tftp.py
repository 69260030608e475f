"""TFTP (RFC 1350): read and write requests, and the blocks of a transfer.

The request goes to port 69; the server answers from a new port, so the data
usually makes a second UDP session. `extract_tftp` names the file from the
request (with the requester's address and port, to find the data later) and
`tftp_data` reassembles DATA blocks by number wherever they travel;
`icsgraph.ingest.extract.transfers.tie_data_sessions` joins the two.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from icsgraph.ingest.extract._common import artifact, turn_frames
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

RRQ, WRQ, DATA, ACK, ERROR = 1, 2, 3, 4, 5
_MODES = {"netascii", "octet", "mail"}


@dataclass(frozen=True, slots=True)
class TftpData:
    """The file carried by the DATA blocks of one session."""

    sender: str  # "out" or "in": who sent the DATA blocks
    size: int
    sha256: str | None  # None unless complete
    complete: bool
    frames: tuple[int, ...]
    first_seen: float
    expected: int | None = None  # the tsize an OACK announced


def extract_tftp(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``file_transfer`` per RRQ/WRQ; its data are tied on later."""
    if conv.transport != "udp":
        return
    for turn in conv.turns:
        request = _request(turn.data)
        if request is None:
            continue
        opcode, name, mode = request
        values: list[tuple[str, ArtifactValue | None]] = [
            ("protocol", "tftp"),
            ("command", "RRQ" if opcode == RRQ else "WRQ"),
            ("name", name),
            ("mode", mode),
            ("direction", "download" if opcode == RRQ else "upload"),
            ("client_ip", conv.src_ip if turn.direction == "out" else conv.dst_ip),
            (
                "client_port",
                conv.src_port if turn.direction == "out" else conv.dst_port,
            ),
        ]
        data = tftp_data(conv)
        if data is not None:  # the server answered from port 69 itself
            values += _data_values(data)
        frames = turn_frames(turn)
        about = "server" if turn.direction == "out" else "client"
        yield artifact(conv, "file_transfer", values, frames, turn.first_time, about)


def _request(payload: bytes) -> tuple[int, str, str] | None:
    if len(payload) < 4 or payload[0] != 0 or payload[1] not in (RRQ, WRQ):
        return None
    parts = payload[2:].split(b"\x00")
    if len(parts) < 3 or not parts[0]:
        return None
    mode = parts[1].decode("latin-1").lower()
    if mode not in _MODES:
        return None
    return payload[1], parts[0].decode("latin-1"), mode


def tftp_data(conv: Conversation) -> TftpData | None:
    """Reassemble the DATA blocks of a session; first copy of a block wins.

    The transfer ends with the first block shorter than the block size (512
    bytes, or the ``blksize`` an OACK agreed, RFC 2348); it is complete when
    every block up to that one is there and, if an OACK gave ``tsize`` (RFC
    2349), the bytes add up to it.
    """
    options = _oack(conv)
    block_size = _option(options, "blksize") or 512
    blocks: dict[int, bytes] = {}
    frames: list[int] = []
    sender, first_seen, last = None, 0.0, None
    for turn in conv.turns:
        data = turn.data
        if len(data) < 4 or data[:2] != b"\x00\x03":
            continue
        (number,) = struct.unpack("!H", data[2:4])
        if number in blocks:
            continue
        sender = sender or turn.direction
        first_seen = first_seen or turn.first_time
        blocks[number] = data[4:]
        frames.append(turn.first_frame)
        if len(data) - 4 < block_size:
            last = number
    if sender is None:
        return None
    body = b"".join(blocks[n] for n in sorted(blocks))
    expected = _option(options, "tsize")
    complete = (
        last is not None
        and sorted(blocks) == list(range(1, last + 1))
        and expected in (None, len(body))
    )
    digest = hashlib.sha256(body).hexdigest() if complete else None
    return TftpData(
        sender, len(body), digest, complete, tuple(frames), first_seen, expected
    )


def _oack(conv: Conversation) -> dict[str, str]:
    """The options of the first OACK (RFC 2347) in the session, lower-cased."""
    for turn in conv.turns:
        if turn.data[:2] == b"\x00\x06":
            parts = turn.data[2:].decode("latin-1").split("\x00")
            names, values = parts[0::2], parts[1::2]
            return {n.lower(): v for n, v in zip(names, values, strict=False)}
    return {}


def _option(options: dict[str, str], name: str) -> int | None:
    value = options.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _data_values(data: TftpData) -> list[tuple[str, ArtifactValue | None]]:
    return [
        ("size", data.size),
        ("sha256", data.sha256),
        ("complete", int(data.complete)),
        ("expected_size", data.expected),
    ]
