"""Session tracking: Wireshark's stream rules, orientation, state, eviction."""

from __future__ import annotations

from icsgraph.ingest.records import (
    TCP_ACK,
    TCP_FIN,
    TCP_PSH,
    TCP_RST,
    TCP_SYN,
    Frame,
    SessionRecord,
)
from icsgraph.ingest.sessions import SessionTracker

CLIENT, SERVER = ("10.0.0.1", 40000), ("10.0.0.2", 502)


class Capture:
    """Builds frames with increasing numbers and times."""

    def __init__(self) -> None:
        self.number = 0
        self.time = 1000.0

    def tcp(
        self,
        src: tuple[str, int],
        dst: tuple[str, int],
        flags: int,
        seq: int = 0,
        ack: int = 0,
        payload: bytes = b"",
        after: float = 0.01,
    ) -> Frame:
        self.number += 1
        self.time += after
        return Frame(
            number=self.number, time=self.time, wire_len=60 + len(payload),
            link_type=1, ip_version=4, src_ip=src[0], dst_ip=dst[0], ip_proto=6,
            src_port=src[1], dst_port=dst[1], tcp_flags=flags, tcp_seq=seq,
            tcp_ack=ack, payload=payload,
        )  # fmt: skip

    def udp(
        self, src: tuple[str, int], dst: tuple[str, int], payload: bytes = b"x"
    ) -> Frame:
        self.number += 1
        self.time += 0.01
        return Frame(
            number=self.number, time=self.time, wire_len=42 + len(payload),
            link_type=1, ip_version=4, src_ip=src[0], dst_ip=dst[0], ip_proto=17,
            src_port=src[1], dst_port=dst[1], payload=payload,
        )  # fmt: skip


def handshake(cap: Capture, isn: int = 100) -> list[Frame]:
    return [
        cap.tcp(CLIENT, SERVER, TCP_SYN, seq=isn),
        cap.tcp(SERVER, CLIENT, TCP_SYN | TCP_ACK, seq=900, ack=isn + 1),
        cap.tcp(CLIENT, SERVER, TCP_ACK, seq=isn + 1, ack=901),
    ]


def run(
    frames: list[Frame], tracker: SessionTracker | None = None
) -> list[SessionRecord]:
    tracker = tracker or SessionTracker("c" * 64)
    records: list[SessionRecord] = []
    for frame in frames:
        tracker.track(frame)
        records += tracker.drain()
    return records + tracker.finish()


def test_full_session_is_closed_and_oriented() -> None:
    cap = Capture()
    frames = [
        *handshake(cap),
        cap.tcp(CLIENT, SERVER, TCP_PSH | TCP_ACK, 101, 901, b"\x00\x01" * 6),
        cap.tcp(SERVER, CLIENT, TCP_PSH | TCP_ACK, 901, 113, b"\x00\x01" * 5),
        cap.tcp(CLIENT, SERVER, TCP_FIN | TCP_ACK, 113, 911),
        cap.tcp(SERVER, CLIENT, TCP_FIN | TCP_ACK, 911, 114),
    ]

    (record,) = run(frames)

    assert (record.src_ip, record.src_port) == CLIENT
    assert (record.dst_ip, record.dst_port) == SERVER
    assert (record.packets_out, record.packets_in) == (4, 3)
    assert record.bytes_out == 4 * 60 + 12
    assert record.state == "closed"
    assert record.tcp_flags == ("ACK", "FIN", "PSH", "SYN")
    assert (record.evidence.first_frame, record.evidence.last_frame) == (1, 7)


def test_new_isn_on_reused_tuple_is_a_new_stream() -> None:
    cap = Capture()
    first = [*handshake(cap, isn=100), cap.tcp(CLIENT, SERVER, TCP_RST, seq=101)]
    second = handshake(cap, isn=5000)

    records = run(first + second)

    assert [r.index for r in records] == [0, 1]
    assert [r.state for r in records] == ["answered", "answered"]


def test_retransmitted_syn_stays_in_its_stream() -> None:
    cap = Capture()
    frames = [
        cap.tcp(CLIENT, SERVER, TCP_SYN, seq=7),
        cap.tcp(CLIENT, SERVER, TCP_SYN, seq=7),
    ]

    (record,) = run(frames)

    assert record.packets_out == 2
    assert record.state == "unanswered"


def test_rst_answering_a_syn_is_rejected() -> None:
    cap = Capture()
    frames = [
        cap.tcp(CLIENT, SERVER, TCP_SYN, seq=7),
        cap.tcp(SERVER, CLIENT, TCP_RST | TCP_ACK, ack=8),
    ]

    (record,) = run(frames)

    assert record.state == "rejected"
    assert record.tcp_flags == ("ACK", "RST", "SYN")


def test_handshake_without_data_is_answered_and_data_established() -> None:
    cap = Capture()
    data = [cap.tcp(CLIENT, SERVER, TCP_PSH | TCP_ACK, 101, 901, b"req")]

    (answered,) = run(handshake(cap))
    cap2 = Capture()
    (established,) = run(handshake(cap2) + data)

    assert answered.state == "answered"
    assert established.state == "established"


