"""Plain records passed between the stages of an ingest.

Every stage hands the next one frozen dataclasses, never scapy packets or
database sessions, so stages can be tested on their own and the writer never
needs to know how a packet was parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TCP_FIN = 0x01
TCP_SYN = 0x02
TCP_RST = 0x04
TCP_PSH = 0x08
TCP_ACK = 0x10
TCP_URG = 0x20


@dataclass(frozen=True, slots=True)
class RawPacket:
    """One record as read from the capture file, before any decoding."""

    number: int  # 1-based frame number, as Wireshark numbers frames
    time: float  # seconds since the epoch
    link_type: int  # DLT / LINKTYPE value of the interface it came from
    data: bytes  # captured bytes (may be shorter than wire_len)
    wire_len: int  # original length on the wire


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where in which capture something was seen: the pointer back to proof."""

    capture: str  # sha256 of the capture file
    first_frame: int
    last_frame: int
    first_seen: float
    last_seen: float


@dataclass(frozen=True, slots=True)
class L2Info:
    """What a layer-2 protocol says about a device (ARP, LLDP, PN-DCP, GOOSE)."""

    protocol: str  # "arp", "lldp", "pn_dcp", "goose", ...
    mac: str  # the device the information is about
    ip: str | None = None  # the address it claims (ARP sender, DCP IP block)
    name: str | None = None  # station / system name where the protocol has one
    target: str | None = None  # ARP target protocol address (who-has / is-at)
    op: int | None = None  # ARP operation: 1 request, 2 reply


