"""SNMP v1 and v2c community strings (RFC 1157, RFC 1901): cleartext secrets.

Only the message header is read: SEQUENCE { version INTEGER, community OCTET
STRING, PDU }. SNMPv3 carries no community and yields nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from icsgraph.ingest.extract._common import artifact, speaks, turn_frames
from icsgraph.ingest.records import ArtifactRecord, Conversation

_VERSIONS = {0: "v1", 1: "v2c"}
_PDUS = {
    0xA0: "get",
    0xA1: "get-next",
    0xA2: "response",
    0xA3: "set",
    0xA4: "trap",
    0xA5: "get-bulk",
    0xA6: "inform",
    0xA7: "trap-v2",
    0xA8: "report",
}


def extract_snmp(conv: Conversation) -> Iterator[ArtifactRecord]:
    """One ``credential`` per distinct community a session used."""
    if conv.transport != "udp" or not speaks(conv, ("snmp",), 161, 162):
        return
    seen: set[tuple[str, str]] = set()
    for turn in conv.turns:
        parsed = community(turn.data)
        if parsed is None or parsed[:2] in seen:
            continue
        seen.add(parsed[:2])
        version, secret, pdu = parsed
        values = (
            ("protocol", "snmp"),
            ("version", version),
            ("community", secret),
            ("pdu", pdu),
        )
        yield artifact(conv, "credential", values, turn_frames(turn), turn.first_time)


def community(data: bytes) -> tuple[str, str, str] | None:
    """(version, community, PDU type) of an SNMPv1/v2c message, or None."""
    if len(data) < 8 or data[0] != 0x30:
        return None
    pos = 2 if data[1] < 0x80 else 2 + (data[1] & 0x7F)
    if data[pos : pos + 2] != b"\x02\x01" or data[pos + 2] not in _VERSIONS:
        return None
    version = _VERSIONS[data[pos + 2]]
    pos += 3
    if data[pos] != 0x04 or data[pos + 1] >= 0x80:
        return None
    length = data[pos + 1]
    secret = data[pos + 2 : pos + 2 + length].decode("latin-1")
    pdu = _PDUS.get(data[pos + 2 + length] if len(data) > pos + 2 + length else -1, "")
    return version, secret, pdu
