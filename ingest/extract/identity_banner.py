"""Device identity from banner text, by the patterns in identity_patterns.tsv.

Text comes from the start of what a TCP server sends (Telnet options
stripped) and from HTTP ``Server`` headers. Each matching pattern row gives a
``device_identity`` whose values say the pattern id; its confidence is the
row's. Patterns are data, so adding a vendor needs no code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from icsgraph.ingest.extract._common import Joined, artifact, join
from icsgraph.ingest.extract.telnet import is_telnet, strip_telnet
from icsgraph.ingest.records import ArtifactRecord, ArtifactValue, Conversation

_LIMIT = 16 * 1024  # server bytes searched per session


@dataclass(frozen=True, slots=True)
class Pattern:
    """One row of identity_patterns.tsv."""

    ident: str
    vendor: str
    confidence: float
    regex: re.Pattern[bytes]


@cache
def load_patterns() -> tuple[Pattern, ...]:
    """The packaged pattern table, compiled once."""
    raw = resources.files("icsgraph.ingest").joinpath("identity_patterns.tsv")
    rows = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ident, vendor, confidence, regex = line.split("\t", 3)
        rows.append(
            Pattern(ident, vendor, float(confidence), re.compile(regex.encode()))
        )
    return tuple(rows)


def extract_banner_identity(conv: Conversation) -> Iterator[ArtifactRecord]:
    """A ``device_identity`` per pattern that matches the server's text."""
    if conv.transport != "tcp":
        return
    server = join(conv, "in")
    data, where = _server_text(conv, server)
    for pattern in load_patterns():
        match = pattern.regex.search(data)
        if match is None:
            continue
        fields = {
            k: v.decode("latin-1").strip() for k, v in match.groupdict().items() if v
        }
        if "mac" in fields:  # canonical form, as Frame and MacRecord spell MACs
            fields["mac"] = fields["mac"].replace("-", ":").lower()
        values: list[tuple[str, ArtifactValue | None]] = [
            ("source", f"banner:{conv.dst_port}"),
            ("pattern", pattern.ident),
            ("vendor", pattern.vendor),
            *sorted(fields.items()),
        ]
        start, end = where[match.start()], where[match.end() - 1] + 1
        frames = server.frames_between(start, end)
        yield artifact(
            conv,
            "device_identity",
            values,
            frames,
            server.time_at(start),
            confidence=pattern.confidence,
        )


def _server_text(conv: Conversation, server: Joined) -> tuple[bytes, list[int]]:
    """Server bytes to search, with each byte's offset in ``server.data``."""
    head = server.data[:_LIMIT]
    if is_telnet(conv):
        return strip_telnet(head)
    return head, list(range(len(head)))
