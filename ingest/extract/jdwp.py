"""JDWP handshakes: the 14 ASCII bytes "JDWP-Handshake", sent and echoed.

A JVM debug port that answers lets anyone run code in the JVM, so a
handshake is worth reporting even without any command following it.
"""

from __future__ import annotations

from collections.abc import Iterator

from icsgraph.ingest.extract._common import artifact, turn_frames
from icsgraph.ingest.records import ArtifactRecord, Conversation

MAGIC = b"JDWP-Handshake"


def extract_jdwp(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``jdwp_handshake`` when either side sent the magic string first."""
    if conv.transport != "tcp":
        return
    sent = next((t for t in conv.turns if t.direction == "out" and t.data), None)
    reply = next((t for t in conv.turns if t.direction == "in" and t.data), None)
    asked = sent is not None and sent.data.startswith(MAGIC)
    answered = reply is not None and reply.data.startswith(MAGIC)
    if not (asked or answered):
        return
    frames: list[int] = []
    for turn, hit in ((sent, asked), (reply, answered)):
        if turn is not None and hit:
            frames.extend(turn_frames(turn, 0, len(MAGIC)))
    first = min(
        t.first_time for t, hit in ((sent, asked), (reply, answered)) if t and hit
    )
    values = (
        ("requested", int(asked)),
        ("answered", int(answered)),
        ("port", conv.dst_port),
    )
    yield artifact(conv, "jdwp_handshake", values, frames, first, "server")
