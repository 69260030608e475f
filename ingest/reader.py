"""Stream the records of a pcap or pcapng file as `RawPacket`s.

The format is chosen by the file's magic number, never by its extension.
scapy's raw readers do the reading, one record at a time; this module adds
what they leave out: a one-line `CaptureError` for files that are not
captures, the file's sha256 (hashed in a first streaming pass, so the writer
knows the capture's key before any packet arrives), per-interface link types
and timestamp resolution, and a `truncated` flag with the bytes of a record
cut short at the end of the file (scapy logs those and moves on).

scapy's pcapng reader keeps one interface table for the whole file, so a
pcapng file with several sections that renumber their interfaces is read
with the first section's numbering (rare; tshark handles it).
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from icsgraph.errors import CaptureError
from icsgraph.ingest.records import CaptureSummary, RawPacket

log = logging.getLogger(__name__)

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": 1e6,
    b"\xa1\xb2\xc3\xd4": 1e6,
    b"\x4d\x3c\xb2\xa1": 1e9,
    b"\xa1\xb2\x3c\x4d": 1e9,
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
PCAP_HEADER = 24
PCAP_RECORD_HEADER = 16
SCAPY_MAX_CAPLEN = 0xFFFF  # scapy's raw readers cut records at its MTU
HASH_CHUNK = 1 << 20

LINK_NAMES = {
    0: "null",
    1: "ether",
    12: "raw",
    14: "raw",
    101: "raw",
    108: "loop",
    113: "linux-sll",
    228: "ipv4",
    229: "ipv6",
    239: "nflog",
    276: "linux-sll2",
}


def link_name(link_type: int) -> str:
    """Name a link type the way MANIFEST.tsv does, e.g. ``ether(DLT 1)``."""
    return f"{LINK_NAMES.get(link_type, 'unknown')}(DLT {link_type})"


def hash_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_capture(path: Path) -> CaptureReader:
    """Check that ``path`` is a pcap or pcapng file and open it for reading.

    Raises:
        CaptureError: missing, a directory, empty, unreadable, or not a
            capture (the message says which, in one line).
    """
    if not path.exists():
        raise CaptureError(f"{path}: no such file")
    if path.is_dir():
        raise CaptureError(f"{path}: is a directory, not a capture file")
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            magic = stream.read(4)
        sha256 = hash_file(path) if size else ""
    except OSError as exc:
        raise CaptureError(f"{path}: cannot read ({exc.strerror})") from exc
    if size == 0:
        raise CaptureError(f"{path}: empty file")
    if magic not in PCAP_MAGICS and magic != PCAPNG_MAGIC:
        kind = "gzip-compressed" if magic[:2] == b"\x1f\x8b" else "not pcap/pcapng"
        raise CaptureError(f"{path}: {kind} (magic {magic.hex()})")
    if magic in PCAP_MAGICS and size < PCAP_HEADER:
        raise CaptureError(f"{path}: damaged capture header (file too short)")
    return CaptureReader(path, sha256, size, magic)


class CaptureReader:
    """One capture file: iterate it once for its packets, then `summary()`."""

    def __init__(self, path: Path, sha256: str, size: int, magic: bytes) -> None:
        self.path = path
        self.file_name = path.name
        self.sha256 = sha256
        self.size = size
        self.magic = magic
        self.truncated = False
        self.packets = 0
        self.bytes = 0
        self.first_seen: float | None = None
        self.last_seen: float | None = None
        self.link_types: set[int] = set()
        self.skipped: dict[str, tuple[int, int]] = {}

    def __iter__(self) -> Iterator[RawPacket]:
        try:
            stream = self.path.open("rb")
        except OSError as exc:
            raise CaptureError(f"{self.path}: cannot read ({exc.strerror})") from exc
        stream.read(4)
        if self.magic == PCAPNG_MAGIC:
            return self._read_pcapng(stream)
        return self._read_pcap(stream)

    def summary(self) -> CaptureSummary:
        """What the reader saw; complete once iteration has ended."""
        return CaptureSummary(
            sha256=self.sha256,
            file_name=self.file_name,
            packets=self.packets,
            bytes=self.bytes,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            link_types=tuple(link_name(lt) for lt in sorted(self.link_types)),
            truncated=self.truncated,
            skipped=dict(self.skipped),
        )

    def _record(
        self, packets: int, nbytes: int, first: float | None, last: float | None
    ) -> None:
        self.packets, self.bytes = packets, nbytes
        self.first_seen, self.last_seen = first, last

    def _cut_short(self, partial_bytes: int) -> None:
        self.truncated = True
        packets, nbytes = self.skipped.get("cut short", (0, 0))
        self.skipped["cut short"] = (packets + 1, nbytes + partial_bytes)
        log.warning(
            "%s: cut short in the middle of a record (%d bytes skipped)",
            self.file_name,
            partial_bytes,
        )

    def _read_pcap(self, stream: IO[bytes]) -> Iterator[RawPacket]:
        with stream:
            reader = _make_scapy_reader("RawPcapReader", self.path, stream, self.magic)
            divisor = PCAP_MAGICS[self.magic]
            link_type = int(reader.linktype)
            offset = PCAP_HEADER
            packets = nbytes = 0
            first: float | None = None
            time: float | None = None
            try:
                for number, (data, meta) in enumerate(reader, start=1):
                    offset += PCAP_RECORD_HEADER + meta.caplen
                    if len(data) < min(meta.caplen, SCAPY_MAX_CAPLEN):
                        self._cut_short(PCAP_RECORD_HEADER + len(data))
                        return
                    time = meta.sec + meta.usec / divisor
                    if first is None:
                        first = time
                        self.link_types.add(link_type)
                    packets, nbytes = number, nbytes + meta.wirelen
                    yield RawPacket(number, time, link_type, data, meta.wirelen)
                if offset < self.size:
                    self._cut_short(self.size - offset)
            finally:
                self._record(packets, nbytes, first, time)

    def _read_pcapng(self, stream: IO[bytes]) -> Iterator[RawPacket]:
        with stream:
            reader = _make_scapy_reader(
                "RawPcapNgReader", self.path, stream, self.magic
            )
            end = stream.tell()
            packets = nbytes = 0
            first: float | None = None
            time: float | None = None
            try:
                for number, (data, meta) in enumerate(reader, start=1):
                    end = stream.tell()
                    ticks = ((meta.tshigh or 0) << 32) | (meta.tslow or 0)
                    time = ticks / meta.tsresol
                    first = time if first is None else first
                    self.link_types.add(int(meta.linktype))
                    packets, nbytes = number, nbytes + meta.wirelen
                    yield RawPacket(
                        number, time, int(meta.linktype), data, meta.wirelen
                    )
                partial = _pcapng_tail_garbage(stream, end, self.size, reader.endian)
                if partial:
                    self._cut_short(partial)
            finally:
                self._record(packets, nbytes, first, time)


def _make_scapy_reader(name: str, path: Path, stream: IO[bytes], magic: bytes) -> Any:
    """Build a scapy raw reader on an open stream whose magic was read.

    scapy's reader metaclass would reopen the file and try gzip first, so
    the instance is built and initialised directly.
    """
    from scapy.error import Scapy_Exception
    from scapy.utils import RawPcapNgReader, RawPcapReader

    cls: Any = RawPcapNgReader if name == "RawPcapNgReader" else RawPcapReader
    reader = object.__new__(cls)
    try:
        cls.__init__(reader, str(path), stream, magic)
    except (Scapy_Exception, EOFError) as exc:
        raise CaptureError(f"{path}: damaged capture header ({exc})") from exc
    return reader


def _pcapng_tail_garbage(stream: IO[bytes], start: int, size: int, endian: str) -> int:
    """Bytes at the end of a pcapng file that do not form whole blocks.

    scapy stops silently at a block cut short; walking the block lengths
    from the end of the last packet read tells a clean end (trailing
    statistics blocks) from a truncated one.
    """
    position = start
    stream.seek(position)
    while position < size:
        header = stream.read(8)
        if len(header) < 8:
            return size - position
        block_type, length = struct.unpack(endian + "II", header)
        if block_type == 0x0A0D0D0A:
            return 0  # a new section: scapy stopped for another reason
        if length < 12 or position + length > size:
            return size - position
        position += length
        stream.seek(position)
    return 0
