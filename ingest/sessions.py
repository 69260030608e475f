"""Group TCP and UDP frames into sessions, numbered as Wireshark numbers them.

TCP follows the tcp.stream rules of Wireshark 4.0 (packet-tcp.c): frames
with the same addresses and ports share a stream, except that a SYN without
ACK whose sequence number differs from the first one seen in its direction
starts a new stream (a reused 4-tuple). The first sequence number of a
direction is the SYN's, or ``seq - 1`` for a first segment without SYN, or
``ack - 1`` of the first ACK from the other side. A UDP session is one
address/port pair for the whole capture, as tshark's ``conv,udp`` counts it.

Orientation: the sender of a SYN is the client (the receiver of a SYN/ACK
when the SYN was missed). Without either, the server is, in this order: an
address and port already seen as a TCP server in this capture; the endpoint
on a known service port (below 1024 or in the protocol table; between two
known ports the lower one); the endpoint that is not on an ephemeral port
(49152 and up); else the first sender is the client.

Memory stays flat however long the capture: a session is evicted when it has
been closed (FIN both ways, or RST) for ``closed_grace`` seconds of capture
time, or idle for ``idle_timeout`` seconds. Evicted sessions leave a tombstone
(index, first sequence numbers, orientation, state bits, protocol: a few dozen
bytes) so a later frame on the same 4-tuple keeps the stream's index and
orientation. Such a session is emitted again with ``segment`` 1, 2, ...
carrying only the counters since its previous emission; the writer adds the
segments of one index together. State, flags and protocol are cumulative.
Tombstones are kept for the last ``max_tombstones`` ended sessions (about
half a kilobyte each); a 4-tuple that returns after its tombstone went starts
a new stream, where Wireshark would continue the old one. ``forgotten``
counts the tombstones dropped.
"""

from __future__ import annotations

from collections import OrderedDict

from icsgraph.ingest.protocols import classify, is_service_port
from icsgraph.ingest.records import (
    TCP_ACK,
    TCP_FIN,
    TCP_RST,
    TCP_SYN,
    Assignment,
    Evidence,
    Frame,
    SessionRecord,
)

PAYLOAD_CAP = 512  # first bytes kept per direction until classified
SWEEP_EVERY = 1.0  # seconds of capture time between eviction sweeps
FLAG_NAMES = ("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR")
SEQ_MOD = 1 << 32
EPHEMERAL = 49152
MAX_KNOWN_SERVERS = 100_000
MAX_TOMBSTONES = 250_000  # ended sessions remembered, about 130 MB at most

# State bits, kept across segments.
SAW_SYN, SAW_SYNACK, SERVER_SENT, DATA = 1, 2, 4, 8
RST_FROM_SERVER, RST, FIN_OUT, FIN_IN = 16, 32, 64, 128

Key = tuple[str, str, int, str, int]  # transport, lower endpoint, upper one


class _Tomb:
    """What is left of an evicted session."""

    __slots__ = ("base", "client_is_a", "flags", "index", "protocol", "segment")

    def __init__(self, session: _Session) -> None:
        self.index = session.index
        self.segment = session.segment + 1
        self.client_is_a = session.client_is_a
        self.base = session.base
        self.flags = (session.tcp_flags, session.bits)
        self.protocol = session.protocol


