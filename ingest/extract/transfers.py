"""File transfers seen across sessions, or only from traffic shape.

`tie_data_sessions` completes FTP and TFTP transfers, whose bytes travel in a
session of their own, once every session of the capture is finished.
`extract_inferred_transfers` marks encrypted sessions (SFTP/SCP over SSH,
FTPS, HTTPS) whose volume in one direction looks like a file moving: these
are ``inferred`` with a low confidence, since nothing of the file is visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from icsgraph.ingest.extract._common import artifact, join, speaks
from icsgraph.ingest.extract.tftp import tftp_data
from icsgraph.ingest.records import ArtifactRecord, Conversation

INFER_MIN_BYTES = 100_000  # one direction must carry at least this much
INFER_RATIO = 4.0  # and this many times more than the other direction
_ENCRYPTED = (  # protocol names, ports, the transfer protocol it implies
    (("ssh", "sftp", "scp"), (22,), "sftp/scp"),
    (("ftps", "ftps-data"), (989, 990), "ftps"),
    (("https", "tls"), (443,), "https"),
)


def extract_inferred_transfers(conv: Conversation) -> Iterator[ArtifactRecord]:
    """An inferred ``file_transfer`` for a lopsided encrypted session."""
    if conv.transport != "tcp":
        return
    big, small = sorted((conv.bytes_out, conv.bytes_in), reverse=True)
    if big < INFER_MIN_BYTES or big < INFER_RATIO * max(small, 1):
        return  # checked first: it is cheap and rules out most sessions
    protocol = next(
        (p for names, ports, p in _ENCRYPTED if speaks(conv, names, *ports)), None
    )
    if protocol is None and _ftps_upgraded(conv):
        protocol = "ftps"
    if protocol is None:
        return
    direction = "upload" if conv.bytes_out >= conv.bytes_in else "download"
    values = (
        ("protocol", protocol),
        ("direction", direction),
        ("size", big),
        ("basis", "protocol, direction and volume"),
    )
    frames = [t.first_frame for t in conv.turns[:1]] + [
        t.last_frame for t in conv.turns[-1:]
    ]
    first = conv.turns[0].first_time if conv.turns else 0.0
    yield artifact(
        conv, "file_transfer", values, frames, first, inferred=True, confidence=0.3
    )


def _ftps_upgraded(conv: Conversation) -> bool:
    """An FTP control session that switched to TLS (AUTH TLS, reply 234)."""
    client = join(conv, "out").data[:4096].upper()
    return b"AUTH TLS" in client or b"AUTH SSL" in client


def tie_data_sessions(
    artifacts: Iterable[ArtifactRecord], conversations: Sequence[Conversation]
) -> list[ArtifactRecord]:
    """Complete FTP and TFTP transfers with the session that carried the bytes.

    Returns one artifact per FTP/TFTP ``file_transfer`` given, with
    ``data_session``, ``size`` and ``complete`` added when its data session
    was found (each data session is used once, earliest first), ``sha256``
    only when complete, and its frames extended with the data frames. Other
    artifacts are left out.
    """
    used: set[tuple[str, int]] = set()
    tcp, udp = _by_endpoint(conversations, "tcp"), _by_endpoint(conversations, "udp")
    tied = []
    for item in artifacts:
        if item.kind != "file_transfer":
            continue
        if item.get("protocol") == "ftp" and item.get("data_port") is not None:
            endpoint = (item.get("data_ip"), item.get("data_port"))
            tied.append(_tie_ftp(item, tcp.get(endpoint, []), used))
        elif item.get("protocol") == "tftp" and item.get("size") is None:
            client = (item.get("client_ip"), item.get("client_port"))
            tied.append(_tie_tftp(item, udp.get(client, []), used))
    return tied


def _by_endpoint(
    conversations: Sequence[Conversation], transport: str
) -> dict[tuple[object, object], list[Conversation]]:
    """The sessions of one transport by each of their ends, in their order.

    Looking a transfer's data endpoint up here, instead of walking every
    kept session for each transfer, keeps tying linear in the capture.
    """
    index: dict[tuple[object, object], list[Conversation]] = {}
    for conv in conversations:
        if conv.transport != transport:
            continue
        ends = ((conv.src_ip, conv.src_port), (conv.dst_ip, conv.dst_port))
        for end in dict.fromkeys(ends):
            index.setdefault(end, []).append(conv)
    return index


def _first_frame(conv: Conversation) -> int:
    return conv.turns[0].first_frame if conv.turns else 0


def _tie_ftp(
    item: ArtifactRecord,
    candidates: Sequence[Conversation],
    used: set[tuple[str, int]],
) -> ArtifactRecord:
    """The first unused TCP session on the data endpoint after the command."""
    command = min(item.frames, default=0)
    for conv in candidates:
        key = (conv.transport, conv.index)
        if key in used:
            continue
        if conv.turns and _first_frame(conv) < command:
            continue
        used.add(key)
        return _with_data(
            item, conv, "out" if conv.bytes_out >= conv.bytes_in else "in"
        )
    return item


def _tie_tftp(
    item: ArtifactRecord,
    candidates: Sequence[Conversation],
    used: set[tuple[str, int]],
) -> ArtifactRecord:
    """The first unused UDP session on the client's endpoint holding TFTP data."""
    for conv in candidates:
        key = (conv.transport, conv.index)
        if key in used:
            continue
        if conv.index == item.session:
            continue
        data = tftp_data(conv)
        if data is None:
            continue
        used.add(key)
        extra = (
            ("data_session", conv.index),
            ("size", data.size),
            ("sha256", data.sha256),
            ("complete", int(data.complete)),
            ("expected_size", data.expected),
        )
        values = item.values + tuple((k, v) for k, v in extra if v is not None)
        return replace(
            item, values=values, frames=tuple(sorted({*item.frames, *data.frames}))
        )
    return item


def _with_data(
    item: ArtifactRecord, conv: Conversation, direction: str
) -> ArtifactRecord:
    """Add the data session's size, and its SHA-256 when the file is whole.

    Whole means no gap in the session, the sender's FIN after its last byte
    (a data connection cut short has neither), and the size the server
    announced, if it did. A partial file gets no hash: it would tie unrelated
    cases together as "the same file".
    """
    size = conv.bytes_out if direction == "out" else conv.bytes_in
    closed = conv.closed_out if direction == "out" else conv.closed_in
    expected = item.get("expected_size")
    complete = conv.gaps == 0 and closed and expected in (None, size)
    extra: tuple[tuple[str, str | int], ...] = (
        ("data_session", conv.index),
        ("size", size),
        ("complete", int(complete)),
    )
    if complete:
        extra += (
            ("sha256", conv.sha256_out if direction == "out" else conv.sha256_in),
        )
    frames = {
        *item.frames,
        *(t.first_frame for t in conv.turns),
        *(t.last_frame for t in conv.turns),
    }
    return replace(item, values=item.values + extra, frames=tuple(sorted(frames)))
