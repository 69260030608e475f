"""SSH identification strings (RFC 4253 section 4.2) of client and server."""

from __future__ import annotations

import re
from collections.abc import Iterator

from icsgraph.ingest.extract._common import about_sender, artifact, turn_frames
from icsgraph.ingest.records import ArtifactRecord, Conversation

_IDENT = re.compile(rb"SSH-(\d+\.\d+)-([\x21-\x7e]+)(?: ([\x20-\x7e]*))?\r?\n")


def extract_ssh(conv: Conversation) -> Iterator[ArtifactRecord]:
    """One ``ssh_version`` per side that sent an identification string."""
    if conv.transport != "tcp":
        return
    for direction in ("out", "in"):
        turn = next((t for t in conv.turns if t.direction == direction), None)
        if turn is None:
            continue
        match = _IDENT.search(turn.data[:1024])  # lines may precede it (RFC 4253)
        if match is None:
            continue
        values = (
            ("protocol_version", match.group(1).decode()),
            ("software", match.group(2).decode("latin-1")),
            ("comments", (match.group(3) or b"").decode("latin-1").strip()),
            ("text", match.group(0).decode("latin-1").strip()),
            ("role", "client" if direction == "out" else "server"),
        )
        frames = turn_frames(turn, match.start(), match.end())
        about = about_sender(direction)
        yield artifact(conv, "ssh_version", values, frames, turn.first_time, about)
