"""Reading pcap and pcapng files: formats, interfaces, bad and cut-short files."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest

from icsgraph.errors import CaptureError
from icsgraph.ingest.reader import open_capture

PACKET = bytes(range(60))


def pcap(
    records: list[tuple[float, bytes]], magic: bytes = b"\xd4\xc3\xb2\xa1"
) -> bytes:
    order = "<" if magic[0] in (0xD4, 0x4D) else ">"
    scale = 1e9 if magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 1e6
    out = magic + struct.pack(order + "HHiIII", 2, 4, 0, 0, 65535, 1)
    for time, data in records:
        sec, frac = int(time), round((time - int(time)) * scale)
        out += struct.pack(order + "IIII", sec, frac, len(data), len(data)) + data
    return out


def block(kind: int, body: bytes) -> bytes:
    body += b"\x00" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)


def pcapng_two_interfaces() -> bytes:
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb_ether = block(1, struct.pack("<HHI", 1, 0, 65535))
    tsresol_ns = struct.pack("<HHB", 9, 1, 9) + b"\x00" * 3 + struct.pack("<HH", 0, 0)
    idb_raw = block(1, struct.pack("<HHI", 101, 0, 65535) + tsresol_ns)
    ticks_us = 1_700_000_000_500_000
    ticks_ns = 1_700_000_001_000_000_250
    epb_a = block(
        6,
        struct.pack("<IIIII", 0, ticks_us >> 32, ticks_us & 0xFFFFFFFF, 60, 64)
        + PACKET,
    )
    epb_b = block(
        6,
        struct.pack("<IIIII", 1, ticks_ns >> 32, ticks_ns & 0xFFFFFFFF, 60, 60)
        + PACKET,
    )
    isb = block(5, struct.pack("<III", 0, 0, 0))
    return shb + idb_ether + idb_raw + epb_a + epb_b + isb


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "magic",
    [
        b"\xd4\xc3\xb2\xa1",
        b"\xa1\xb2\xc3\xd4",
        b"\x4d\x3c\xb2\xa1",
        b"\xa1\xb2\x3c\x4d",
    ],
)
def test_pcap_byte_orders_and_resolutions(tmp_path: Path, magic: bytes) -> None:
    data = pcap([(10.25, PACKET), (11.5, PACKET[:40])], magic)
    path = write(tmp_path, "x.pcap", data)

    reader = open_capture(path)
    packets = list(reader)

    assert [(p.number, p.time, len(p.data), p.link_type) for p in packets] == [
        (1, 10.25, 60, 1),
        (2, 11.5, 40, 1),
    ]
    assert reader.sha256 == hashlib.sha256(data).hexdigest()
    summary = reader.summary()
    assert (summary.packets, summary.bytes, summary.truncated) == (2, 100, False)
    assert (summary.first_seen, summary.last_seen) == (10.25, 11.5)
    assert summary.link_types == ("ether(DLT 1)",)


def test_pcapng_named_pcap_with_two_interfaces(tmp_path: Path) -> None:
    path = write(tmp_path, "misnamed.pcap", pcapng_two_interfaces())

    reader = open_capture(path)
    packets = list(reader)

    assert [p.link_type for p in packets] == [1, 101]
    assert packets[0].time == pytest.approx(1_700_000_000.5)
    assert packets[1].time == pytest.approx(1_700_000_001.00000025)
    assert packets[0].wire_len == 64
    summary = reader.summary()
    assert summary.link_types == ("ether(DLT 1)", "raw(DLT 101)")
    assert not summary.truncated


def test_pcap_named_pcapng(tmp_path: Path) -> None:
    path = write(tmp_path, "misnamed.pcapng", pcap([(1.0, PACKET)]))

    assert len(list(open_capture(path))) == 1


def test_record_cut_short_mid_data(tmp_path: Path) -> None:
    data = pcap([(1.0, PACKET), (2.0, PACKET), (3.0, PACKET)])[:-25]
    reader = open_capture(write(tmp_path, "cut.pcap", data))

    packets = list(reader)

    summary = reader.summary()
    assert len(packets) == 2
    assert summary.truncated
    assert summary.skipped == {"cut short": (1, 16 + 35)}


def test_record_cut_short_mid_header(tmp_path: Path) -> None:
    data = pcap([(1.0, PACKET)]) + b"\x01\x02\x03\x04\x05"
    reader = open_capture(write(tmp_path, "cut.pcap", data))

    assert len(list(reader)) == 1
    assert reader.summary().skipped == {"cut short": (1, 5)}


def test_pcapng_cut_short(tmp_path: Path) -> None:
    data = pcapng_two_interfaces()[:-40]
    reader = open_capture(write(tmp_path, "cut.pcapng", data))

    packets = list(reader)

    assert len(packets) == 1
    assert reader.summary().truncated


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"hello, this is text\n", "not pcap/pcapng"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip-compressed"),
        (b"\xd4\xc3\xb2\xa1\x02\x00", "damaged capture header"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = write(tmp_path, "bad.pcap", content)

    with pytest.raises(CaptureError, match=message) as caught:
        list(open_capture(path))

    assert "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="no such file"):
        open_capture(tmp_path / "nothing.pcap")
    with pytest.raises(CaptureError, match="is a directory"):
        open_capture(tmp_path)