class _Session:
    """A live session's counters, first bytes and TCP state."""

    __slots__ = (
        "assign_in", "assign_out", "base", "bits", "bytes_in", "bytes_out",
        "client_is_a", "closed_at", "first_frame", "first_time", "index",
        "last_frame", "last_time", "packets_in", "packets_out", "payload_in",
        "payload_out", "protocol", "segment", "tcp_flags", "transport",
    )  # fmt: skip

    def __init__(
        self, transport: str, index: int, client_is_a: bool, frame: Frame
    ) -> None:
        self.transport, self.index, self.segment = transport, index, 0
        self.client_is_a = client_is_a
        self.assign_out = Assignment(transport, index, "out")
        self.assign_in = Assignment(transport, index, "in")
        self.base: list[int | None] = [None, None]  # per direction a→b, b→a
        self.bits = self.tcp_flags = 0
        self.packets_out = self.packets_in = self.bytes_out = self.bytes_in = 0
        self.payload_out, self.payload_in = bytearray(), bytearray()
        self.protocol: tuple[str, str] | None = None
        self.first_frame = self.last_frame = frame.number
        self.first_time = self.last_time = frame.time
        self.closed_at: float | None = None

    @classmethod
    def revive(cls, transport: str, tomb: _Tomb, frame: Frame) -> _Session:
        session = cls(transport, tomb.index, tomb.client_is_a, frame)
        session.segment, session.base = tomb.segment, tomb.base
        session.tcp_flags, session.bits = tomb.flags
        session.protocol = tomb.protocol
        return session

    def count(self, frame: Frame, forward: bool) -> Assignment:
        """Add one frame sent a→b (``forward``) or b→a."""
        out = forward == self.client_is_a
        payload = frame.payload
        if out:
            self.packets_out += 1
            self.bytes_out += frame.wire_len
            if payload and len(self.payload_out) < PAYLOAD_CAP:
                self.payload_out += payload[: PAYLOAD_CAP - len(self.payload_out)]
        else:
            self.packets_in += 1
            self.bytes_in += frame.wire_len
            self.bits |= SERVER_SENT
            if payload and len(self.payload_in) < PAYLOAD_CAP:
                self.payload_in += payload[: PAYLOAD_CAP - len(self.payload_in)]
        if payload:
            self.bits |= DATA
        self.last_frame, self.last_time = frame.number, frame.time
        if self.transport == "tcp":
            self._tcp(frame, forward, out)
        return self.assign_out if out else self.assign_in

    def _tcp(self, frame: Frame, forward: bool, out: bool) -> None:
        flags = frame.tcp_flags
        self.tcp_flags |= flags
        fwd, rev = (0, 1) if forward else (1, 0)
        if self.base[fwd] is None:
            seq = frame.tcp_seq if flags & TCP_SYN else frame.tcp_seq - 1
            self.base[fwd] = seq % SEQ_MOD
        if self.base[rev] is None and flags & TCP_ACK:
            self.base[rev] = (frame.tcp_ack - 1) % SEQ_MOD
        if flags & TCP_SYN:
            self.bits |= SAW_SYNACK if flags & TCP_ACK else SAW_SYN
        if flags & TCP_RST:
            self.bits |= RST if out else RST | RST_FROM_SERVER
        if flags & TCP_FIN:
            self.bits |= FIN_OUT if out else FIN_IN
        if flags & (TCP_FIN | TCP_RST) and self.closed_at is None and self.is_closed():
            self.closed_at = frame.time

    def is_closed(self) -> bool:
        bits = self.bits
        return bool(bits & RST) or bits & (FIN_OUT | FIN_IN) == FIN_OUT | FIN_IN

    def state(self) -> str:
        """answered, rejected, unanswered, established or closed."""
        bits = self.bits
        if self.transport == "udp":
            return "answered" if bits & SERVER_SENT else "unanswered"
        if bits & RST_FROM_SERVER and not bits & (SAW_SYNACK | DATA):
            return "rejected" if bits & SAW_SYN else "unanswered"
        if not bits & SERVER_SENT:
            return "unanswered"
        if bits & DATA:
            return "closed" if self.is_closed() else "established"
        return "answered"


