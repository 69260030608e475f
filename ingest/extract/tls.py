"""TLS handshakes (RFC 8446, RFC 5246): server names and certificates.

The client's ClientHello gives the server name (SNI, RFC 6066). Up to TLS 1.2
the server's Certificate message is in clear; the first certificate's subject,
issuer, serial and validity are read from its DER (RFC 5280) with a minimal
reader, since no X.509 library is a dependency. TLS 1.3 certificates are
encrypted and yield nothing.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from icsgraph.ingest.extract._common import Joined, artifact, join
from icsgraph.ingest.records import ArtifactRecord, Conversation

_HANDSHAKE = 22
_CLIENT_HELLO, _CERTIFICATE = 1, 11
_NAMES = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.5": "serialNumber",
    "1.2.840.113549.1.9.1": "emailAddress",
}


def extract_tls(conv: Conversation) -> Iterator[ArtifactRecord]:
    """``tls_server_name`` from the client, ``tls_certificate`` from the server."""
    if conv.transport != "tcp":
        return
    client = join(conv, "out")
    for message, frames, time in _handshakes(client):
        if message[0] == _CLIENT_HELLO:
            name = server_name(message)
            if name:
                sni = (("server_name", name),)
                yield artifact(conv, "tls_server_name", sni, frames, time)
            break
    for message, frames, time in _handshakes(join(conv, "in")):
        if message[0] == _CERTIFICATE:
            values = certificate_values(message)
            if values:
                yield artifact(conv, "tls_certificate", values, frames, time)
            break


def _handshakes(stream: Joined) -> Iterator[tuple[bytes, tuple[int, ...], float]]:
    """Handshake messages rebuilt from the leading handshake records."""
    data, pos = stream.data, 0
    buffer = bytearray()
    first = 0
    while pos + 5 <= len(data) and data[pos] == _HANDSHAKE and data[pos + 1] == 3:
        (length,) = struct.unpack_from("!H", data, pos + 3)
        if not buffer:
            first = pos
        buffer += data[pos + 5 : pos + 5 + length]
        pos += 5 + length
        while len(buffer) >= 4:
            size = int.from_bytes(buffer[1:4], "big")
            if len(buffer) < 4 + size:
                break
            frames = stream.frames_between(first, pos)
            yield bytes(buffer[: 4 + size]), frames, stream.time_at(first)
            del buffer[: 4 + size]
            first = pos


def server_name(hello: bytes) -> str | None:
    """The host_name of a ClientHello's server_name extension."""
    pos = 4 + 2 + 32  # header, version, random
    pos += 1 + hello[pos]  # session id
    pos += 2 + struct.unpack_from("!H", hello, pos)[0]  # cipher suites
    pos += 1 + hello[pos]  # compression methods
    end = min(len(hello), pos + 2 + struct.unpack_from("!H", hello, pos)[0])
    pos += 2
    while pos + 4 <= end:
        kind, length = struct.unpack_from("!HH", hello, pos)
        if kind == 0 and length >= 5:
            name_length = struct.unpack_from("!H", hello, pos + 7)[0]
            return hello[pos + 9 : pos + 9 + name_length].decode("ascii", "replace")
        pos += 4 + length
    return None


def certificate_values(message: bytes) -> tuple[tuple[str, str], ...]:
    """Subject, issuer, serial and validity of the first certificate."""
    pos = 4 + 3  # handshake header, certificate_list length
    if message[4:7] == b"\x00\x00\x00" or len(message) < pos + 3:
        return ()
    size = int.from_bytes(message[pos : pos + 3], "big")
    der = message[pos + 3 : pos + 3 + size]
    _, cert, _ = _tlv(der, 0)
    _, tbs, _ = _tlv(cert, 0)
    fields = _children(tbs)
    if fields and fields[0][0] == 0xA0:  # explicit version
        fields = fields[1:]
    serial, _, issuer, validity, subject = (f[1] for f in fields[:5])
    times = [value.decode("ascii", "replace") for _, value in _children(validity)]
    return (
        ("subject", _name(subject)),
        ("issuer", _name(issuer)),
        ("serial", serial.hex()),
        ("not_before", times[0] if times else ""),
        ("not_after", times[1] if len(times) > 1 else ""),
    )


def _tlv(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """One DER element at ``pos``: tag, contents, position after it."""
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("DER element runs past its container")
    return tag, data[pos : pos + length], pos + length


def _children(data: bytes) -> list[tuple[int, bytes]]:
    items, pos = [], 0
    while pos < len(data):
        tag, value, pos = _tlv(data, pos)
        items.append((tag, value))
    return items


def _oid(raw: bytes) -> str:
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _name(data: bytes) -> str:
    """An X.501 Name as ``CN=…, O=…`` in the order it is encoded."""
    parts = []
    for _, rdn in _children(data):
        for _, pair in _children(rdn):
            (_, oid), (tag, value) = _children(pair)[:2]
            codec = "utf-16-be" if tag == 0x1E else "latin-1"
            key = _NAMES.get(_oid(oid), _oid(oid))
            parts.append(f"{key}={value.decode(codec, 'replace')}")
    return ", ".join(parts)
