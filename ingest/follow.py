"""Render a `Conversation` the way ``tshark -q -z follow,PROTO,MODE,N`` does.

The ``ascii`` and ``hex`` layouts follow TShark 4.0: a header naming the two
nodes, then one record per captured segment (its byte count, then its bytes),
the server's records indented with a tab, and a record saying how many bytes
are missing where the capture has a gap. ``json`` is icsgraph's own: one
object per turn with its frames and base64-free text and hex.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from icsgraph.ingest.records import Conversation, Turn

_RULE = "=" * 67
_FORMATS = ("ascii", "hex", "json")


def follow(conversation: Conversation, fmt: str = "ascii") -> str:
    """Render the conversation as Follow Stream text (or JSON)."""
    if fmt not in _FORMATS:
        raise ValueError(f"format must be one of {_FORMATS}, not {fmt!r}")
    if fmt == "json":
        return _render_json(conversation)
    proto = conversation.transport
    lines = [
        "",
        _RULE,
        f"Follow: {proto},{fmt}",
        f"Filter: {proto}.stream eq {conversation.index}",
        f"Node 0: {_node(conversation.src_ip, conversation.src_port)}",
        f"Node 1: {_node(conversation.dst_ip, conversation.dst_port)}",
    ]
    body = "\n".join(lines) + "\n"
    offsets = {"out": 0, "in": 0}
    for turn in conversation.turns:
        indent = "\t" if turn.direction == "in" else ""
        chunks = list(_chunks(turn))
        if turn.gap_before:  # TShark's own marker, NUL included
            chunks.insert(0, b"[%d bytes missing in capture file]\x00" % turn.missing)
        for chunk in chunks:
            if fmt == "ascii":
                body += f"{indent}{len(chunk)}\n{_printable(chunk)}\n"
            else:
                body += _hexdump(chunk, offsets[turn.direction], indent)
            offsets[turn.direction] += len(chunk)
    return body + _RULE + "\n"


def _node(ip: str, port: int) -> str:
    return f"{ip}:{port}"


def _chunks(turn: Turn) -> Iterator[bytes]:
    """The turn's bytes split back into the segments that carried them."""
    starts = [offset for _, offset, _ in turn.segments] or [0]
    ends = [*starts[1:], len(turn.data)]
    for start, end in zip(starts, ends, strict=True):
        if end > start:
            yield turn.data[start:end]


def _printable(data: bytes) -> str:
    """Bytes as TShark's ascii mode prints them: CR and LF kept, others dotted."""
    return "".join(
        chr(b) if 0x20 <= b < 0x7F or b in (0x0A, 0x0D) else "." for b in data
    )


def _dot(data: bytes) -> str:
    return "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in data)


def _hexdump(data: bytes, offset: int, indent: str) -> str:
    lines = []
    for pos in range(0, len(data), 16):
        row = data[pos : pos + 16]
        left = " ".join(f"{b:02x}" for b in row[:8])
        right = " ".join(f"{b:02x}" for b in row[8:])
        hexes = f"{left:<23}  {right:<23}" if row[8:] else f"{left:<23}"
        text = _dot(row[:8]) + (" " if len(row) >= 8 else "") + _dot(row[8:])
        line = f"{indent}{offset + pos:08X}  {hexes:<48}  {text}"
        lines.append(line.removesuffix(" ") + "\n")  # TShark drops one space
    return "".join(lines)


def _render_json(conversation: Conversation) -> str:
    turns = [
        {
            "direction": turn.direction,
            "first_frame": turn.first_frame,
            "last_frame": turn.last_frame,
            "first_time": turn.first_time,
            "gap_before": turn.gap_before,
            "missing": turn.missing,
            "frames": [frame for frame, _, _ in turn.segments],
            "length": len(turn.data),
            "text": _printable(turn.data),
            "hex": turn.data.hex(),
        }
        for turn in conversation.turns
    ]
    doc = {
        "transport": conversation.transport,
        "index": conversation.index,
        "protocol": conversation.protocol,
        "client": _node(conversation.src_ip, conversation.src_port),
        "server": _node(conversation.dst_ip, conversation.dst_port),
        "gaps": conversation.gaps,
        "truncated": conversation.truncated,
        "bytes_out": conversation.bytes_out,
        "bytes_in": conversation.bytes_in,
        "sha256_out": conversation.sha256_out,
        "sha256_in": conversation.sha256_in,
        "turns": turns,
    }
    return json.dumps(doc, indent=2) + "\n"