@dataclass(frozen=True, slots=True)
class Frame:
    """The headers of one packet, decoded by the fast path.

    Addresses are strings in their canonical text form (MACs lower-case with
    colons, IPv6 compressed). Fields of layers the packet does not have are
    None; ``payload`` is the transport payload (TCP/UDP data) as captured.
    """

    number: int
    time: float
    wire_len: int
    link_type: int
    src_mac: str | None = None
    dst_mac: str | None = None
    vlans: tuple[int, ...] = ()
    ip_version: int = 0
    src_ip: str | None = None
    dst_ip: str | None = None
    ip_proto: int | None = None
    src_port: int | None = None
    dst_port: int | None = None
    tcp_flags: int = 0
    tcp_seq: int = 0
    tcp_ack: int = 0
    payload: bytes = b""
    l2: L2Info | None = None
    problem: str | None = None  # why decoding stopped early, if it did
    outer_ips: tuple[str, ...] = ()  # addresses of outer IP layers (tunnels)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A TCP stream or a UDP conversation, oriented client → server.

    ``index`` numbers sessions of one transport within one capture in order of
    first appearance, as Wireshark numbers tcp.stream / udp.stream; together
    with the capture and the transport it makes the session's key.
    ``segment`` is 0 unless the session was flushed from memory and came back
    later; the writer adds a later segment's counters to the earlier ones.
    """

    transport: str  # "tcp" or "udp"
    index: int
    src_ip: str
    src_port: int
    dst_ip: str
    dst_port: int
    protocol: str  # application protocol name, lower case ("modbus", "http")
    protocol_source: str  # "payload", "port" or "unknown"
    packets_out: int  # client → server
    packets_in: int  # server → client
    bytes_out: int  # wire bytes, client → server
    bytes_in: int
    tcp_flags: tuple[str, ...]  # names of flags seen, sorted: "ACK", "FIN"...
    state: str  # answered, rejected, unanswered, established, closed
    evidence: Evidence
    segment: int = 0


@dataclass(frozen=True, slots=True)
class HostRecord:
    """One IP address as seen in one capture."""

    ip: str
    packets: int
    bytes: int
    evidence: Evidence
    macs: tuple[str, ...] = ()  # MACs that sent packets from this address


@dataclass(frozen=True, slots=True)
class MacRecord:
    """One MAC address as seen in one capture, with what layer 2 said of it."""

    address: str
    evidence: Evidence
    ips: tuple[str, ...] = ()  # addresses it used or claimed (IP src, ARP)
    protocols: tuple[str, ...] = ()  # layer-2 protocols it spoke
    names: tuple[str, ...] = ()  # LLDP system / DCP station names
    arp: ArpSummary | None = None  # the ARP requests it sent, when it sent any


@dataclass(frozen=True, slots=True)
class ArpSummary:
    """The new targets of one MAC's ARP requests, per network and second.

    Entry ``i`` of the parallel tuples says that in the whole second
    ``seconds[i]`` (since the epoch) the MAC first asked for ``counts[i]``
    addresses of the /16 ``networks[i]``, in frames ``first_frames[i]`` to
    ``last_frames[i]``. ``targets`` is the number of distinct addresses asked
    for; past the tracker's cap no more are told apart, and ``over_cap`` counts
    the requests for addresses not kept. ``senders`` are the sender
    addresses the requests claimed.
    """

    targets: int
    over_cap: int
    senders: tuple[str, ...]
    networks: tuple[str, ...]
    seconds: tuple[int, ...]
    counts: tuple[int, ...]
    first_frames: tuple[int, ...]
    last_frames: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CaptureSummary:
    """The capture file and what reading it cost."""

    sha256: str
    file_name: str
    packets: int
    bytes: int
    first_seen: float | None
    last_seen: float | None
    link_types: tuple[str, ...]
    truncated: bool = False
    skipped: dict[str, tuple[int, int]] = field(default_factory=dict)
    # reason -> (packets, bytes) that were counted and not decoded


@dataclass(frozen=True, slots=True)
class Turn:
    """Consecutive in-order bytes sent in one direction of a session.

    ``segments`` maps the bytes back to frames: one ``(frame, offset, time)``
    per captured segment, ``offset`` being where its bytes start in ``data``.
    ``gap_before`` marks bytes missing from the capture just before this turn
    (``missing`` of them when known); nothing is invented to fill them.
    """

    direction: str  # "out" = client → server, "in" = server → client
    data: bytes
    first_frame: int
    last_frame: int
    first_time: float
    gap_before: bool = False
    segments: tuple[tuple[int, int, float], ...] = ()
    missing: int = 0


@dataclass(frozen=True, slots=True)
class Conversation:
    """The reassembled payload of one session, as Follow Stream shows it.

    Sizes and hashes cover every in-order byte of a direction, also past the
    cap on what ``turns`` keep (``truncated`` says the cap was hit); bytes
    missing from the capture are in neither. ``closed_out``/``closed_in`` say
    the sender of that direction sent a FIN and every byte before it was
    delivered or counted in ``gaps``: with no gap, the direction is whole.
    """

    transport: str  # "tcp" or "udp"
    index: int  # the session index, as in SessionRecord
    protocol: str
    src_ip: str  # the client
    src_port: int
    dst_ip: str  # the server
    dst_port: int
    turns: tuple[Turn, ...]
    gaps: int
    truncated: bool
    bytes_out: int
    bytes_in: int
    sha256_out: str
    sha256_in: str
    closed_out: bool = False  # the client's FIN ended its bytes
    closed_in: bool = False  # the server's FIN ended its bytes


ArtifactValue = str | int


@dataclass(frozen=True, slots=True)
class ArtifactRecord:
    """Something a session's payload leaked: a banner, a credential, a file.

    ``values`` are ``(name, value)`` pairs in a stable order; ``about`` says
    which end of the session the artifact describes; ``inferred`` artifacts
    come from traffic shape (protocol, direction, volume), not from content.
    """

    kind: str
    values: tuple[tuple[str, ArtifactValue], ...]
    transport: str
    session: int
    frames: tuple[int, ...]
    first_seen: float
    about: str  # "client" or "server"
    inferred: bool = False
    confidence: float = 1.0

    def get(self, name: str) -> ArtifactValue | None:
        """Return the first value called ``name``, or None."""
        for key, value in self.values:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Assignment:
    """The session a frame belongs to, as the session tracker decided.

    ``direction`` is "out" for client → server and "in" for server → client.
    """

    transport: str  # "tcp" or "udp"
    index: int
    direction: str


def artifact_of(
    conv: Conversation,
    kind: str,
    values: Sequence[tuple[str, ArtifactValue | None]],
    frames: Iterable[int],
    first_seen: float,
    about: str = "server",
    inferred: bool = False,
    confidence: float = 1.0,
) -> ArtifactRecord:
    """An artifact of ``conv``; values that are None or "" are left out."""
    kept = tuple((k, v) for k, v in values if v is not None and v != "")
    return ArtifactRecord(
        kind=kind,
        values=kept,
        transport=conv.transport,
        session=conv.index,
        frames=tuple(sorted(set(frames))),
        first_seen=first_seen,
        about=about,
        inferred=inferred,
        confidence=confidence,
    )
