"""TCP reassembly and Follow Stream rendering."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from icsgraph.ingest.follow import follow
from icsgraph.ingest.reassembly import SEGMENT_COST, TURN_COST, ConversationBuilder
from icsgraph.ingest.records import TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, Frame

PCAPS = Path(__file__).resolve().parents[3] / "shared" / "pcaps"
C_ISN, S_ISN = 1000, 2**32 - 3  # the server's sequence numbers wrap around
PA = TCP_PSH | TCP_ACK


def seg(
    number: int, direction: str, rel: int, data: bytes, flags: int = PA, ack: int = 0
) -> tuple[Frame, str]:
    isn = C_ISN if direction == "out" else S_ISN
    frame = Frame(
        number=number,
        time=float(number),
        wire_len=60,
        link_type=1,
        tcp_seq=(isn + rel) % 2**32,
        tcp_ack=ack % 2**32,
        tcp_flags=flags,
        payload=data,
    )
    return frame, direction


def handshake() -> list[tuple[Frame, str]]:
    return [
        seg(1, "out", 0, b"", TCP_SYN),
        seg(2, "in", 0, b"", TCP_SYN | TCP_ACK, ack=C_ISN + 1),
        seg(3, "out", 1, b"", TCP_ACK, ack=S_ISN + 1),
    ]


def build(frames: list[tuple[Frame, str]], cap: int = 1 << 20) -> ConversationBuilder:
    builder = ConversationBuilder(
        "tcp", 7, ("10.0.0.1", 40000), ("10.0.0.2", 23), protocol="telnet", cap=cap
    )
    for frame, direction in frames:
        builder.feed(frame, direction)
    return builder


def test_in_order_turns_merge_consecutive_segments() -> None:
    frames = [
        *handshake(),
        seg(4, "in", 1, b"login: "),
        seg(5, "in", 8, b"more"),
        seg(6, "out", 1, b"admin\r\n"),
        seg(7, "in", 12, b"", TCP_FIN | TCP_ACK),
    ]

    conv = build(frames).finish()

    assert [(t.direction, t.data, t.first_frame, t.last_frame) for t in conv.turns] == [
        ("in", b"login: more", 4, 5),
        ("out", b"admin\r\n", 6, 6),
    ]
    assert conv.turns[0].segments == ((4, 0, 4.0), (5, 7, 5.0))
    assert conv.bytes_in == 11
    assert conv.sha256_in == hashlib.sha256(b"login: more").hexdigest()
    assert conv.gaps == 0
    assert not conv.truncated


def test_retransmission_and_overlap_keep_first_copy() -> None:
    frames = [
        *handshake(),
        seg(4, "out", 1, b"ABCD"),
        seg(5, "out", 1, b"ABCD"),
        seg(6, "out", 3, b"XXEF"),
        seg(7, "out", 1, b"zz"),
    ]

    conv = build(frames).finish()

    assert [t.data for t in conv.turns] == [b"ABCDEF"]
    assert conv.turns[0].segments == ((4, 0, 4.0), (6, 4, 6.0))


def test_out_of_order_segment_waits_for_the_missing_one() -> None:
    frames = [
        *handshake(),
        seg(4, "out", 5, b"EFGH"),
        seg(5, "in", 1, b"hi"),
        seg(6, "out", 1, b"ABCD"),
    ]

    conv = build(frames).finish()

    assert [(t.direction, t.data) for t in conv.turns] == [
        ("in", b"hi"),
        ("out", b"ABCDEFGH"),
    ]
    assert conv.turns[1].segments == ((6, 0, 6.0), (4, 4, 4.0))


def test_acknowledged_missing_bytes_become_a_gap() -> None:
    frames = [
        *handshake(),
        seg(4, "out", 1, b"AB"),
        seg(5, "out", 7, b"GH"),
        seg(6, "in", 1, b"ok", ack=C_ISN + 9),
        seg(7, "out", 9, b"IJ"),
    ]

    conv = build(frames).finish()

    assert [(t.direction, t.data, t.gap_before, t.missing) for t in conv.turns] == [
        ("out", b"AB", False, 0),
        ("out", b"GH", True, 4),
        ("in", b"ok", False, 0),
        ("out", b"IJ", False, 0),
    ]
    assert conv.gaps == 1
    assert conv.bytes_out == 6


def test_stream_cut_short_keeps_what_is_there() -> None:
    frames = [*handshake(), seg(4, "in", 1, b"banner"), seg(5, "in", 20, b"tail")]

    conv = build(frames).finish()

    assert [(t.data, t.gap_before, t.missing) for t in conv.turns] == [
        (b"banner", False, 0),
        (b"tail", True, 13),
    ]
    assert conv.gaps == 1


def test_fin_after_every_byte_closes_a_direction() -> None:
    data = [*handshake(), seg(4, "in", 1, b"file"), seg(5, "out", 1, b"ok")]
    fin_early = seg(6, "in", 9, b"", TCP_FIN | TCP_ACK)  # bytes 5-8 never came

    closed = build([*data, seg(6, "in", 5, b"", TCP_FIN | TCP_ACK)]).finish()
    cut = build(data).finish()
    short = build([*data, fin_early]).finish()

    assert (closed.closed_in, closed.closed_out) == (True, False)
    assert (cut.closed_in, cut.closed_out) == (False, False)
    assert short.closed_in is False


def test_cap_keeps_hash_and_size_of_whole_direction() -> None:
    frames = [*handshake(), seg(4, "in", 1, b"0123456789"), seg(5, "in", 11, b"abcdef")]

    conv = build(frames, cap=8).finish()

    assert conv.turns[0].data == b"01234567"
    assert conv.truncated
    assert conv.bytes_in == 16
    assert conv.sha256_in == hashlib.sha256(b"0123456789abcdef").hexdigest()


def test_udp_datagrams_are_turns() -> None:
    builder = ConversationBuilder("udp", 0, ("10.0.0.1", 5000), ("10.0.0.2", 69))
    for number, direction, data in [
        (1, "out", b"a"),
        (2, "out", b"b"),
        (3, "in", b"c"),
    ]:
        builder.feed(
            Frame(number=number, time=0.0, wire_len=0, link_type=1, payload=data),
            direction,
        )

    conv = builder.finish()

    assert [(t.direction, t.data) for t in conv.turns] == [
        ("out", b"a"),
        ("out", b"b"),
        ("in", b"c"),
    ]


def test_follow_ascii_layout() -> None:
    frames = [
        *handshake(),
        seg(4, "in", 1, b"\xff\xfb\x01hi\r\n"),
        seg(5, "out", 1, b"x"),
    ]

    text = follow(build(frames).finish(), "ascii")

    assert text == (
        "\n" + "=" * 67 + "\nFollow: tcp,ascii\nFilter: tcp.stream eq 7\n"
        "Node 0: 10.0.0.1:40000\nNode 1: 10.0.0.2:23\n"
        "\t7\n...hi\r\n\n1\nx\n" + "=" * 67 + "\n"
    )


def test_follow_marks_gaps_as_tshark_does() -> None:
    frames = [*handshake(), seg(4, "in", 1, b"ab"), seg(5, "in", 6, b"fg")]

    text = follow(build(frames).finish(), "ascii")

    assert "\t2\nab\n\t34\n[3 bytes missing in capture file].\n\t2\nfg\n" in text


def test_follow_json_names_frames() -> None:
    frames = [*handshake(), seg(4, "in", 1, b"hi")]

    text = follow(build(frames).finish(), "json")

    assert '"frames": [\n        4\n      ]' in text


def tshark_follow(path: Path, index: int, fmt: str) -> str:
    result = subprocess.run(
        ["tshark", "-n", "-r", str(path), "-q", "-z", f"follow,tcp,{fmt},{index}"],
        capture_output=True,
        check=False,
    )
    return result.stdout.decode("latin-1")


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("telnet-login-openbsd.pcap", 0),  # one retransmission
        ("melsec-cut-short.pcap", 0),  # 982 retransmissions, file cut short
        ("plant1-mixed-ics.pcap", 0),  # retransmitted FINs, capture starts mid-stream
        ("opcua-session.pcap", 0),  # spurious retransmissions
        ("s7-wincc-hmi.pcapng", 0),  # 424 gaps: capture lost segments
    ],
)
@pytest.mark.parametrize("fmt", ["ascii", "hex"])
def test_follow_matches_tshark(name: str, index: int, fmt: str) -> None:
    from pcap_feeder import conversations

    tcp = [c for c in conversations(PCAPS / name) if c.transport == "tcp"]

    assert follow(tcp[index], fmt) == tshark_follow(PCAPS / name, index, fmt)


def test_many_small_segments_are_charged_their_bookkeeping() -> None:
    polls = [*handshake()]
    out = inn = 1
    for i in range(2000):  # 12-byte polls and their 11-byte answers
        polls.append(seg(4 + 2 * i, "out", out, b"q" * 12, ack=S_ISN + inn))
        polls.append(seg(5 + 2 * i, "in", inn, b"a" * 11, ack=C_ISN + out + 12))
        out, inn = out + 12, inn + 11

    conv = build(polls, cap=64 * 1024).finish()

    kept = sum(len(t.data) for t in conv.turns if t.direction == "out")
    charged = kept + len([t for t in conv.turns if t.direction == "out"]) * (
        SEGMENT_COST + TURN_COST
    )
    assert conv.truncated
    assert conv.bytes_out == 2000 * 12  # size and hash still cover everything
    assert kept < 64 * 1024 // 12  # far fewer bytes than a bulk stream keeps
    assert charged <= 64 * 1024 + SEGMENT_COST + TURN_COST
