"""Cut the reassembled bytes of a session into protocol data units.

TCP protocols here all frame their messages with a length in a fixed header
(MBAP, TPKT, DNP3 link, IEC-104 APCI, EtherNet/IP encapsulation), so one
direction's bytes are read as a chain of length-prefixed units. A unit that
does not parse sends the reader to the next captured segment (resync) rather
than aborting; a gap in the capture starts a new chain. UDP datagrams are
units of their own (one `Turn` each).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from icsgraph.ingest.records import Conversation, Turn

# Given (data, offset), the total length of the unit starting there, or None
# when the bytes there are not the start of a unit.
Framer = Callable[[bytes, int], int | None]


@dataclass(frozen=True, slots=True)
class Pdu:
    """One protocol data unit with the frame that completed it."""

    direction: str
    data: bytes
    frame: int
    time: float


@dataclass(slots=True)
class _Chunk:
    direction: str
    data: bytearray
    starts: list[int]
    frames: list[int]
    times: list[float]

    def add(self, turn: Turn) -> None:
        base = len(self.data)
        for seg in turn.segments or ((turn.first_frame, 0, turn.first_time),):
            self.starts.append(base + seg[1])
            self.frames.append(seg[0])
            self.times.append(seg[-1] if len(seg) > 2 else turn.first_time)
        self.data += turn.data

    def at(self, offset: int) -> tuple[int, float]:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.frames[index], self.times[index]

    def next_start(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset)
        return self.starts[index] if index < len(self.starts) else len(self.data)


def _chunks(conv: Conversation) -> Iterator[_Chunk]:
    """Contiguous byte runs per direction, in the order they end."""
    open_: dict[str, _Chunk] = {}
    for turn in conv.turns:
        chunk = open_.get(turn.direction)
        if chunk is not None and (turn.gap_before or conv.transport != "tcp"):
            yield open_.pop(turn.direction)
            chunk = None
        if chunk is None:
            chunk = open_[turn.direction] = _Chunk(
                turn.direction, bytearray(), [], [], []
            )
        chunk.add(turn)
    yield from open_.values()


def _cut(chunk: _Chunk, framer: Framer) -> Iterator[tuple[int, Pdu]]:
    data = bytes(chunk.data)
    pos = 0
    while pos < len(data):
        size = framer(data, pos)
        if size is None or size <= 0:
            pos = chunk.next_start(pos)  # resync on the next segment
            continue
        if pos + size > len(data):
            return  # the rest of the unit was never captured
        frame, time = chunk.at(pos + size - 1)
        yield pos, Pdu(chunk.direction, data[pos : pos + size], frame, time)
        pos += size


def split_pdus(conv: Conversation, framer: Framer) -> list[Pdu]:
    """Every unit of both directions, in frame order (stable within a frame)."""
    found: list[tuple[int, int, Pdu]] = []
    for order, chunk in enumerate(_chunks(conv)):
        for pos, pdu in _cut(chunk, framer):
            found.append((pdu.frame, order * (1 << 32) + pos, pdu))
    found.sort(key=lambda item: (item[0], item[1]))
    return [pdu for _, _, pdu in found]


def datagrams(conv: Conversation) -> list[Pdu]:
    """Each UDP datagram (or each TCP turn) as one unit."""
    return [
        Pdu(t.direction, t.data, t.last_frame, t.first_time)
        for t in conv.turns
        if t.data
    ]
