"""Helpers shared by the extractors: joined streams, frame lookup, text tests."""

from __future__ import annotations

import bisect
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from icsgraph.ingest.records import (
    ArtifactRecord,
    ArtifactValue,
    Conversation,
    Turn,
    artifact_of,
)

Extractor = Callable[[Conversation], Iterable[ArtifactRecord]]
Values = Sequence[tuple[str, ArtifactValue | None]]
P = ParamSpec("P")
T = TypeVar("T")

# What a malformed payload can raise inside a parser; anything else is a bug.
PARSE_ERRORS = (ValueError, IndexError, KeyError, struct.error, UnicodeError)

PRINTABLE = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


@dataclass(frozen=True, slots=True)
class Joined:
    """All bytes of one direction, with the frame and time of every segment.

    Gaps are not filled: bytes on either side of a gap are simply adjacent,
    and ``gap_offsets`` says where they meet so parsers can resynchronise.
    """

    data: bytes
    starts: tuple[int, ...]  # offset of each segment in ``data``
    frames: tuple[int, ...]
    times: tuple[float, ...]
    gap_offsets: tuple[int, ...] = ()

    def frames_between(self, start: int, end: int) -> tuple[int, ...]:
        """Frame numbers that carried bytes ``data[start:end]``."""
        if not self.frames:
            return ()
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        last = max(first, bisect.bisect_right(self.starts, max(start, end - 1)) - 1)
        return tuple(sorted(set(self.frames[first : last + 1])))

    def time_at(self, offset: int) -> float:
        """Capture time of the segment holding byte ``offset``."""
        if not self.times:
            return 0.0
        return self.times[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def join(conv: Conversation, direction: str) -> Joined:
    """Concatenate the turns of one direction ("out" or "in")."""
    data = bytearray()
    starts: list[int] = []
    frames: list[int] = []
    times: list[float] = []
    gaps: list[int] = []
    for turn in conv.turns:
        if turn.direction != direction:
            continue
        if turn.gap_before:
            gaps.append(len(data))
        for frame, offset, time in turn.segments or ((turn.first_frame, 0, 0.0),):
            starts.append(len(data) + offset)
            frames.append(frame)
            times.append(time or turn.first_time)
        data += turn.data
    return Joined(bytes(data), tuple(starts), tuple(frames), tuple(times), tuple(gaps))


def turn_frames(turn: Turn, start: int = 0, end: int | None = None) -> tuple[int, ...]:
    """Frame numbers that carried ``turn.data[start:end]``."""
    stop = len(turn.data) if end is None else end
    picked = [
        frame
        for index, (frame, offset, _) in enumerate(turn.segments)
        if offset < stop
        and (index + 1 == len(turn.segments) or turn.segments[index + 1][1] > start)
    ]
    return tuple(sorted(set(picked))) or (turn.first_frame,)


artifact = artifact_of  # the extractors' short name for it


def is_text(data: bytes, minimum: int = 4) -> bool:
    """True when ``data`` is long enough and (nearly) all printable ASCII."""
    if len(data) < minimum:
        return False
    printable = sum(1 for b in data if b in PRINTABLE)
    return printable >= 0.95 * len(data)


def text(data: bytes, limit: int = 512) -> str:
    """Decode untrusted bytes as Latin-1 text, trimmed and cut to ``limit``."""
    return data[:limit].decode("latin-1").strip()


def uses_port(conv: Conversation, *ports: int) -> bool:
    """True when the server side of ``conv`` listens on one of ``ports``."""
    return conv.dst_port in ports or conv.src_port in ports


def speaks(conv: Conversation, names: Iterable[str], *ports: int) -> bool:
    """True when the session's protocol is one of ``names`` or a port matches."""
    return conv.protocol in set(names) or uses_port(conv, *ports)


def about_sender(direction: str) -> str:
    """Which end an artifact describes when it is about whoever sent it."""
    return "client" if direction == "out" else "server"


def parse_datagram(
    default: T, parse: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``parse(*args, **kwargs)``, or ``default`` when the datagram is malformed.

    A UDP session can span the whole capture (every DHCP broadcast of a LAN
    is one), so a datagram that does not parse costs only itself, not the
    artifacts of the datagrams after it.
    """
    try:
        return parse(*args, **kwargs)
    except PARSE_ERRORS:
        return default
