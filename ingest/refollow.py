"""Re-read one session's payload from its capture, for `icsgraph follow`.

The capture goes through the ingest's own reader, decoder and session
tracker, so the session index the graph holds finds the same frames; the
read stops after the session's last frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from icsgraph.ingest.extraction import new_builder
from icsgraph.ingest.pipeline import tracked_frames
from icsgraph.ingest.reader import open_capture
from icsgraph.ingest.reassembly import ConversationBuilder
from icsgraph.ingest.records import Conversation, Turn
from icsgraph.ingest.sessions import SessionTracker

FOLLOW_CAP = 64 * 1024 * 1024  # bytes kept per direction when following


def rebuild_conversation(
    path: Path, transport: str, index: int, last_frame: int, protocol: str = ""
) -> Conversation | None:
    """The reassembled session ``transport``/``index`` of a capture, or None."""
    reader = open_capture(path)
    builder: ConversationBuilder | None = None
    for raw, frame, found in tracked_frames(reader, SessionTracker(reader.sha256)):
        if raw.number > last_frame:
            break
        if found is None or (found.transport, found.index) != (transport, index):
            continue
        if builder is None:
            builder = new_builder(frame, found, protocol, cap=FOLLOW_CAP)
        builder.feed(frame, found.direction)
    return builder.finish() if builder is not None else None


def mask_secrets(conv: Conversation, secrets: Iterable[str]) -> Conversation:
    """The conversation with every secret the client sent starred out.

    Only client → server bytes are masked, across turn boundaries, keeping
    every length, so the layout of Follow Stream does not move.
    """
    wanted = [s.encode() for s in secrets if s]
    outgoing = [i for i, t in enumerate(conv.turns) if t.direction == "out"]
    joined = bytearray(b"".join(conv.turns[i].data for i in outgoing))
    for secret in wanted:
        for hit in re.finditer(re.escape(secret), joined):
            joined[hit.start() : hit.end()] = b"*" * len(secret)
    turns: list[Turn] = list(conv.turns)
    at = 0
    for i in outgoing:
        size = len(turns[i].data)
        turns[i] = replace(turns[i], data=bytes(joined[at : at + size]))
        at += size
    return replace(conv, turns=tuple(turns))
