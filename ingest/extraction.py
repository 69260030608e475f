"""The extraction stage: frames → reassembled conversations → artifacts.

The stage rides along the header pipeline. Every frame of a session feeds
that session's `ConversationBuilder`; when the tracker evicts the session the
builder is finished at once (so memory is bounded by the sessions open at the
same time and the per-direction cap) and the extractors run on the result.

FTP and TFTP transfers travel in a session of their own; the sessions that
may carry such data are kept, without their payload when TCP, until the end
of the capture, where `finish` ties them to the commands that announced them.
At most ``max_kept`` of them are kept; past that the oldest go (counted).
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter, OrderedDict
from collections.abc import Sequence

from icsgraph.ingest.extract import (
    extract_artifacts,
    pn_dcp_frame_identity,
    tie_data_sessions,
)
from icsgraph.ingest.reassembly import ConversationBuilder
from icsgraph.ingest.records import (
    ArtifactRecord,
    Assignment,
    Conversation,
    Frame,
    SessionRecord,
)

log = logging.getLogger(__name__)

DEFAULT_CAP = 16 * 1024 * 1024  # payload bytes kept per direction of a session
DATA_CANDIDATES = frozenset({"unknown", "ftp-data", "tftp"})
SessionId = tuple[str, int]


@dataclasses.dataclass(frozen=True, slots=True)
class Found:
    """Artifacts of one session (or of a layer-2 frame when ``session`` is None)."""

    session: SessionId | None
    artifacts: tuple[ArtifactRecord, ...]
    mac: str | None = None  # the device a layer-2 artifact describes
    gaps: int | None = None  # ranges missing from the session's payload
    payload_truncated: bool | None = None  # the per-direction cap was reached


class ExtractionStage:
    """Builds conversations from frames and extracts artifacts from them.

    Args:
        cap: payload bytes kept per direction; past it only size and hash.
        max_kept: data-session candidates kept for FTP/TFTP tying.
    """

    def __init__(self, cap: int = DEFAULT_CAP, max_kept: int = 20_000) -> None:
        self._cap = cap
        self._max_kept = max_kept
        self._builders: dict[SessionId, ConversationBuilder] = {}
        self._kept: OrderedDict[SessionId, Conversation] = OrderedDict()
        self._transfers: list[ArtifactRecord] = []
        self._ready: list[Found] = []
        self.problems: Counter[str] = Counter()

    def on_frame(self, frame: Frame, assignment: Assignment | None) -> None:
        """The frame hook: feed the frame to its session's builder."""
        if assignment is None:
            self._layer2(frame)
            return
        sid = (assignment.transport, assignment.index)
        builder = self._builders.get(sid)
        if builder is None:
            builder = new_builder(frame, assignment, cap=self._cap)
            self._builders[sid] = builder
        builder.feed(frame, assignment.direction)

    def _layer2(self, frame: Frame) -> None:
        if frame.l2 is None or frame.l2.protocol != "pn_dcp":
            return
        found = pn_dcp_frame_identity(frame)
        if found is not None:
            self._ready.append(Found(None, (found,), mac=frame.src_mac))

    def on_sessions(self, records: Sequence[SessionRecord]) -> None:
        """The session hook: finish and extract the sessions just evicted."""
        for record in records:
            sid = (record.transport, record.index)
            builder = self._builders.pop(sid, None)
            if builder is None:
                continue
            builder.protocol = record.protocol
            self._extract(sid, builder.finish())

    def _extract(self, sid: SessionId, conv: Conversation) -> None:
        artifacts = extract_artifacts(conv, self.problems)
        self._transfers += [a for a in artifacts if _needs_data(a)]
        found = Found(sid, tuple(artifacts), None, conv.gaps, conv.truncated)
        self._ready.append(found)
        if conv.protocol in DATA_CANDIDATES:
            self._keep(sid, conv)

    def _keep(self, sid: SessionId, conv: Conversation) -> None:
        """Keep a possible data session; its payload only if TFTP needs it.

        FTP data is tied by endpoints, sizes and hashes, which the
        conversation keeps without its turns' bytes; TFTP blocks are rebuilt
        from the datagrams, so only a UDP session that starts like TFTP data
        keeps them.
        """
        if not _tftp_data(conv):
            turns = tuple(
                dataclasses.replace(t, data=b"", segments=()) for t in conv.turns
            )
            conv = dataclasses.replace(conv, turns=turns)
        self._kept[sid] = conv
        if len(self._kept) > self._max_kept:
            self._kept.popitem(last=False)
            self.problems["transfer tying: data sessions forgotten"] += 1

    def take(self) -> list[Found]:
        """Artifacts found since the last call."""
        ready, self._ready = self._ready, []
        return ready

    def finish(self) -> list[Found]:
        """Tie FTP/TFTP transfers to their data sessions; the last artifacts."""
        for sid, builder in list(self._builders.items()):
            self._extract(sid, builder.finish())
        self._builders.clear()
        tied = tie_data_sessions(self._transfers, list(self._kept.values()))
        self._ready += [Found((a.transport, a.session), (a,)) for a in tied]
        self._kept.clear()
        self._transfers = []
        return self.take()


def new_builder(
    frame: Frame, assignment: Assignment, protocol: str = "", cap: int = DEFAULT_CAP
) -> ConversationBuilder:
    """A builder for the session of the first frame seen of it."""
    first = (frame.src_ip or "", frame.src_port or 0)
    second = (frame.dst_ip or "", frame.dst_port or 0)
    if assignment.direction != "out":
        first, second = second, first
    return ConversationBuilder(
        assignment.transport, assignment.index, first, second, protocol, cap=cap
    )


def _tftp_data(conv: Conversation) -> bool:
    """A UDP session whose first datagram is a TFTP DATA, ACK or OACK."""
    if conv.transport != "udp" or not conv.turns:
        return False
    return conv.turns[0].data[:2] in (b"\x00\x03", b"\x00\x04", b"\x00\x06")


def _needs_data(artifact: ArtifactRecord) -> bool:
    return artifact.kind == "file_transfer" and artifact.get("protocol") in (
        "ftp",
        "tftp",
    )
