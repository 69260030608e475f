"""ARP requests: the target and operation decoded, the targets summed per second."""

from __future__ import annotations

from scapy.layers.l2 import ARP, Ether

from icsgraph.graph.writer import arp_props
from icsgraph.ingest.arp_targets import ArpTargets
from icsgraph.ingest.decode import decode
from icsgraph.ingest.hosts import HostTracker
from icsgraph.ingest.records import Frame, L2Info, MacRecord, RawPacket

SCANNER, NEIGHBOUR = "00:1d:9c:00:00:66", "00:0e:8c:00:00:01"
START = 1_700_000_000.25


def arp_frame(
    number: int, time: float, mac: str, psrc: str, pdst: str, op: int = 1
) -> Frame:
    """A hand-built ARP frame, decoded by the fast path."""
    dst = "ff:ff:ff:ff:ff:ff" if op == 1 else NEIGHBOUR
    packet = Ether(src=mac, dst=dst) / ARP(op=op, hwsrc=mac, psrc=psrc, pdst=pdst)
    data = bytes(packet)
    return decode(RawPacket(number, time, 1, data, len(data)))


def summary_of(frames: list[Frame], mac: str) -> MacRecord:
    tracker = HostTracker("c" * 64)
    for frame in frames:
        tracker.add(frame)
    return {m.address: m for m in tracker.macs()}[mac]


def test_arp_request_and_reply_carry_target_and_operation() -> None:
    request = arp_frame(1, START, SCANNER, "10.0.0.66", "10.0.0.7")
    reply = arp_frame(2, START, NEIGHBOUR, "10.0.0.7", "10.0.0.66", op=2)

    assert request.l2 == L2Info("arp", SCANNER, "10.0.0.66", None, "10.0.0.7", 1)
    assert reply.l2 == L2Info("arp", NEIGHBOUR, "10.0.0.7", None, "10.0.0.66", 2)


def test_a_sweep_of_60_addresses_in_30_seconds_is_summed_per_second() -> None:
    frames = [
        arp_frame(i + 1, START + i / 2, SCANNER, "10.0.0.66", f"10.0.1.{i + 1}")
        for i in range(60)
    ]

    arp = summary_of(frames, SCANNER).arp

    assert arp is not None
    assert (arp.targets, arp.over_cap, arp.senders) == (60, 0, ("10.0.0.66",))
    assert set(arp.networks) == {"10.0.0.0/16"}
    assert arp.seconds == tuple(int(START) + s for s in range(30))
    assert arp.counts == (2,) * 30
    assert (arp.first_frames[0], arp.last_frames[-1]) == (1, 60)


def test_duplicates_count_once_at_their_first_second() -> None:
    frames = [
        arp_frame(n, START + n * 10, SCANNER, "10.0.0.66", f"10.0.0.{1 + n % 3}")
        for n in range(1, 10)
    ]

    arp = summary_of(frames, SCANNER).arp

    assert arp is not None
    assert arp.targets == 3
    assert arp.seconds == (int(START) + 10, int(START) + 20, int(START) + 30)
    assert arp.counts == (1, 1, 1)


def test_a_host_asking_for_three_neighbours_is_three_targets() -> None:
    frames = [
        arp_frame(1, START, NEIGHBOUR, "10.0.0.7", "10.0.0.1"),
        arp_frame(2, START + 1, NEIGHBOUR, "10.0.0.7", "10.0.0.2"),
        arp_frame(3, START + 2, NEIGHBOUR, "10.0.0.7", "10.0.0.3"),
        arp_frame(4, START + 3, SCANNER, "10.0.0.66", "10.0.0.7", op=2),
        arp_frame(5, START + 4, NEIGHBOUR, "10.0.0.7", "10.0.0.7"),  # gratuitous
    ]

    neighbour = summary_of(frames, NEIGHBOUR)
    replier = summary_of(frames, SCANNER)

    assert neighbour.arp is not None
    assert (neighbour.arp.targets, sum(neighbour.arp.counts)) == (3, 3)
    assert replier.arp is None
    assert replier.protocols == ("arp",)


def test_targets_past_the_cap_are_counted_not_kept() -> None:
    targets = ArpTargets(cap=4)
    for n in range(10):
        info = L2Info("arp", SCANNER, "10.0.0.66", target=f"10.{n}.0.1", op=1)
        targets.add(info, START, n + 1)
    targets.add(L2Info("arp", SCANNER, "10.0.0.66", target="10.0.0.1", op=1), 0, 11)

    arp = targets.summary(SCANNER)

    assert arp is not None
    assert (arp.targets, arp.over_cap, sum(arp.counts)) == (4, 6, 4)
    assert arp.networks == ("10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16")


def test_the_summary_becomes_parallel_lists_on_the_saw_relationship() -> None:
    frames = [
        arp_frame(1, START, SCANNER, "10.0.0.66", "10.0.0.1"),
        arp_frame(2, START + 0.5, SCANNER, "10.0.0.66", "10.0.0.2"),
        arp_frame(3, START + 5, SCANNER, "10.0.0.66", "192.168.0.1"),
    ]

    props = arp_props(summary_of(frames, SCANNER).arp)

    assert props == {
        "arp_targets": 3,
        "arp_over_cap": 0,
        "arp_senders": ["10.0.0.66"],
        "arp_networks": ["10.0.0.0/16", "192.168.0.0/16"],
        "arp_seconds": [int(START), int(START) + 5],
        "arp_counts": [2, 1],
        "arp_first_frames": [1, 3],
        "arp_last_frames": [2, 3],
    }
    assert set(arp_props(None).values()) == {None}