def test_syn_ack_alone_makes_its_receiver_the_client() -> None:
    cap = Capture()

    (record,) = run([cap.tcp(SERVER, CLIENT, TCP_SYN | TCP_ACK, seq=1, ack=2)])

    assert (record.src_ip, record.dst_port) == ("10.0.0.1", 502)


def test_midstream_orientation_by_service_port() -> None:
    cap = Capture()
    frames = [cap.tcp(SERVER, CLIENT, TCP_PSH | TCP_ACK, 5, 6, b"\x00\x01")]

    (record,) = run(frames)

    assert (record.src_port, record.dst_port) == (40000, 502)
    assert (record.packets_out, record.packets_in) == (0, 1)


def test_server_learned_from_a_handshake_orients_later_sessions() -> None:
    cap = Capture()
    a, b = ("10.0.0.5", 5026), ("10.0.0.6", 5413)
    frames = [
        cap.tcp(b, a, TCP_SYN, seq=1),
        cap.tcp(a, b, TCP_SYN | TCP_ACK, seq=1, ack=2),
        cap.tcp(a, ("10.0.0.7", 5999), TCP_PSH | TCP_ACK, 5, 5, b"hello"),
    ]

    records = run(frames)

    assert (records[1].src_ip, records[1].dst_ip) == ("10.0.0.7", "10.0.0.5")


def test_udp_pair_is_one_session_answered_when_the_server_replies() -> None:
    cap = Capture()
    dns_client, dns_server = ("10.0.0.1", 53000), ("10.0.0.53", 53)
    frames = [
        cap.udp(dns_client, dns_server),
        cap.udp(dns_server, dns_client),
        cap.udp(dns_client, dns_server),
        cap.udp(("10.0.0.1", 53001), dns_server),
    ]

    records = run(frames)

    assert [(r.index, r.state) for r in records] == [(0, "answered"), (1, "unanswered")]
    assert records[0].dst_port == 53


def test_assignment_direction() -> None:
    cap = Capture()
    tracker = SessionTracker("c" * 64)

    out = tracker.track(cap.tcp(CLIENT, SERVER, TCP_SYN, seq=1))
    back = tracker.track(cap.tcp(SERVER, CLIENT, TCP_SYN | TCP_ACK, seq=9, ack=2))
    other = tracker.track(Frame(number=3, time=0.0, wire_len=60, link_type=1))

    assert out is not None
    assert back is not None
    assert (out.transport, out.index, out.direction) == ("tcp", 0, "out")
    assert back.direction == "in"
    assert other is None


def test_idle_session_comes_back_as_a_segment() -> None:
    cap = Capture()
    tracker = SessionTracker("c" * 64, idle_timeout=60.0)
    frames = [
        *handshake(cap),
        cap.tcp(CLIENT, SERVER, TCP_PSH | TCP_ACK, 101, 901, b"a", after=120.0),
        cap.udp(("10.0.0.8", 1), ("10.0.0.9", 2)),
        cap.tcp(CLIENT, SERVER, TCP_PSH | TCP_ACK, 102, 901, b"b", after=120.0),
        cap.udp(("10.0.0.8", 1), ("10.0.0.9", 2)),
    ]

    records = [r for r in run(frames, tracker) if r.transport == "tcp"]

    assert [(r.index, r.segment) for r in records] == [(0, 0), (0, 1), (0, 2)]
    assert sum(r.packets_out for r in records) == 4
    assert records[-1].state == "established"
    assert (records[-1].src_ip, records[-1].dst_port) == ("10.0.0.1", 502)


def test_closed_sessions_leave_memory_and_memory_stays_flat() -> None:
    cap = Capture()
    tracker = SessionTracker("c" * 64, closed_grace=5.0)
    peak = 0
    for port in range(1000, 3000):
        client = ("10.0.0.1", port)
        tracker.track(cap.tcp(client, SERVER, TCP_SYN, seq=port, after=0.5))
        tracker.track(cap.tcp(SERVER, client, TCP_RST | TCP_ACK, ack=port + 1))
        peak = max(peak, tracker.active)

    records = tracker.drain() + tracker.finish()

    assert peak < 30
    assert len({r.index for r in records}) == 2000
    assert {r.state for r in records} == {"rejected"}


def test_only_the_newest_tombstones_are_kept() -> None:
    cap = Capture()
    tracker = SessionTracker("c" * 64, idle_timeout=60.0, max_tombstones=2)
    talkers = [("10.0.0.1", 5000 + i) for i in range(3)]
    dns = ("10.0.0.9", 53)
    early = [cap.udp(talker, dns) for talker in talkers]
    cap.time += 120.0  # all three go idle and are evicted: one tombstone too many
    late = [cap.udp(talkers[0], dns), cap.udp(talkers[2], dns)]

    records = run([*early, *late], tracker)

    seen = sorted((r.src_port, r.index, r.segment) for r in records)
    assert tracker.forgotten == 1
    assert seen == [
        (5000, 0, 0),
        (5000, 3, 0),  # its tombstone was forgotten: a new stream
        (5001, 1, 0),
        (5002, 2, 0),
        (5002, 2, 1),  # remembered: the same stream, a second segment
    ]
