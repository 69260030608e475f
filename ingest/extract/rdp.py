"""RDP cookie (MS-RDPBCGR 2.2.1.1): ``Cookie: mstshash=NAME`` in the X.224
Connection Request the client sends first, usually the user name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from icsgraph.ingest.extract._common import artifact, turn_frames
from icsgraph.ingest.records import ArtifactRecord, Conversation

_COOKIE = re.compile(rb"Cookie: mstshash=([^\r\n]{1,128})\r\n")


def extract_rdp(conv: Conversation) -> Iterator[ArtifactRecord]:
    """The mstshash cookie of a session's first client bytes."""
    if conv.transport != "tcp":
        return
    turn = next((t for t in conv.turns if t.direction == "out" and t.data), None)
    if turn is None or turn.data[:1] != b"\x03":  # TPKT version 3
        return
    match = _COOKIE.search(turn.data[:512])
    if match is None:
        return
    values = (("cookie", match.group(1).decode("latin-1")), ("protocol", "rdp"))
    frames = turn_frames(turn, match.start(), match.end())
    yield artifact(conv, "rdp_cookie", values, frames, turn.first_time, "client")
