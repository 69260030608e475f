"""NTLMSSP AUTHENTICATE messages (MS-NLMP 2.2.1.3): user, domain, workstation.

The message is found by its signature wherever a client sends it raw (SMB
session setup inside SPNEGO, DCE/RPC); HTTP carries it in base64 and
`icsgraph.ingest.extract.http` decodes it with `parse_authenticate`.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from icsgraph.ingest.extract._common import artifact, join, speaks
from icsgraph.ingest.records import ArtifactRecord, Conversation

SIGNATURE = b"NTLMSSP\x00"
_AUTHENTICATE = 3
_UNICODE = 0x00000001


def parse_authenticate(message: bytes) -> dict[str, str] | None:
    """User, domain and workstation of an AUTHENTICATE message, or None."""
    if len(message) < 64 or not message.startswith(SIGNATURE):
        return None
    if struct.unpack_from("<I", message, 8)[0] != _AUTHENTICATE:
        return None
    (flags,) = struct.unpack_from("<I", message, 60)
    codec = "utf-16-le" if flags & _UNICODE else "latin-1"
    fields = {}
    for name, at in (("domain", 28), ("username", 36), ("workstation", 44)):
        length, _, offset = struct.unpack_from("<HHI", message, at)
        raw = message[offset : offset + length]
        fields[name] = raw.decode(codec, errors="replace") if len(raw) == length else ""
    nt_length = struct.unpack_from("<H", message, 20)[0]
    fields["response"] = (
        "ntlmv2" if nt_length > 24 else ("ntlm" if nt_length else "anonymous")
    )
    return fields


def extract_ntlm(conv: Conversation) -> Iterator[ArtifactRecord]:
    """Credentials from raw NTLMSSP AUTHENTICATE messages sent by the client."""
    if conv.transport != "tcp" or speaks(conv, ("http",), 80, 8080):
        return
    client = join(conv, "out")
    start = client.data.find(SIGNATURE)
    while start >= 0:
        fields = parse_authenticate(client.data[start : start + 4096])
        if fields is not None and fields["username"]:
            values = (
                (
                    "protocol",
                    "smb" if speaks(conv, ("smb", "smb2"), 445, 139) else "ntlm",
                ),
                ("scheme", "ntlmssp"),
                ("username", fields["username"]),
                ("domain", fields["domain"]),
                ("workstation", fields["workstation"]),
                ("response", fields["response"]),
            )
            frames = client.frames_between(start, start + 64)
            yield artifact(conv, "credential", values, frames, client.time_at(start))
        start = client.data.find(SIGNATURE, start + 8)
