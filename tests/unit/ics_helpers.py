"""Build a `Conversation` from byte literals for the ICS parser tests."""

from __future__ import annotations

from icsgraph.ingest.records import Conversation, Turn


def conversation(
    turns: list[tuple[str, bytes] | tuple[str, bytes, int]],
    dst_port: int,
    transport: str = "tcp",
    protocol: str = "",
    src_port: int = 40000,
) -> Conversation:
    """One session whose turns are ``(direction, data[, split])``.

    Turn n is frame 10 * (n + 1); with ``split`` its bytes arrive in two
    frames, the second (frame + 1) starting at byte ``split``.
    """
    built = []
    for index, spec in enumerate(turns):
        direction, data = spec[0], spec[1]
        frame = 10 * (index + 1)
        segments: list[tuple[int, int, float]] = [(frame, 0, float(frame))]
        if len(spec) == 3:
            segments.append((frame + 1, spec[2], float(frame + 1)))
        built.append(
            Turn(
                direction=direction,
                data=data,
                first_frame=frame,
                last_frame=segments[-1][0],
                first_time=float(frame),
                segments=tuple(segments),
            )
        )
    return Conversation(
        transport=transport,
        index=0,
        protocol=protocol,
        src_ip="10.0.0.1",
        src_port=src_port,
        dst_ip="10.0.0.2",
        dst_port=dst_port,
        turns=tuple(built),
        gaps=0,
        truncated=False,
        bytes_out=0,
        bytes_in=0,
        sha256_out="",
        sha256_in="",
    )