class SessionTracker:
    """Assign frames to sessions and emit sessions as they are evicted."""

    def __init__(
        self,
        capture_sha256: str,
        idle_timeout: float = 600.0,
        closed_grace: float = 30.0,
        max_tombstones: int = MAX_TOMBSTONES,
    ) -> None:
        self.capture = capture_sha256
        self.idle_timeout = idle_timeout
        self.closed_grace = min(closed_grace, idle_timeout)
        self._active: OrderedDict[Key, _Session] = OrderedDict()
        self._closing: OrderedDict[Key, _Session] = OrderedDict()
        self._tombs: dict[Key, _Tomb] = {}  # insertion order: oldest first
        self._max_tombs = max_tombstones
        self.forgotten = 0
        self._next_index = {"tcp": 0, "udp": 0}
        self._servers: set[tuple[str, int]] = set()
        self._evicted: list[SessionRecord] = []
        self._now = float("-inf")
        self._last_sweep = float("-inf")

    @property
    def active(self) -> int:
        """Sessions held in memory now (for measurements and tests)."""
        return len(self._active)

    def track(self, frame: Frame) -> Assignment | None:
        """Assign one frame to its session; None if it is not TCP or UDP."""
        if frame.time > self._now:
            self._now = frame.time
            if self._now - self._last_sweep >= SWEEP_EVERY:
                self._sweep()
        if frame.src_port is None or frame.dst_port is None:
            return None
        transport = "tcp" if frame.ip_proto == 6 else "udp"
        src = (frame.src_ip or "", frame.src_port)
        dst = (frame.dst_ip or "", frame.dst_port)
        forward = src <= dst
        key = (transport, *src, *dst) if forward else (transport, *dst, *src)
        session = self._find(key, frame, forward)
        assignment = session.count(frame, forward)
        if session.closed_at is not None and key not in self._closing:
            self._closing[key] = session
        return assignment

    def drain(self) -> list[SessionRecord]:
        """Sessions evicted since the last call."""
        evicted, self._evicted = self._evicted, []
        return evicted

    def finish(self) -> list[SessionRecord]:
        """Emit every session still in memory, then everything evicted."""
        for key, session in sorted(
            self._active.items(), key=lambda item: (item[0][0], item[1].index)
        ):
            self._emit(key, session, remember=False)
        return self.drain()

    def _find(self, key: Key, frame: Frame, forward: bool) -> _Session:
        session = self._active.get(key)
        if session is not None:
            if key[0] == "tcp" and _reuses_port(session.base, frame, forward):
                self._emit(key, session)
                return self._open(key, frame, forward)
            self._active.move_to_end(key)
            return session
        tomb = self._tombs.pop(key, None)
        if tomb is None or (
            key[0] == "tcp" and _reuses_port(tomb.base, frame, forward)
        ):
            return self._open(key, frame, forward)
        session = _Session.revive(key[0], tomb, frame)
        self._active[key] = session
        return session

    def _open(self, key: Key, frame: Frame, forward: bool) -> _Session:
        transport = key[0]
        index = self._next_index[transport]
        self._next_index[transport] = index + 1
        sender_is_client = self._sender_is_client(frame, transport)
        session = _Session(transport, index, forward == sender_is_client, frame)
        self._active[key] = session
        return session

    def _sender_is_client(self, frame: Frame, transport: str) -> bool:
        """Whether the sender of a session's first frame is its client."""
        src = (frame.src_ip or "", frame.src_port or 0)
        dst = (frame.dst_ip or "", frame.dst_port or 0)
        if transport == "tcp" and frame.tcp_flags & TCP_SYN:
            client = not frame.tcp_flags & TCP_ACK
            if len(self._servers) < MAX_KNOWN_SERVERS:
                self._servers.add(dst if client else src)
            return client
        if transport == "tcp" and (src in self._servers) != (dst in self._servers):
            return dst in self._servers
        return _by_ports(transport, src[1], dst[1])

    def _sweep(self) -> None:
        self._last_sweep = self._now
        idle_before = self._now - self.idle_timeout
        while self._active:
            key, session = next(iter(self._active.items()))
            if session.last_time >= idle_before:
                break
            self._emit(key, session)
        closed_before = self._now - self.closed_grace
        while self._closing:
            key, session = next(iter(self._closing.items()))
            if session.closed_at is None or session.closed_at >= closed_before:
                break
            del self._closing[key]
            if self._active.get(key) is session:
                self._emit(key, session)

    def _emit(self, key: Key, session: _Session, remember: bool = True) -> None:
        """Hand a session over; ``remember`` leaves its tombstone behind."""
        del self._active[key]
        self._closing.pop(key, None)
        self._evicted.append(self._record(key, session))
        if not remember:
            return
        self._tombs[key] = _Tomb(session)
        if len(self._tombs) > self._max_tombs:
            del self._tombs[next(iter(self._tombs))]
            self.forgotten += 1

    def _record(self, key: Key, s: _Session) -> SessionRecord:
        a, b = (key[1], key[2]), (key[3], key[4])
        client, server = (a, b) if s.client_is_a else (b, a)
        if s.protocol is None or s.protocol[1] != "payload":
            found = classify(
                s.transport, client[1], server[1], bytes(s.payload_out),
                bytes(s.payload_in),
            )  # fmt: skip
            if s.protocol is None or found[1] == "payload":
                s.protocol = found
        return SessionRecord(
            transport=s.transport, index=s.index,
            src_ip=client[0], src_port=client[1],
            dst_ip=server[0], dst_port=server[1],
            protocol=s.protocol[0], protocol_source=s.protocol[1],
            packets_out=s.packets_out, packets_in=s.packets_in,
            bytes_out=s.bytes_out, bytes_in=s.bytes_in,
            tcp_flags=_flag_names(s.tcp_flags), state=s.state(),
            evidence=Evidence(
                self.capture, s.first_frame, s.last_frame, s.first_time, s.last_time
            ),
            segment=s.segment,
        )  # fmt: skip


def _reuses_port(base: list[int | None], frame: Frame, forward: bool) -> bool:
    """A SYN with a new ISN on a known 4-tuple starts a new TCP stream."""
    if frame.tcp_flags & (TCP_SYN | TCP_ACK) != TCP_SYN:
        return False
    first = base[0 if forward else 1]
    return first is not None and frame.tcp_seq != first


def _by_ports(transport: str, sport: int, dport: int) -> bool:
    """Guess from the ports alone whether the sender is the client."""
    s_known = is_service_port(transport, sport)
    d_known = is_service_port(transport, dport)
    if s_known != d_known:
        return d_known
    if s_known and sport != dport:
        return dport < sport
    if (sport >= EPHEMERAL) != (dport >= EPHEMERAL):
        return sport >= EPHEMERAL
    return True


def _flag_names(flags: int) -> tuple[str, ...]:
    return tuple(
        sorted(name for bit, name in enumerate(FLAG_NAMES) if flags >> bit & 1)
    )
