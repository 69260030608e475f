"""TCP reassembly and UDP turn building: the payload of one session in order.

A session's frames go in as they come, each with its direction; out comes a
`Conversation` whose turns read like Wireshark's Follow Stream. TCP data is
placed by sequence number (RFC 9293): retransmitted and overlapping bytes
already delivered are dropped (the first copy wins, as in Wireshark's default),
segments ahead of the expected sequence wait in a bounded buffer, and a range
that never arrives becomes a gap on the next turn instead of invented bytes.
Only ``cap`` bytes per direction are kept; size and SHA-256 go on to the end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from icsgraph.ingest.records import (
    TCP_ACK,
    TCP_FIN,
    TCP_SYN,
    Conversation,
    Frame,
    Turn,
)

DEFAULT_CAP = 1 << 20  # bytes kept per direction
SEGMENT_COST = 150  # bytes of bookkeeping per kept segment, measured
TURN_COST = 150  # and per turn on top, measured
_MOD = 1 << 32
_HALF = 1 << 31
_OUT, _IN = "out", "in"


@dataclass(slots=True)
class _Pending:
    start: int  # relative sequence number of the first byte
    data: bytes
    frame: int
    time: float
    order: int  # arrival order, so the first copy wins at equal starts


@dataclass(slots=True)
class _Stream:
    """One direction of a TCP session."""

    base: int | None = None  # absolute sequence number of relative byte 0
    next: int = 0  # relative sequence number of the next byte to deliver
    fin: int | None = None  # relative sequence number of the FIN
    acked: int = 0  # highest relative sequence number the peer acknowledged
    pending: list[_Pending] = field(default_factory=list)
    pending_bytes: int = 0
    total: int = 0
    kept: int = 0
    hasher: hashlib._Hash = field(default_factory=hashlib.sha256)

    def relative(self, seq: int) -> int:
        """Sequence number relative to the stream start, wrap-safe."""
        assert self.base is not None
        return (seq - self.base) % _MOD


@dataclass(slots=True)
class _OpenTurn:
    direction: str
    data: bytearray
    first_frame: int
    last_frame: int
    first_time: float
    gap_before: bool
    missing: int
    segments: list[tuple[int, int, float]]

    def close(self) -> Turn:
        return Turn(
            direction=self.direction,
            data=bytes(self.data),
            first_frame=self.first_frame,
            last_frame=self.last_frame,
            first_time=self.first_time,
            gap_before=self.gap_before,
            segments=tuple(self.segments),
            missing=self.missing,
        )


class ConversationBuilder:
    """Build the `Conversation` of one session from its frames.

    Feed every frame of the session in capture order with `feed`, then call
    `finish` once. Memory is bounded by ``cap`` per direction plus at most
    ``cap`` bytes of out-of-order segments per direction: each kept segment
    counts against the cap as its bytes plus ``SEGMENT_COST`` and each turn
    as ``TURN_COST`` more, what their bookkeeping (frame, offset, time, the
    turn record) measures, so a session of 12-byte polls stops keeping at
    about the same memory as one bulk transfer.
    """

    def __init__(
        self,
        transport: str,
        index: int,
        client: tuple[str, int],
        server: tuple[str, int],
        protocol: str = "",
        cap: int = DEFAULT_CAP,
    ) -> None:
        self.transport = transport
        self.index = index
        self.client = client
        self.server = server
        self.protocol = protocol
        self.cap = cap
        self._streams = {_OUT: _Stream(), _IN: _Stream()}
        self._turns: list[Turn] = []
        self._open: _OpenTurn | None = None
        self._gaps = 0
        self._truncated = False
        self._order = 0

    def feed(self, frame: Frame, direction: str) -> None:
        """Add one frame; ``direction`` is "out" (client → server) or "in"."""
        if direction not in (_OUT, _IN):
            raise ValueError(f"direction must be 'out' or 'in', not {direction!r}")
        if self.transport == "udp":
            if frame.payload:
                self._deliver(direction, frame.payload, frame.number, frame.time)
                self._close_turn()
            return
        self._feed_tcp(frame, direction)

    def finish(self) -> Conversation:
        """Flush what is buffered, marking what never arrived as gaps."""
        for direction in (_OUT, _IN):
            self._flush_pending(direction, force=True)
            stream = self._streams[direction]
            if 0 < (stream.acked - stream.next) % _MOD < _HALF:
                self._gaps += 1  # acknowledged at the end, never captured
        self._close_turn()
        out, inn = self._streams[_OUT], self._streams[_IN]
        return Conversation(
            transport=self.transport,
            index=self.index,
            protocol=self.protocol,
            src_ip=self.client[0],
            src_port=self.client[1],
            dst_ip=self.server[0],
            dst_port=self.server[1],
            turns=tuple(self._turns),
            gaps=self._gaps,
            truncated=self._truncated,
            bytes_out=out.total,
            bytes_in=inn.total,
            sha256_out=out.hasher.hexdigest(),
            sha256_in=inn.hasher.hexdigest(),
            closed_out=out.fin is not None and out.next == out.fin,
            closed_in=inn.fin is not None and inn.next == inn.fin,
        )

    def _feed_tcp(self, frame: Frame, direction: str) -> None:
        if frame.tcp_flags & TCP_ACK:  # what the peer saw came before this
            self._check_acked(_IN if direction == _OUT else _OUT, frame.tcp_ack)
        stream = self._streams[direction]
        if frame.tcp_flags & TCP_SYN:
            if stream.base is None:
                stream.base = (frame.tcp_seq + 1) % _MOD
            seq = (frame.tcp_seq + 1) % _MOD
        else:
            seq = frame.tcp_seq
        if stream.base is None and (frame.payload or frame.tcp_flags & TCP_FIN):
            stream.base = seq
        if stream.base is not None:
            start = stream.relative(seq)
            if frame.payload:
                self._add_segment(direction, start, frame)
            if frame.tcp_flags & TCP_FIN and stream.fin is None:
                stream.fin = (start + len(frame.payload)) % _MOD

    def _add_segment(self, direction: str, start: int, frame: Frame) -> None:
        stream = self._streams[direction]
        ahead = (start - stream.next) % _MOD
        data = frame.payload
        if ahead >= _HALF:  # starts before the next byte: overlap or retransmit
            behind = _MOD - ahead
            if behind >= len(data):
                return
            data, start = data[behind:], stream.next
            ahead = 0
        if ahead == 0:
            self._deliver(direction, data, frame.number, frame.time)
            stream.next = (stream.next + len(data)) % _MOD
            self._flush_pending(direction, force=False)
            return
        self._order += 1
        stream.pending.append(
            _Pending(start, data, frame.number, frame.time, self._order)
        )
        stream.pending_bytes += len(data)
        if stream.pending_bytes > self.cap:
            self._flush_pending(direction, force=True)

    def _check_acked(self, direction: str, ack: int) -> None:
        """The peer acknowledged bytes never seen: they are missing, not late."""
        stream = self._streams[direction]
        if stream.base is None:
            return
        acked = stream.relative(ack)
        if stream.fin is not None and acked == (stream.fin + 1) % _MOD:
            acked = stream.fin
        if 0 < (acked - stream.next) % _MOD < _HALF:
            stream.acked = acked
            if stream.pending:
                self._flush_pending(direction, force=True, upto=acked)

    def _flush_pending(
        self, direction: str, force: bool, upto: int | None = None
    ) -> None:
        """Deliver buffered segments that are now in order.

        With ``force``, skip over missing ranges (recording gaps) up to
        ``upto``, or through the whole buffer when ``upto`` is None.
        """
        stream = self._streams[direction]
        stream.pending.sort(key=lambda p: ((p.start - stream.next) % _MOD, p.order))
        while stream.pending:
            item = stream.pending[0]
            ahead = (item.start - stream.next) % _MOD
            data = item.data
            gap = 0
            if ahead >= _HALF:
                data = data[_MOD - ahead :]
            elif ahead > 0:
                if not force or (
                    upto is not None and (upto - stream.next) % _MOD < ahead
                ):
                    break
                gap = ahead
                stream.next = item.start
            stream.pending.pop(0)
            stream.pending_bytes -= len(item.data)
            if data:
                self._deliver(direction, data, item.frame, item.time, gap)
                stream.next = (stream.next + len(data)) % _MOD

    def _deliver(
        self, direction: str, data: bytes, number: int, time: float, gap: int = 0
    ) -> None:
        """Append in-order bytes to the current turn, or start a new one."""
        stream = self._streams[direction]
        stream.total += len(data)
        stream.hasher.update(data)
        if gap:
            self._gaps += 1
        keep = data[: max(0, self.cap - stream.kept)]
        if len(keep) < len(data):
            self._truncated = True
        if not keep and not gap:
            return
        stream.kept += len(keep) + SEGMENT_COST
        turn = self._open
        if turn is None or turn.direction != direction or gap:
            stream.kept += TURN_COST
            self._close_turn()
            turn = self._open = _OpenTurn(
                direction,
                bytearray(),
                number,
                number,
                time,
                gap_before=bool(gap),
                missing=gap,
                segments=[],
            )
        turn.segments.append((number, len(turn.data), time))
        turn.data += keep
        turn.last_frame = number

    def _close_turn(self) -> None:
        if self._open is not None:
            self._turns.append(self._open.close())
            self._open = None
